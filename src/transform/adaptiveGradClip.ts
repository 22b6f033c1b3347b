import * as tf from '@tensorflow/tfjs-core';
import { filterNorms, zipWith } from '../tree.js';
import { all, num, orThrow, rules } from '../validate.js';
import { stateless, type GradientTransformation } from './types.js';

/** Options of `adaptiveGradClip`. */
export interface AdaptiveGradClipOptions {
  /** Floor of the parameter's unit norm; default 1e-3. */
  readonly eps?: number;
  /** The filter (output) axis the unit norms are taken per; default −1, the last (tfjs's `[in, out]`, `[kh, kw, in, out]`). */
  readonly axis?: number;
}

/**
 * adaptiveGradClip(λ, { eps = 1e-3, axis = −1 }): per unit i (output filter; the whole tensor for rank ≤ 1), with
 * mᵢ = λ·max(‖wᵢ‖, eps): gᵢ unchanged if ‖gᵢ‖ < mᵢ, else gᵢ·mᵢ/max(‖gᵢ‖, 1e-6) (AGC, Brock et al. 2021; optax.adaptive_grad_clip:
 * the same unit norms for rank 2, 4 and 5; optax takes rank 3 per `[…, out]` over axis 0 only, and squeezes size-1 axes first).
 */
export function adaptiveGradClip(clipping: number, options: AdaptiveGradClipOptions = {}): GradientTransformation<null> {
  const { eps = 1e-3, axis = -1 } = options;
  orThrow(
    all({
      clipping: num('clipping', clipping, rules.nonNegative),
      eps: num('eps', eps, rules.nonNegative),
      axis: num('axis', axis, { test: (x) => Number.isInteger(x), says: 'must be an integer' }),
    }),
    'adaptiveGradClip',
  );
  return stateless((u, params) =>
    zipWith(u, params, (g, w) => {
      const gNorm = tf.broadcastTo(filterNorms(g, axis), g.shape);
      const maxNorm = tf.mul(tf.maximum(tf.broadcastTo(filterNorms(w, axis), g.shape), eps), clipping);
      const clipped = tf.mul(g, tf.div(maxNorm, tf.maximum(gNorm, 1e-6)));
      return tf.where(tf.less(gNorm, maxNorm), g, clipped);
    }),
  );
}
