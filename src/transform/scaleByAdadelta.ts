import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByAdadelta`; defaults rho = 0.9, eps = 1e-6 (optax's). */
export interface AdadeltaOptions {
  /** Decay of both running averages; default 0.9. */
  readonly rho?: number;
  /** Added inside both roots; default 1e-6. */
  readonly eps?: number;
}

/** scaleByAdadelta({ rho = 0.9, eps = 1e-6 }): E[g²] ← ρE[g²] + (1−ρ)u², out = √(E[Δ²] + eps)/√(E[g²] + eps)·u, E[Δ²] ← ρE[Δ²] + (1−ρ)out² (Zeiler 2012; optax.scale_by_adadelta). */
export const scaleByAdadelta = defineTransform('scaleByAdadelta', function scaleByAdadelta(options: AdadeltaOptions = {}): GradientTransformation<{
  /** Running mean of the squared updates in (E[g²]). */
  readonly eG: Tree;
  /** Running mean of the squared updates out (E[Δ²]). */
  readonly eX: Tree;
}> {
  const { rho = 0.9, eps = 1e-6 } = options;
  orThrow(all({ options: knownKeys(options, ['rho', 'eps']), rho: num('rho', rho, rules.unitOpen), eps: num('eps', eps, rules.nonNegative) }), 'scaleByAdadelta');
  return transformation(
    (params) => ({ eG: zerosLike(params), eX: zerosLike(params) }),
    (u, { eG, eX }) => {
      const g2 = zipWith(eG, u, (e, g) => tf.add(tf.mul(tf.square(g), 1 - rho), tf.mul(e, rho)));
      const out = zipWith3(u, g2, eX, (g, e, x) => tf.mul(tf.div(tf.sqrt(tf.add(x, eps)), tf.sqrt(tf.add(e, eps))), g));
      const x2 = zipWith(eX, out, (x, d) => tf.add(tf.mul(tf.square(d), 1 - rho), tf.mul(x, rho)));
      return [out, { eG: g2, eX: x2 }];
    },
  );
});
