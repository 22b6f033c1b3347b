import * as tf from '@tensorflow/tfjs-core';
import type { Tree } from '../tree.js';

/** A tensor as it crosses a thread boundary: shape, dtype and its values in a transferable buffer. */
export interface WireTensor {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** A named tree of wire tensors. */
export type WireTree = Readonly<Record<string, WireTensor>>;

/** toWire(t): copy a tensor's values out (a fresh buffer, safe to transfer). */
export function toWire(t: tf.Tensor): WireTensor {
  const data = t.dataSync().slice() as Float32Array | Int32Array | Uint8Array;
  return { shape: t.shape, dtype: t.dtype as WireTensor['dtype'], data };
}

/** fromWire(w): a tensor with exactly the values sent. */
export function fromWire(w: WireTensor): tf.Tensor {
  return tf.tensor(w.data, w.shape as number[], w.dtype);
}

/** treeToWire(t) / treeFromWire(w): the same, leafwise. */
export const treeToWire = (t: Tree): WireTree => Object.fromEntries(Object.entries(t).map(([n, x]) => [n, toWire(x)]));
export const treeFromWire = (w: WireTree): Tree => Object.fromEntries(Object.entries(w).map(([n, x]) => [n, fromWire(x)]));

/** transferList(...trees): the buffers of wire trees, to move (not copy) them with postMessage. */
export function transferList(...trees: Array<WireTree | undefined>): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const t of trees) if (t !== undefined) for (const x of Object.values(t)) out.push(x.data.buffer as ArrayBuffer);
  return out;
}
