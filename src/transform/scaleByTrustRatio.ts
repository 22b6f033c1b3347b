import * as tf from '@tensorflow/tfjs-core';
import { zipWith } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByTrustRatio`; defaults minNorm = 0, trustCoefficient = 1, eps = 0 (optax's). */
export interface TrustRatioOptions {
  /** Norms at or below this count as this value; default 0. */
  readonly minNorm?: number;
  /** The trust coefficient η; default 1. */
  readonly trustCoefficient?: number;
  /** Added to the update's norm; default 0. */
  readonly eps?: number;
}

/** norm(x, min): ‖x‖₂ of a whole leaf, or min when it is at most min (optax's safe_norm). */
const safeNorm = (x: tf.Tensor, min: number): tf.Tensor => tf.maximum(tf.norm(x), min);

/**
 * scaleByTrustRatio({ minNorm = 0, trustCoefficient = 1, eps = 0 }): per leaf, u ↦ u·η‖w‖/(‖u‖ + eps), or u itself
 * when ‖w‖ or ‖u‖ is 0 — the layer-wise trust ratio of LARS (You et al. 2017) and LAMB (You et al. 2020); optax.scale_by_trust_ratio.
 */
export const scaleByTrustRatio = defineTransform('scaleByTrustRatio', function scaleByTrustRatio(options: TrustRatioOptions = {}): GradientTransformation<null> {
  const { minNorm = 0, trustCoefficient = 1, eps = 0 } = options;
  orThrow(all({ options: knownKeys(options, ['minNorm', 'trustCoefficient', 'eps']), minNorm: num('minNorm', minNorm, rules.nonNegative), trustCoefficient: num('trustCoefficient', trustCoefficient, rules.nonNegative), eps: num('eps', eps, rules.nonNegative) }), 'scaleByTrustRatio');
  return stateless((u, params) =>
    zipWith(u, params, (g, w) => {
      const wn = safeNorm(w, minNorm);
      const un = safeNorm(g, minNorm);
      const ratio = tf.div(tf.mul(wn, trustCoefficient), tf.add(un, eps));
      const degenerate = tf.logicalOr(tf.equal(wn, 0), tf.equal(un, 0));
      return tf.mul(g, tf.where(degenerate, tf.onesLike(ratio), ratio));
    }),
  );
});
