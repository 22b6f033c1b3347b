import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { fold, type Key } from '../random.js';
import { disposeTree, type Params } from '../tree.js';
import { checkFinite, checkInteger, checkKey, checkParams, evalLoss, evalLossAt } from './common.js';
import { filterNormalizedDirection, type DirectionOptions } from './direction.js';
import { checkKeys } from '../validate.js';

/** Options of `expectedPerturbedLoss`. */
export interface ExpectedPerturbedLossOptions extends DirectionOptions {
  /** The radii r at which to measure (non-empty, finite; r is relative to each filter's norm). */
  readonly radii: readonly number[];
  /** Number of random directions; default 8. */
  readonly samples?: number;
  /** Randomness: sample s uses the direction `filterNormalizedDirection(params, fold(key, s))`. */
  readonly key: Key;
}

/** What `expectedPerturbedLoss` returns: per radius, the mean and spread of the loss increase. */
export interface ExpectedPerturbedLossResult {
  /** The radii, as given. */
  readonly radii: number[];
  /** mean[j] = (1/S)·Σ_s [L(w + r_j·d_s) − L(w)]. */
  readonly mean: number[];
  /** std[j]: the sample standard deviation (denominator S − 1; 0 when S = 1) of the same differences. */
  readonly std: number[];
  /** L(w), the unperturbed loss. */
  readonly loss: number;
  /** deltas[s][j] = L(w + r_j·d_s) − L(w), every sample. */
  readonly deltas: number[][];
}

/**
 * expectedPerturbedLoss(loss, params, batch, { radii, samples = 8, key }): for each r, mean and std over S directions of L(w + r·d) − L(w), d filter-normalized (Li et al. 2018; the flatness measure of the RWP papers, Li et al. 2022/2024).
 *
 * The same S directions are used at every radius (common random numbers), so the curve over r is smooth.
 * For a quadratic L = ½(w − w*)ᵀA(w − w*) at w = w*, mean(r) = ½r²·mean_s(d_sᵀ A d_s).
 */
export function expectedPerturbedLoss<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  options: ExpectedPerturbedLossOptions,
): ExpectedPerturbedLossResult {
  const fn = 'expectedPerturbedLoss';
  checkKeys(fn, options, ['radii', 'samples', 'key', 'axis', 'biases']);
  checkParams(fn, params);
  const { radii, samples = 8, key: k } = options;
  if (!Array.isArray(radii) || radii.length === 0) throw new RangeError(`${fn}: radii must be a non-empty array of numbers`);
  radii.forEach((r, j) => checkFinite(fn, `radii[${j}]`, r));
  checkInteger(fn, 'samples', samples, 1);
  checkKey(fn, 'key', k);
  const dirOptions: DirectionOptions = { axis: options.axis ?? -1, biases: options.biases ?? 'zero' };

  const base = evalLoss(loss, params, batch);
  const deltas: number[][] = [];
  for (let s = 0; s < samples; s++) {
    const d = filterNormalizedDirection(params, fold(k, s), dirOptions);
    try {
      deltas.push(
        radii.map(
          (r) =>
            evalLossAt(
              loss,
              () => {
                const p: Record<string, tf.Tensor> = {};
                for (const [n, w] of Object.entries(params)) p[n] = tf.add(w, tf.mul(d[n] as tf.Tensor, r));
                return p;
              },
              batch,
            ) - base,
        ),
      );
    } finally {
      disposeTree(d);
    }
  }
  const mean = radii.map((_, j) => deltas.reduce((acc, row) => acc + (row[j] as number), 0) / samples);
  const std = radii.map((_, j) => {
    if (samples < 2) return 0;
    const m = mean[j] as number;
    const ss = deltas.reduce((acc, row) => acc + ((row[j] as number) - m) ** 2, 0);
    return Math.sqrt(ss / (samples - 1));
  });
  return { radii: [...radii], mean, std, loss: base, deltas };
}
