import * as tf from '@tensorflow/tfjs-core';
import { foldName, type Key } from '../random.js';
import { filterNorms, type Params } from '../tree.js';
import { checkKey, checkParams } from './common.js';
import { normalTensor } from '../normalTensor.js';

/**
 * What a filter-normalized direction does on rank ≤ 1 leaves (biases, norm scales), which have no filters:
 * - `'zero'` (default): d = 0, the leaf is not perturbed — Li et al.'s default (`--xignore biasbn`).
 * - `'normalize'`: d = g/(‖g‖ + 1e-10)·‖w‖ with the norms of the whole vector (the vector is one filter).
 * (Li et al.'s code, when biases are not ignored, copies d = w; that option is not offered here.)
 */
export type BiasMode = 'zero' | 'normalize';

/** Options of `filterNormalizedDirection` (and of every measure that draws such directions). */
export interface DirectionOptions {
  /** The filter (output) axis of rank ≥ 2 leaves; default −1, the last axis (tfjs layout `[in, out]`, `[kh, kw, in, out]`). */
  readonly axis?: number;
  /** Rank ≤ 1 leaves: `'zero'` (default, Li et al.) or `'normalize'` by the whole-vector norm. */
  readonly biases?: BiasMode;
}

/**
 * filterNormalizedDirection(params, key, { axis = −1, biases = 'zero' }): d_i = g_i/(‖g_i‖ + 1e-10)·‖w_i‖ for each filter i, g ~ N(0, I) (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets", filter normalization).
 *
 * Norms are taken over every axis but the filter axis. Rank ≤ 1 leaves follow `biases` (see {@link BiasMode}).
 * Leaf n draws g from the key `foldName(key, n)`, so a leaf's direction does not depend on the other leaves.
 * Returns new tensors the caller owns (dispose them); params are left untouched.
 */
export function filterNormalizedDirection(params: Params, k: Key, options: DirectionOptions = {}): Params {
  const fn = 'filterNormalizedDirection';
  checkParams(fn, params);
  checkKey(fn, 'key', k);
  const axis = options.axis ?? -1;
  if (!Number.isInteger(axis)) throw new RangeError(`${fn}: axis must be an integer, got ${String(axis)}`);
  const biases = options.biases ?? 'zero';
  if (biases !== 'zero' && biases !== 'normalize') {
    throw new RangeError(`${fn}: biases must be 'zero' or 'normalize', got ${String(biases)}`);
  }
  for (const [n, w] of Object.entries(params)) {
    if (w.rank >= 2) {
      const a = axis < 0 ? w.rank + axis : axis;
      if (a < 0 || a >= w.rank) throw new RangeError(`${fn}: axis ${axis} is out of range for params.${n} of rank ${w.rank}`);
    }
  }
  return tf.tidy(() => {
    const out: Record<string, tf.Tensor> = {};
    for (const [n, w] of Object.entries(params)) {
      if (w.rank <= 1 && biases === 'zero') {
        out[n] = tf.zerosLike(w);
        continue;
      }
      const g = normalTensor(foldName(k, n), w.shape);
      out[n] = tf.mul(g, tf.div(filterNorms(w, axis), tf.add(filterNorms(g, axis), 1e-10)));
    }
    return out;
  });
}
