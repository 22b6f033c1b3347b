import * as tf from '@tensorflow/tfjs-core';
import { BatchError, StructureError } from './errors.js';
import type { Tree } from './tree.js';

/** structureProblems(params, tree, what): every difference in names and shapes between a tree and the parameters. */
export function structureProblems(params: Tree, tree: unknown, what: string): string[] {
  if (typeof tree !== 'object' || tree === null) return [`${what} must be a named tree of tensors, got ${String(tree)}`];
  const t = tree as Record<string, unknown>;
  const problems: string[] = [];
  for (const n of Object.keys(params)) {
    const x = t[n];
    const p = params[n] as tf.Tensor;
    if (x === undefined) problems.push(`${what} has no leaf '${n}' (the parameters do)`);
    else if (!(x instanceof tf.Tensor)) problems.push(`${what}['${n}'] is not a tensor`);
    else if (x.isDisposed) problems.push(`${what}['${n}'] is a disposed tensor`);
    else if (!tf.util.arraysEqual(x.shape, p.shape)) problems.push(`${what}['${n}'] has shape [${x.shape.join(', ')}], the parameter has [${p.shape.join(', ')}]`);
  }
  for (const n of Object.keys(t)) if (!(n in params)) problems.push(`${what} has a leaf '${n}' that the parameters do not have`);
  return problems;
}

/** checkStructure(where, params, tree, what): throw a StructureError listing every mismatch. */
export function checkStructure(where: string, params: Tree, tree: unknown, what: string): void {
  const problems = structureProblems(params, tree, what);
  if (problems.length > 0) throw new StructureError(where, problems);
}

/** checkParams(where, params): a non-empty tree of live float32 tensors. */
export function checkParams(where: string, params: unknown): asserts params is Tree {
  const got = Array.isArray(params) ? 'an array (name the tensors: { w, b })' : params instanceof tf.Tensor ? 'a tensor (name it: { w })' : String(params);
  if (typeof params !== 'object' || params === null || Array.isArray(params) || params instanceof tf.Tensor) throw new StructureError(where, [`params must be a named tree of tensors, got ${got}`], 'invalid parameters');
  const entries = Object.entries(params as Record<string, unknown>);
  const problems: string[] = [];
  if (entries.length === 0) problems.push('params has no leaves');
  for (const [n, x] of entries) {
    if (!(x instanceof tf.Tensor)) problems.push(`params['${n}'] is not a tensor`);
    else if (x.isDisposed) problems.push(`params['${n}'] is a disposed tensor`);
    else if (x.dtype !== 'float32') problems.push(`params['${n}'] has dtype ${x.dtype}; parameters must be float32`);
  }
  if (problems.length > 0) throw new StructureError(where, problems, 'invalid parameters');
}

/** checkBatch(where, batch): one batch — a named tree of live tensors whose rank ≥ 1 leaves share their first (example) axis. */
export function checkBatch(where: string, batch: unknown): void {
  const got = Array.isArray(batch) ? 'an array (a list of batches? step takes one batch; train takes an iterable of them)' : batch instanceof tf.Tensor ? 'a tensor' : String(batch);
  if (typeof batch !== 'object' || batch === null || Array.isArray(batch) || batch instanceof tf.Tensor) throw new BatchError(where, [`batch must be one batch, a named tree of tensors such as { x, y }, got ${got}`]);
  const problems: string[] = [];
  const rows: Array<[string, number]> = [];
  for (const [n, x] of Object.entries(batch as Record<string, unknown>)) {
    if (!(x instanceof tf.Tensor)) problems.push(`batch['${n}'] is not a tensor (got ${Array.isArray(x) ? 'an array' : typeof x}; make it one with tf.tensor(…))`);
    else if (x.isDisposed) problems.push(`batch['${n}'] is a disposed tensor (a batch train was given as a function of the epoch is disposed after its step)`);
    else if (x.rank >= 1) rows.push([n, x.shape[0] as number]);
  }
  if (rows.some(([, r]) => r !== rows[0]![1])) {
    problems.push(`the batch's tensors have different numbers of examples (first axis): ${rows.map(([n, r]) => `${n}: ${r}`).join(', ')}; x and y must have one row per example`);
  }
  if (problems.length > 0) throw new BatchError(where, problems);
}
