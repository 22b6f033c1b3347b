import * as tf from '@tensorflow/tfjs-core';
import type { Tree } from '../tree.js';

/** One leaf of a tree description: its shape and its float32 values (row-major). Plain data, no tensor. */
export interface LeafDesc {
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** Its elements, row-major. */
  readonly values: Float32Array;
}

/**
 * A tree description: what a tensor tree will hold, as plain data. Arbitraries produce descriptions, not tensors,
 * so that fast-check can generate and shrink them freely; tensors are made by `materialize` inside a law.
 */
export type TreeDesc = Readonly<Record<string, LeafDesc>>;

/** sizeOf(shape): the number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}

/** materialize(desc): a fresh tensor tree holding desc's values (copied, so a rule that writes into its inputs cannot touch desc); the caller owns and disposes it. */
export function materialize(desc: TreeDesc): Tree {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, leaf] of Object.entries(desc)) out[name] = tf.tensor(leaf.values.slice(), [...leaf.shape], 'float32');
  return out;
}

/** snapshot(tree): a description of a tree's current values (one host read per leaf); the inverse of `materialize`. */
export function snapshot(tree: Tree): TreeDesc {
  const out: Record<string, LeafDesc> = {};
  for (const [name, x] of Object.entries(tree)) out[name] = { shape: [...x.shape], values: Float32Array.from(x.dataSync() as Float32Array) };
  return out;
}

/** mapDesc(desc, f): a description with f applied to every leaf's values (same names and shapes). */
export function mapDesc(desc: TreeDesc, f: (values: Float32Array, name: string, shape: readonly number[]) => Float32Array): TreeDesc {
  const out: Record<string, LeafDesc> = {};
  for (const [name, leaf] of Object.entries(desc)) out[name] = { shape: leaf.shape, values: f(leaf.values, name, leaf.shape) };
  return out;
}

/** pickDesc(desc, names): the sub-description holding only the given leaves, in desc's order. */
export function pickDesc(desc: TreeDesc, names: readonly string[]): TreeDesc {
  return Object.fromEntries(Object.entries(desc).filter(([n]) => names.includes(n)));
}

/** summarize(desc): a one-line summary, e.g. `{p0: [2,3], p1: []}`, for error messages. */
export function summarize(desc: TreeDesc): string {
  return `{${Object.entries(desc).map(([n, l]) => `${n}: [${l.shape.join(',')}]`).join(', ')}}`;
}
