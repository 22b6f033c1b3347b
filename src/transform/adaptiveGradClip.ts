import * as tf from '@tensorflow/tfjs-core';
import { filterNorms, zipWith } from '../tree.js';
import { all, knownKeys, num, ok, orThrow, rules } from '../validate.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `adaptiveGradClip`. */
export interface AdaptiveGradClipOptions {
  /** Floor of the parameter's unit norm; default 1e-3. */
  readonly eps?: number;
  /** Take the unit norms per slice along this filter (output) axis, over every other axis; default optax's units (see `adaptiveGradClip`). */
  readonly axis?: number;
}

/** optax's unit norms (unitwise_norm): a whole-tensor norm when at most one axis has size > 1; else rank 2–3 over axis 0, rank 4 over (0, 1, 2), rank 5 over (0, …, 3); beyond that every axis but the last. */
function optaxUnitNorm(x: tf.Tensor): tf.Tensor {
  const sq = tf.square(x);
  if (x.shape.filter((d) => d !== 1).length <= 1) return tf.sqrt(tf.sum(sq));
  const axes = x.rank <= 3 ? [0] : Array.from({ length: x.rank - 1 }, (_, i) => i);
  return tf.sqrt(tf.sum(sq, axes, true));
}

/**
 * adaptiveGradClip(λ, { eps = 1e-3, axis }): AGC (Brock et al. 2021; optax.adaptive_grad_clip): per unit i, with
 * mᵢ = λ·max(‖wᵢ‖, eps), gᵢ is kept if ‖gᵢ‖ < mᵢ, else scaled to gᵢ·mᵢ/max(‖gᵢ‖, 1e-6). The units are optax's by default
 * (for tfjs's `[in, out]` and `[kh, kw, in, out]` kernels: each output filter; a vector as a whole); with `axis`, each
 * slice along that filter axis, as `filterNorms`.
 */
export const adaptiveGradClip = defineTransform('adaptiveGradClip', function adaptiveGradClip(clipping: number, options: AdaptiveGradClipOptions = {}): GradientTransformation<null> {
  const { eps = 1e-3, axis } = options;
  orThrow(
    all({
      options: knownKeys(options, ['eps', 'axis']),
      clipping: num('clipping', clipping, rules.nonNegative),
      eps: num('eps', eps, rules.nonNegative),
      axis: axis === undefined ? ok(undefined) : num('axis', axis, { test: (x) => Number.isInteger(x), says: 'must be an integer' }),
    }),
    'adaptiveGradClip',
  );
  const unitNorm = (x: tf.Tensor): tf.Tensor => tf.broadcastTo(axis === undefined ? optaxUnitNorm(x) : filterNorms(x, axis), x.shape);
  return stateless((u, params) =>
    zipWith(u, params, (g, w) => {
      const gNorm = unitNorm(g);
      const maxNorm = tf.mul(tf.maximum(unitNorm(w), eps), clipping);
      const clipped = tf.mul(g, tf.div(maxNorm, tf.maximum(gNorm, 1e-6)));
      return tf.where(tf.less(gNorm, maxNorm), g, clipped);
    }),
  );
});
