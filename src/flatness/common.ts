/**
 * Internals shared by the flatness measures: loss evaluation, value-and-gradient over a named tree,
 * and input validation. Not part of the public API (src/flatness/index.ts does not re-export it).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { isKey, type Key } from '../random.js';
import type { Params } from '../tree.js';

/** evalLoss(loss, params, batch): L(params; batch) as a JS number; every intermediate tensor is disposed. */
export function evalLoss<B extends Batch>(loss: LossFn<B>, params: Params, batch: B): number {
  const value = tf.tidy(() => loss(params, batch));
  try {
    const data = value.dataSync();
    if (data.length !== 1) throw new RangeError(`loss must return a scalar, got a tensor of shape [${value.shape.join(', ')}]`);
    return data[0] as number;
  } finally {
    value.dispose();
  }
}

/** evalLossAt(loss, build, batch): L(build(); batch) where build() creates the (perturbed) parameters inside a tidy. */
export function evalLossAt<B extends Batch>(loss: LossFn<B>, build: () => Params, batch: B): number {
  const value = tf.tidy(() => loss(build(), batch));
  try {
    return value.dataSync()[0] as number;
  } finally {
    value.dispose();
  }
}

/**
 * valueAndGradTree(loss, params, batch) = { value: L(w), grads: ∇L(w) } as new tensors the caller disposes.
 * Every leaf of params must influence the loss (tfjs throws otherwise).
 */
export function valueAndGradTree<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
): { value: tf.Scalar; grads: Params } {
  const names = Object.keys(params);
  const xs = names.map((n) => params[n] as tf.Tensor);
  const f = (...ts: tf.Tensor[]): tf.Scalar => {
    const p: Record<string, tf.Tensor> = {};
    names.forEach((n, i) => {
      p[n] = ts[i] as tf.Tensor;
    });
    return loss(p, batch);
  };
  const { value, grads } = tf.valueAndGrads(f)(xs);
  const g: Record<string, tf.Tensor> = {};
  names.forEach((n, i) => {
    g[n] = grads[i] as tf.Tensor;
  });
  return { value, grads: g };
}

/** gradTree(loss, params, batch) = ∇L(w), new tensors the caller disposes. */
export function gradTree<B extends Batch>(loss: LossFn<B>, params: Params, batch: B): Params {
  const { value, grads } = valueAndGradTree(loss, params, batch);
  value.dispose();
  return grads;
}

/** treeDot(a, b) = Σ_n ⟨a_n, b_n⟩ as a JS number. */
export function treeDot(a: Params, b: Params): number {
  const s = tf.tidy(() => {
    const parts = Object.keys(a).map((n) => tf.sum(tf.mul(a[n] as tf.Tensor, b[n] as tf.Tensor)));
    return parts.length === 0 ? tf.scalar(0) : tf.addN(parts);
  });
  try {
    return s.dataSync()[0] as number;
  } finally {
    s.dispose();
  }
}

/** scalarOf(t): a scalar tensor's value as a JS number (t is left alone). */
export function scalarOf(t: tf.Tensor): number {
  return t.dataSync()[0] as number;
}

/** numberOf(f): runs f in a tidy, reads its scalar result as a JS number and disposes it. */
export function numberOf(f: () => tf.Tensor): number {
  const t = tf.tidy(f);
  try {
    return t.dataSync()[0] as number;
  } finally {
    t.dispose();
  }
}

/** checkParams(fn, params): params is a non-empty tree of float32 tensors. */
export function checkParams(fn: string, params: Params): void {
  const names = Object.keys(params);
  if (names.length === 0) throw new RangeError(`${fn}: params must hold at least one tensor`);
  for (const n of names) {
    const x = params[n];
    if (!(x instanceof tf.Tensor)) throw new TypeError(`${fn}: params.${n} is not a tensor`);
    if (x.isDisposed) throw new Error(`${fn}: params.${n} is disposed`);
    if (x.dtype !== 'float32') throw new TypeError(`${fn}: params.${n} must be float32, got ${x.dtype}`);
  }
}

/** checkSameStructure(fn, option, params, other): other holds exactly params' names with the same shapes. */
export function checkSameStructure(fn: string, option: string, params: Params, other: Params): void {
  const a = Object.keys(params);
  const b = Object.keys(other);
  if (a.length !== b.length || a.some((n) => !(n in other))) {
    throw new RangeError(`${fn}: ${option} must have the same leaf names as params ([${a.join(', ')}]), got [${b.join(', ')}]`);
  }
  for (const n of a) {
    const x = params[n] as tf.Tensor;
    const y = other[n] as tf.Tensor;
    if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) {
      throw new RangeError(`${fn}: ${option}.${n} has shape [${y.shape.join(', ')}], params.${n} has [${x.shape.join(', ')}]`);
    }
  }
}

/** checkKey(fn, option, k): k is a key from src/random.ts. */
export function checkKey(fn: string, option: string, k: unknown): asserts k is Key {
  if (!isKey(k)) throw new RangeError(`${fn}: ${option} must be a key (use key(seed) from optimix), got ${String(k)}`);
}

/** checkInteger(fn, option, v, min): v is an integer ≥ min. */
export function checkInteger(fn: string, option: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${fn}: ${option} must be an integer ≥ ${min}, got ${String(v)}`);
}

/** checkFinite(fn, option, v, { min, exclusive }): v is a finite number ≥ min (> min if exclusive). */
export function checkFinite(fn: string, option: string, v: number, bound?: { min: number; exclusive?: boolean }): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${fn}: ${option} must be a finite number, got ${String(v)}`);
  if (bound !== undefined) {
    const bad = bound.exclusive === true ? v <= bound.min : v < bound.min;
    if (bad) throw new RangeError(`${fn}: ${option} must be ${bound.exclusive === true ? '>' : '≥'} ${bound.min}, got ${v}`);
  }
}

/** linspace(a, b, n): n evenly spaced numbers from a to b inclusive (n ≥ 2). */
export function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}
