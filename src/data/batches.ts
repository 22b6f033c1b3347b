/** Turning a Dataset into tfjs batches: one contiguous range (evaluation) or one shuffled epoch (training). */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../model.js';
import type { Key } from '../random.js';
import { type Dataset, exampleSize } from './dataset.js';
import { permutation } from './prng.js';
import { checkKeys } from '../validate.js';

/** A batch of images and one-hot labels. The caller owns its tensors and must dispose them (tf.dispose(batch)). */
export type ImageBatch = Batch & {
  /** Images, float32 [b, h, w, c]. */
  readonly x: tf.Tensor4D;
  /** One-hot labels, float32 [b, classes]. */
  readonly y: tf.Tensor2D;
};

/** Options of batches / epochBatches. */
export interface BatchOptions {
  /** Drop the last, smaller batch of an epoch (default true, so every batch has exactly batchSize examples). */
  readonly dropLast?: boolean;
}

function checkBatchSize(fn: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`${fn}: batchSize must be a positive integer, got ${String(batchSize)}`);
}

/** The tensors for rows order[from..to) of ds (order null = identity); fresh arrays, as tfjs's cpu backend keeps the array it is given. */
function makeBatch(ds: Dataset, order: Int32Array | null, from: number, to: number): ImageBatch {
  const size = exampleSize(ds);
  const b = to - from;
  const x = new Float32Array(b * size);
  const y = new Float32Array(b * ds.classes);
  for (let i = 0; i < b; i++) {
    const r = order === null ? from + i : order[from + i]!;
    x.set(ds.x.subarray(r * size, (r + 1) * size), i * size);
    y[i * ds.classes + ds.y[r]!] = 1;
  }
  const [h, w, c] = ds.shape;
  return { x: tf.tensor4d(x, [b, h, w, c], 'float32'), y: tf.tensor2d(y, [b, ds.classes], 'float32') };
}

/** epochBatches(ds or n, batchSize, { dropLast = true }): batches per epoch, ⌊n/b⌋ with dropLast, else ⌈n/b⌉. */
export function epochBatches(ds: Pick<Dataset, 'n'> | number, batchSize: number, options: BatchOptions = {}): number {
  checkKeys('epochBatches', options, ['dropLast']);
  checkBatchSize('epochBatches', batchSize);
  const n = typeof ds === 'number' ? ds : ds.n;
  return (options.dropLast ?? true) ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/** toBatch(ds, start = 0, end = ds.n): examples [start, end) in order as one ImageBatch (for evaluation); the caller disposes it. */
export function toBatch(ds: Dataset, start = 0, end = ds.n): ImageBatch {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > ds.n || start >= end) {
    throw new RangeError(`toBatch: need integers 0 ≤ start < end ≤ ${ds.n} for '${ds.name}', got start = ${String(start)}, end = ${String(end)}`);
  }
  return makeBatch(ds, null, start, end);
}

/**
 * batches(ds, batchSize, key, { dropLast = true }): one epoch of ImageBatches in the order permutation(ds.n, key);
 * every example appears once (with dropLast, the n mod batchSize left over are skipped). Options are checked eagerly;
 * tensors are created lazily, one batch per step; each yielded batch belongs to the caller, who must dispose it
 * (tf.dispose(batch)). For several epochs pass fold(key, epoch).
 */
export function batches(ds: Dataset, batchSize: number, k: Key, options: BatchOptions = {}): Generator<ImageBatch, void, undefined> {
  checkKeys('batches', options, ['dropLast']);
  checkBatchSize('batches', batchSize);
  const dropLast = options.dropLast ?? true;
  if (dropLast && batchSize > ds.n) {
    throw new RangeError(`batches: batchSize ${batchSize} exceeds the ${ds.n} examples of '${ds.name}', so dropLast would yield no batch`);
  }
  const order = permutation(ds.n, k);
  const count = epochBatches(ds.n, batchSize, { dropLast });
  return (function* epoch() {
    for (let i = 0; i < count; i++) yield makeBatch(ds, order, i * batchSize, Math.min(ds.n, (i + 1) * batchSize));
  })();
}
