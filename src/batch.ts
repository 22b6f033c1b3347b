import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './model.js';

/** batchSize(batch): the shared length of the batch's first axis; throws if the tensors disagree. */
export function batchSize(batch: Batch): number {
  const sizes = Object.entries(batch).map(([k, t]) => [k, t.shape[0] ?? 1] as const);
  const n = sizes[0]?.[1];
  if (n === undefined) throw new RangeError('batch has no tensors');
  const bad = sizes.filter(([, s]) => s !== n);
  if (bad.length > 0) throw new RangeError(`batch tensors disagree on their first axis: ${sizes.map(([k, s]) => `${k}: ${s}`).join(', ')}`);
  return n;
}

/** splitBatch(B): [B₁, B₂], the first ⌊n/2⌋ examples and the rest (for `mix(…, { batch: 'split' })`). Needs n ≥ 2. */
export function splitBatch(batch: Batch): readonly [Batch, Batch] {
  const n = batchSize(batch);
  if (n < 2) throw new RangeError(`mix with batch 'split' needs at least 2 examples in the batch, got ${n}`);
  const h = Math.floor(n / 2);
  const first: Record<string, tf.Tensor> = {};
  const second: Record<string, tf.Tensor> = {};
  for (const [k, t] of Object.entries(batch)) {
    first[k] = tf.slice(t, 0, h);
    second[k] = tf.slice(t, h, n - h);
  }
  return [first, second];
}

/** splitBatchN(B, n): n consecutive slices of B, sizes differing by at most one (the first ones larger). Needs n ≤ |B|. */
export function splitBatchN(batch: Batch, n: number): Batch[] {
  const size = batchSize(batch);
  if (!Number.isInteger(n) || n < 1 || n > size) throw new RangeError(`splitting the batch into ${n} micro-batches needs an integer 1 ≤ n ≤ the batch size ${size}`);
  const out: Batch[] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const len = Math.floor(size / n) + (k < size % n ? 1 : 0);
    out.push(Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, tf.slice(t, start, len)])));
    start += len;
  }
  return out;
}
