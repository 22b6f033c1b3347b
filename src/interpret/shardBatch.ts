import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../model.js';
import { batchSize } from './splitBatch.js';

/** One shard of a batch and its share of the examples (nᵢ / n). */
export interface Shard {
  readonly batch: Batch;
  readonly weight: number;
}

/**
 * shardBatch(B, k): B cut into min(k, n) contiguous shards along the first axis, the first n mod k one example longer,
 * each with weight nᵢ/n — so that Σ wᵢ·mean-loss gradient of shard i is the batch's mean-loss gradient (up to rounding).
 */
export function shardBatch(batch: Batch, k: number): Shard[] {
  const n = batchSize(batch);
  const m = Math.max(1, Math.min(k, n));
  const base = Math.floor(n / m);
  const out: Shard[] = [];
  let begin = 0;
  for (let i = 0; i < m; i++) {
    const size = base + (i < n % m ? 1 : 0);
    const b: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(batch)) b[name] = tf.slice(t, begin, size);
    out.push({ batch: b, weight: size / n });
    begin += size;
  }
  return out;
}
