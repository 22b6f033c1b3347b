import * as tf from '@tensorflow/tfjs-core';

/** A named tree of tensors: parameters, gradients, updates, optimizer moments. Keyed by name, never by position. */
export type Tree = Readonly<Record<string, tf.Tensor>>;

/** Parameters of a model: a named tensor tree. */
export type Params = Tree;

/** names(t): the leaf names, in the tree's own order. */
export function names(t: Tree): string[] {
  return Object.keys(t);
}

/** leaf(t, name): the tensor under name; throws if absent (for code that already checked structure). */
export function leaf(t: Tree, name: string): tf.Tensor {
  const x = t[name];
  if (x === undefined) throw new Error(`tree has no leaf named '${name}'`);
  return x;
}

/** map(t, f): a new tree with f applied to every leaf. */
export function map(t: Tree, f: (x: tf.Tensor, name: string) => tf.Tensor): Tree {
  const out: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(t)) out[name] = f(leaf(t, name), name);
  return out;
}

/** zipWith(a, b, f): leafwise f(a[n], b[n]) over a's names (b must hold the same names; see checkSameStructure). */
export function zipWith(a: Tree, b: Tree, f: (x: tf.Tensor, y: tf.Tensor, name: string) => tf.Tensor): Tree {
  const out: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(a)) out[name] = f(leaf(a, name), leaf(b, name), name);
  return out;
}

/** zipWith3(a, b, c, f): leafwise f over three trees with the same names. */
export function zipWith3(
  a: Tree,
  b: Tree,
  c: Tree,
  f: (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor, name: string) => tf.Tensor,
): Tree {
  const out: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(a)) out[name] = f(leaf(a, name), leaf(b, name), leaf(c, name), name);
  return out;
}

/** add(a, b) = a + b, leafwise. */
export const add = (a: Tree, b: Tree): Tree => zipWith(a, b, (x, y) => tf.add(x, y));
/** sub(a, b) = a − b, leafwise. */
export const sub = (a: Tree, b: Tree): Tree => zipWith(a, b, (x, y) => tf.sub(x, y));
/** scale(t, c) = c·t, leafwise. */
export const scaleTree = (t: Tree, c: number): Tree => map(t, (x) => tf.mul(x, c));
/** zerosLike(t): a tree of zeros with t's names, shapes and dtypes. */
export const zerosLike = (t: Tree): Tree => map(t, (x) => tf.zerosLike(x));

/** globalSquaredNorm(t) = Σ_n ‖t_n‖², a scalar tensor. */
export function globalSquaredNorm(t: Tree): tf.Scalar {
  return tf.tidy(() => {
    const parts = Object.values(t).map((x) => tf.sum(tf.square(x)));
    return parts.length === 0 ? tf.scalar(0) : (tf.addN(parts) as tf.Scalar);
  });
}

/** globalNorm(t) = √(Σ_n ‖t_n‖²): the L2 norm of all leaves taken together (SAM's ‖g‖, clipByGlobalNorm's norm). */
export function globalNorm(t: Tree): tf.Scalar {
  return tf.tidy(() => tf.sqrt(globalSquaredNorm(t)));
}

/**
 * filterAxis(x, axis): the filter (output) axis of a tensor: by default the last one, as tfjs lays out
 * dense kernels `[in, out]` and conv kernels `[kh, kw, in, out]`. Negative axes count from the end.
 */
export function filterAxis(x: tf.Tensor, axis = -1): number {
  const a = axis < 0 ? x.rank + axis : axis;
  if (a < 0 || a >= x.rank) throw new RangeError(`filter axis ${axis} is out of range for a tensor of rank ${x.rank}`);
  return a;
}

/** reductionAxes(x, axis): every axis except the filter axis. */
export function reductionAxes(x: tf.Tensor, axis = -1): number[] {
  const f = filterAxis(x, axis);
  return Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== f);
}

/**
 * filterNorms(x, axis = -1) = ‖x_i‖₂ for each filter i, norm over every axis but the filter axis, kept
 * broadcastable against x (size 1 on the reduced axes). Rank ≤ 1: the norm of the whole tensor, a scalar.
 */
export function filterNorms(x: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    if (x.rank <= 1) return tf.sqrt(tf.sum(tf.square(x)));
    return tf.sqrt(tf.sum(tf.square(x), reductionAxes(x, axis), true));
  });
}

/** tensorsOf(value): every tensor reachable in a nested structure of objects/arrays (state, trees). */
export function tensorsOf(value: unknown, out: Set<tf.Tensor> = new Set()): Set<tf.Tensor> {
  if (value instanceof tf.Tensor) out.add(value);
  else if (Array.isArray(value)) for (const v of value) tensorsOf(v, out);
  else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) tensorsOf(v, out);
  }
  return out;
}

/** disposeReplaced(old, next): dispose every tensor of old that next no longer holds (the ownership rule of `train`). */
export function disposeReplaced(old: unknown, next: unknown): void {
  const keep = tensorsOf(next);
  for (const t of tensorsOf(old)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}

/** disposeTree(value): dispose every tensor in a nested structure. */
export function disposeTree(value: unknown): void {
  for (const t of tensorsOf(value)) if (!t.isDisposed) t.dispose();
}
