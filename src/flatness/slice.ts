import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { split, type Key } from '../random.js';
import { disposeTree, type Params } from '../tree.js';
import { checkFinite, checkInteger, checkKey, checkParams, checkSameStructure, evalLossAt, linspace } from './common.js';
import { filterNormalizedDirection, type DirectionOptions } from './direction.js';
import { checkKeys } from '../validate.js';

/** Options of `lossSlice1D`. */
export interface LossSlice1DOptions extends DirectionOptions {
  /** Key of the direction d = filterNormalizedDirection(params, key, { axis, biases }). */
  readonly key: Key;
  /** α ranges over [−span, span]; default 1 (one filter norm each way). Must be > 0. */
  readonly span?: number;
  /** Number of evenly spaced α, ≥ 2; default 21. */
  readonly points?: number;
  /** Use this direction instead of a random one (same names and shapes as params; e.g. w_final − w_init). */
  readonly direction?: Params;
}

/** What `lossSlice1D` returns. */
export interface LossSlice1DResult {
  /** α_i, evenly spaced from −span to span. */
  readonly alphas: number[];
  /** losses[i] = L(w + α_i·d). */
  readonly losses: number[];
}

/** Options of `lossSlice2D`. */
export interface LossSlice2DOptions extends DirectionOptions {
  /** Key of the directions: [k₁, k₂] = split(key), d_m = filterNormalizedDirection(params, k_m, { axis, biases }). */
  readonly key: Key;
  /** α and β range over [−span, span]; default 1. Must be > 0. */
  readonly span?: number;
  /** Number of evenly spaced values along each axis, ≥ 2; default 21 (21 × 21 loss evaluations). */
  readonly points?: number;
  /** Use these two directions instead of random ones (same names and shapes as params). */
  readonly directions?: readonly [Params, Params];
}

/** What `lossSlice2D` returns. */
export interface LossSlice2DResult {
  /** α_i along d₁, evenly spaced from −span to span. */
  readonly alphas: number[];
  /** β_j along d₂, evenly spaced from −span to span. */
  readonly betas: number[];
  /** losses[j][i] = L(w + α_i·d₁ + β_j·d₂): rows follow β (y), columns α (x), as `contourSvg` expects. */
  readonly losses: number[][];
}

function commonChecks(fn: string, params: Params, k: Key, span: number, points: number): void {
  checkParams(fn, params);
  checkKey(fn, 'key', k);
  checkFinite(fn, 'span', span, { min: 0, exclusive: true });
  checkInteger(fn, 'points', points, 2);
}

/**
 * lossSlice1D(loss, params, batch, { key, span = 1, points = 21 }) → { alphas, losses }: losses[i] = L(w + α_i·d), α_i ∈ [−span, span], d filter-normalized (Li et al. 2018, 1-D loss plots).
 */
export function lossSlice1D<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  options: LossSlice1DOptions,
): LossSlice1DResult {
  const fn = 'lossSlice1D';
  checkKeys(fn, options, ['key', 'span', 'points', 'direction', 'axis', 'biases']);
  const { key: k, span = 1, points = 21 } = options;
  commonChecks(fn, params, k, span, points);
  if (options.direction !== undefined) checkSameStructure(fn, 'direction', params, options.direction);
  const d = options.direction ?? filterNormalizedDirection(params, k, { axis: options.axis ?? -1, biases: options.biases ?? 'zero' });
  const alphas = linspace(-span, span, points);
  try {
    const losses = alphas.map((a) =>
      evalLossAt(
        loss,
        () => {
          const p: Record<string, tf.Tensor> = {};
          for (const [n, w] of Object.entries(params)) p[n] = tf.add(w, tf.mul(d[n] as tf.Tensor, a));
          return p;
        },
        batch,
      ),
    );
    return { alphas, losses };
  } finally {
    if (options.direction === undefined) disposeTree(d);
  }
}

/**
 * lossSlice2D(loss, params, batch, { key, span = 1, points = 21 }) → { alphas, betas, losses }: losses[j][i] = L(w + α_i·d₁ + β_j·d₂), d₁, d₂ independent filter-normalized directions (Li et al. 2018, 2-D contour plots).
 */
export function lossSlice2D<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  options: LossSlice2DOptions,
): LossSlice2DResult {
  const fn = 'lossSlice2D';
  checkKeys(fn, options, ['key', 'span', 'points', 'directions', 'axis', 'biases']);
  const { key: k, span = 1, points = 21 } = options;
  commonChecks(fn, params, k, span, points);
  const given = options.directions;
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length !== 2) throw new RangeError(`${fn}: directions must be a pair [d1, d2]`);
    checkSameStructure(fn, 'directions[0]', params, given[0]);
    checkSameStructure(fn, 'directions[1]', params, given[1]);
  }
  const dirOptions: DirectionOptions = { axis: options.axis ?? -1, biases: options.biases ?? 'zero' };
  const [k1, k2] = split(k, 2) as [Key, Key];
  const d1 = given?.[0] ?? filterNormalizedDirection(params, k1, dirOptions);
  let d2: Params | undefined;
  try {
    d2 = given?.[1] ?? filterNormalizedDirection(params, k2, dirOptions);
    const e2 = d2;
    const alphas = linspace(-span, span, points);
    const betas = linspace(-span, span, points);
    const losses = betas.map((b) =>
      alphas.map((a) =>
        evalLossAt(
          loss,
          () => {
            const p: Record<string, tf.Tensor> = {};
            for (const [n, w] of Object.entries(params)) {
              p[n] = tf.add(w, tf.add(tf.mul(d1[n] as tf.Tensor, a), tf.mul(e2[n] as tf.Tensor, b)));
            }
            return p;
          },
          batch,
        ),
      ),
    );
    return { alphas, betas, losses };
  } finally {
    if (given === undefined) {
      disposeTree(d1);
      if (d2 !== undefined) disposeTree(d2);
    }
  }
}
