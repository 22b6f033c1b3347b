import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerState } from '../optimizer.js';
import type { Key } from '../random.js';
import type { SourceState } from '../interpret/evaluate.js';
import type { State } from '../transform/types.js';
import type { Tree } from '../tree.js';
import { crc32, fromLittleEndian } from './bytes.js';
import { checksumProblem } from './checksum.js';
import { keyProblems } from '../validate.js';
import { CheckpointError } from './errors.js';
import { fingerprintOf, fingerprintText, sameRule } from './fingerprint.js';
import { ruleDifferences } from './ruleDiff.js';
import { BYTES, FORMAT, VERSION, isStoredDtype, type Fingerprint, type Json, type Manifest, type TensorEntry } from './format.js';
import { compareKinds, decode, encode, infosOf, kinds, newContext, type TensorInfo } from './structure.js';

/** What `load`/`deserialize` check the checkpoint against (both optional). */
export interface LoadOptions {
  /** Parameters the checkpoint must match: the same names, shapes and dtypes (yours: never disposed or changed). */
  readonly params?: Tree;
  /** The optimizer that will resume: the checkpoint must hold the state `opt.init(params)` would make (same paths, shapes, dtypes) and the same fingerprint. */
  readonly opt?: Optimizer;
  /** Resume with another learning rate or learning-rate schedule than the checkpoint's (reported in `Loaded.differences`); default false: refused. */
  readonly allowLearningRateChange?: boolean;
}

