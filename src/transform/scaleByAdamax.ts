import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByAdamax`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. */
export interface AdamaxOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the infinity norm; default 0.999. */
  readonly b2?: number;
  /** Added to |u| inside the max; default 1e-8. */
  readonly eps?: number;
}

/** scaleByAdamax({ b1 = 0.9, b2 = 0.999, eps = 1e-8 }): m ← b1·m + (1−b1)·u, ν ← max(|u| + eps, b2·ν), out = m/((1−b1ᵗ)·ν) (Kingma & Ba 2015, §7; optax.scale_by_adamax). */
export const scaleByAdamax = defineTransform('scaleByAdamax', function scaleByAdamax(options: AdamaxOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias correction). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The exponentially weighted infinity norm ν. */
  readonly nu: Tree;
}> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = options;
  orThrow(all({ options: knownKeys(options, ['b1', 'b2', 'eps']), b1: num('b1', b1, rules.unitOpen), b2: num('b2', b2, rules.unitOpen), eps: num('eps', eps, rules.nonNegative) }), 'scaleByAdamax');
  return transformation(
    (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    (u, { count, mu, nu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - b1), tf.mul(mi, b1)));
      const v = zipWith(nu, u, (vi, g) => tf.maximum(tf.add(tf.abs(g), eps), tf.mul(vi, b2)));
      const c1 = 1 - Math.pow(b1, t);
      const out = zipWith(m, v, (mi, vi) => tf.div(tf.div(mi, c1), vi));
      return [out, { count: t, mu: m, nu: v }];
    },
  );
});