/** A loaded checkpoint: fresh tensors (yours to dispose), the state to resume from, your meta, and the manifest. */
export interface Loaded {
  /** The parameters, as fresh tensors (yours to dispose). */
  readonly params: Tree;
  /** The optimizer state, as fresh tensors (yours to dispose; `train` takes it over when passed as `state`). */
  readonly state: OptimizerState;
  /** The `meta` JSON given to `save`/`serialize` (null when none was given). */
  readonly meta: Json;
  /** The manifest that was read. */
  readonly manifest: Manifest;
  /** How the given optimizer differs from the one that wrote the checkpoint, when allowed (a learning-rate change); else empty. */
  readonly differences: readonly string[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNat = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** checkEntries(manifest): every malformed tensor entry, and the well-formed ones by name. */
function checkEntries(raw: unknown, problems: string[]): Map<string, TensorEntry> {
  const byName = new Map<string, TensorEntry>();
  if (!Array.isArray(raw)) {
    problems.push('the manifest has no tensor list');
    return byName;
  }
  for (const [i, e] of raw.entries()) {
    if (!isObject(e) || typeof e['name'] !== 'string') {
      problems.push(`tensor entry ${i} has no name`);
      continue;
    }
    const name = e['name'];
    const bad: string[] = [];
    const shape = e['shape'];
    if (!Array.isArray(shape) || !shape.every(isNat)) bad.push('shape');
    if (!isStoredDtype(e['dtype'])) bad.push(`dtype ${JSON.stringify(e['dtype'])}`);
    if (!isNat(e['offset'])) bad.push('offset');
    if (!isNat(e['crc32'])) bad.push('crc32');
    if (bad.length === 0) {
      const size = (shape as number[]).reduce((a, b) => a * b, 1);
      if (e['byteLength'] !== size * BYTES[e['dtype'] as keyof typeof BYTES]) bad.push(`byteLength ${String(e['byteLength'])} (shape ${shapeText(shape as number[])} of ${String(e['dtype'])} needs ${size * BYTES[e['dtype'] as keyof typeof BYTES]})`);
    }
    if (byName.has(name)) bad.push('name listed twice');
    if (bad.length > 0) problems.push(`tensor '${name}': malformed entry (${bad.join(', ')})`);
    else byName.set(name, e as unknown as TensorEntry);
  }
  return byName;
}

/** checkWeights(entries, bytes, expected): a truncated, overlong or corrupt weights file, tensor by tensor. */
function checkWeights(entries: Map<string, TensorEntry>, bytes: Uint8Array, expected: unknown, problems: string[]): void {
  if (!isNat(expected)) problems.push('the manifest does not give the weights file length');
  else if (bytes.length < expected) problems.push(`the weights file is truncated: it has ${bytes.length} bytes, the manifest expects ${expected}`);
  else if (bytes.length > expected) problems.push(`the weights file has ${bytes.length} bytes, the manifest expects ${expected} (corrupt, or from another checkpoint)`);
  for (const e of entries.values()) {
    if (e.offset + e.byteLength > bytes.length) problems.push(`tensor '${e.name}': its bytes [${e.offset}, ${e.offset + e.byteLength}) lie past the end of the weights file (${bytes.length} bytes): truncated`);
    else if (crc32(bytes.subarray(e.offset, e.offset + e.byteLength)) !== e.crc32) problems.push(`tensor '${e.name}': its bytes fail the CRC-32 check: the weights file is corrupt`);
  }
}

/** paramInfos(skeleton): the checkpoint's parameters (name → shape, dtype), from the manifest alone. */
function paramInfos(skeleton: unknown, entries: Map<string, TensorEntry>, problems: string[]): Map<string, TensorInfo> | undefined {
  if (!isObject(skeleton) || Object.keys(skeleton).length === 0) {
    problems.push('the checkpoint holds no parameters');
    return undefined;
  }
  const out = new Map<string, TensorInfo>();
  for (const [n, node] of Object.entries(skeleton)) {
    const ref = isObject(node) ? node['$tensor'] : undefined;
    const e = typeof ref === 'string' ? entries.get(ref) : undefined;
    if (e === undefined) problems.push(`parameter '${n}' is not a stored tensor in the manifest`);
    else if (e.dtype !== 'float32') problems.push(`parameter '${n}' has dtype ${e.dtype}; parameters must be float32`);
    else out.set(n, e);
  }
  return out;
}

/** compareParams(stored, given): missing names, extra names, wrong shapes and dtypes. */
function compareParams(stored: Map<string, TensorInfo>, given: Tree, problems: string[]): void {
  for (const [n, g] of Object.entries(given)) {
    const s = stored.get(n);
    if (!(g instanceof tf.Tensor) || g.isDisposed) problems.push(`the given params['${n}'] is not a live tensor`);
    else if (s === undefined) problems.push(`missing parameter '${n}' ${shapeText(g.shape)}: given, not in the checkpoint`);
    else if (!tf.util.arraysEqual(s.shape as number[], g.shape)) problems.push(`wrong shape: parameter '${n}' is ${shapeText(s.shape)} in the checkpoint, ${shapeText(g.shape)} given`);
    else if (s.dtype !== g.dtype) problems.push(`wrong dtype: parameter '${n}' is ${s.dtype} in the checkpoint, ${g.dtype} given`);
  }
  for (const [n, s] of stored) if (!(n in given)) problems.push(`extra parameter '${n}' ${shapeText(s.shape)}: in the checkpoint, not in the given params`);
}

/** checkAgainstOptimizer: fingerprint and state structure against what opt.init(params) makes (in a tf.tidy: nothing survives). */
function checkAgainstOptimizer(opt: Optimizer, reference: Map<string, TensorInfo> | Tree, m: Record<string, unknown>, entries: Map<string, TensorEntry>, problems: string[], allowLr: boolean, reported: string[]): void {
  tf.tidy(() => {
    const params: Record<string, tf.Tensor> = {};
    if (reference instanceof Map) for (const [n, info] of reference) params[n] = tf.zeros(info.shape as number[], info.dtype as 'float32');
    else Object.assign(params, reference);
    let init: OptimizerState;
    try {
      init = opt.init(params);
    } catch (e) {
      problems.push(`opt.init(params) failed: ${(e as Error).message}`);
      return;
    }
    const mine = fingerprintOf(opt, init, params);
    const theirs = m['fingerprint'] as Fingerprint | null | undefined;
    const diffs = isObject(theirs) ? ruleDifferences(theirs, mine) : [];
    const other = diffs.filter((d) => !d.learningRate).map((d) => d.text);
    const rates = diffs.filter((d) => d.learningRate).map((d) => d.text);
    if (other.length > 0) problems.push(`the optimizer differs from the checkpoint's: ${[...other, ...rates].join('; ')}`);
    else if (rates.length > 0 && !allowLr) problems.push(`the learning rate differs from the checkpoint's: ${rates.join('; ')}; pass { allowLearningRateChange: true } to resume with the new rate`);
    else reported.push(...rates);
    if (isObject(theirs) && !sameRule(theirs, mine)) {
      problems.push(`another rule: the checkpoint was written by an optimizer with fingerprint { ${fingerprintText(theirs)} }, the given optimizer has { ${fingerprintText(mine)} }`);
    }
    const ctx = newContext();
    const expected = encode({ transform: init.transform, source: init.source }, ['state'], ctx);
    const stateNode = isObject(m['state']) ? m['state'] : {};
    const actual = { transform: stateNode['transform'] ?? null, source: stateNode['source'] ?? null } as Json;
    problems.push(...compareKinds(kinds(expected, infosOf(ctx.tensors), ['state']), kinds(actual, entries, ['state']), "the optimizer's state", 'the checkpoint'));
  });
}

/** unknownRefs(skeleton): tensor references the manifest does not list. */
function unknownRefs(node: Json, entries: Map<string, TensorEntry>, root: string, problems: string[]): void {
  for (const [p, k] of kinds(node, entries, [root])) if (k === 'tensor (unknown)') problems.push(`${p} refers to a tensor the manifest does not list`);
}

/** parseManifest(manifest, where): the manifest object, after the format and version checks (which stop at once). */
function parseManifest(manifest: unknown, where: string): Record<string, unknown> {
  let m: unknown = manifest;
  if (typeof m === 'string') {
    try {
      m = JSON.parse(m);
    } catch (e) {
      throw new CheckpointError(where, [`the manifest is not valid JSON: ${(e as Error).message}`]);
    }
  }
  if (!isObject(m) || m['format'] !== FORMAT) throw new CheckpointError(where, [`not an optimix checkpoint manifest (format ${JSON.stringify(isObject(m) ? m['format'] : m)}, expected '${FORMAT}')`]);
  if (m['version'] !== VERSION) throw new CheckpointError(where, [`format version mismatch: the checkpoint has version ${JSON.stringify(m['version'])}, this optimix reads version ${VERSION}`]);
  return m;
}

/** inspect(m, bytes, options): every problem of a checkpoint (bytes null: the weights file could not be read; skip its checks). */
function inspect(m: Record<string, unknown>, bytes: Uint8Array | null, options: LoadOptions): { problems: string[]; entries: Map<string, TensorEntry>; reported: string[] } {
  const problems: string[] = [];
  problems.push(...keyProblems(options, ['params', 'opt', 'allowLearningRateChange']));
  const tampered = checksumProblem(m);
  if (tampered !== undefined) problems.push(tampered);
  const reported: string[] = [];
  const entries = checkEntries(m['tensors'], problems);
  if (bytes !== null) checkWeights(entries, bytes, isObject(m['weights']) ? m['weights']['byteLength'] : undefined, problems);
  unknownRefs(m['params'] as Json, entries, 'params', problems);
  unknownRefs(m['state'] as Json, entries, 'state', problems);
  const stored = paramInfos(m['params'], entries, problems);
  const s = m['state'];
  if (!isObject(s)) problems.push('the checkpoint holds no optimizer state');
  else {
    if (!isNat(s['count'])) problems.push(`state.count must be an integer ≥ 0, got ${JSON.stringify(s['count'])}`);
    const k = s['key'];
    if (!isObject(k) || !Array.isArray(k['$key'])) problems.push(`state.key must be a key's two words { "$key": [hi, lo] }, got ${JSON.stringify(k)}`);
    if (!isObject(s['source'])) problems.push('state.source must be an object (the source state by node path)');
    if (!('transform' in s)) problems.push('state.transform is missing');
  }
  if (options.params !== undefined) {
    if (typeof options.params !== 'object' || options.params === null) problems.push('the given params must be a named tree of tensors');
    else if (stored !== undefined) compareParams(stored, options.params, problems);
  }
  if (options.opt !== undefined) {
    const reference = options.params ?? stored;
    if (reference === undefined) problems.push('the state was not compared with the optimizer: no parameters to call opt.init with');
    else checkAgainstOptimizer(options.opt, reference, m, entries, problems, options.allowLearningRateChange === true, reported);
  }
  return { problems, entries, reported };
}

/** unreadable(manifest, why, options, where): the CheckpointError for a weights file that cannot be read, with every other problem. */
export function unreadable(manifest: unknown, why: string, options: LoadOptions, where: string): CheckpointError {
  const m = parseManifest(manifest, where);
  return new CheckpointError(where, [why, ...inspect(m, null, options).problems]);
}

/**
 * deserialize(manifest, weights, { params?, opt? }): the checkpoint `serialize` made, as fresh tensors. Checks first — format
 * version, truncated/corrupt bytes, and against `params`/`opt` when given — and throws one CheckpointError naming every
 * difference; on failure no tensor is created and nothing you hold is disposed or changed.
 */
export function deserialize(manifest: unknown, weights: Uint8Array | ArrayBuffer, options: LoadOptions = {}, where = 'deserialize'): Loaded {
  const m = parseManifest(manifest, where);
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  const { problems, entries, reported } = inspect(m, bytes, options);
  if (problems.length > 0) throw new CheckpointError(where, problems);

  const made = new Map<string, tf.Tensor>();
  const tensor = (name: string): tf.Tensor => {
    let t = made.get(name);
    if (t === undefined) {
      const e = entries.get(name) as TensorEntry;
      t = tf.tensor(fromLittleEndian(bytes.subarray(e.offset, e.offset + e.byteLength), e.dtype), e.shape as number[], e.dtype);
      made.set(name, t);
    }
    return t;
  };
  try {
    const decodeProblems: string[] = [];
    const params = decode(m['params'] as Json, tensor, ['params'], decodeProblems) as Tree;
    const st = decode(m['state'] as Json, tensor, ['state'], decodeProblems) as { count: number; key: Key; transform: State; source: SourceState };
    if (decodeProblems.length > 0) throw new CheckpointError(where, decodeProblems);
    const state: OptimizerState = { count: st.count, key: st.key, transform: st.transform, source: st.source };
    return { params, state, meta: (m['meta'] ?? null) as Json, manifest: m as unknown as Manifest, differences: reported };
  } catch (e) {
    for (const t of made.values()) t.dispose();
    throw e;
  }
}
