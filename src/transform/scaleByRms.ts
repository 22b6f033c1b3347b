import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, bool, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByRms`; defaults decay = 0.9, eps = 1e-8, centered = false, epsilonInSqrt = false. */
export interface RmsOptions {
  /** Decay of the running averages; default 0.9. */
  readonly decay?: number;
  /** Added to the denominator; default 1e-8. */
  readonly eps?: number;
  /** Divide by the centred second moment √(ν − μ²) (Graves 2013). */
  readonly centered?: boolean;
  /** Put eps inside the square root, √(ν + eps), as tf.train.rmsprop does; default outside, √ν + eps, as optax and torch. */
  readonly epsilonInSqrt?: boolean;
}

/** scaleByRms({ decay, eps }): ν ← decay·ν + (1−decay)·u², out = u/(√ν + eps) (Tieleman & Hinton 2012); options centre ν and move eps. */
export const scaleByRms = defineTransform('scaleByRms', function scaleByRms({ decay = 0.9, eps = 1e-8, centered = false, epsilonInSqrt = false }: RmsOptions = {}): GradientTransformation<{
  /** The running mean of u². */
  readonly nu: Tree;
  /** The running mean of u when centered, else null. */
  readonly mu: Tree | null;
}> {
  orThrow(all({ decay: num('decay', decay, rules.unitOpen), eps: num('eps', eps, rules.nonNegative), centered: bool('centered', centered), epsilonInSqrt: bool('epsilonInSqrt', epsilonInSqrt) }), 'scaleByRms');
  return transformation(
    (params) => ({ nu: zerosLike(params), mu: centered ? zerosLike(params) : null }),
    (u, { nu, mu }) => {
      const v = zipWith(nu, u, (vi, g) => tf.add(tf.mul(vi, decay), tf.mul(tf.square(g), 1 - decay)));
      const m = mu === null ? null : zipWith(mu, u, (mi, g) => tf.add(tf.mul(mi, decay), tf.mul(g, 1 - decay)));
      // ν − μ² ≥ 0 in exact arithmetic; float32 rounding can make it slightly negative once the variance vanishes.
      const second = m === null ? v : zipWith(v, m, (vi, mi) => tf.relu(tf.sub(vi, tf.square(mi))));
      const denom = (s: tf.Tensor): tf.Tensor => (epsilonInSqrt ? tf.sqrt(tf.add(s, eps)) : tf.add(tf.sqrt(s), eps));
      const out = zipWith3(u, second, u, (g, s) => tf.div(g, denom(s)));
      return [out, { nu: v, mu: m }];
    },
  );
}, { params: ['options'], formula: ([o], f) => { const { decay = 0.9, eps = 1e-8, centered = false, epsilonInSqrt = false } = (o ?? {}) as RmsOptions; const v = centered ? 'v − μ²' : 'v'; return `v ← ${f.num(decay)}·v + ${f.num(1 - decay)}·g²${centered ? `; μ ← ${f.num(decay)}·μ + ${f.num(1 - decay)}·g` : ''}; g ← g/${epsilonInSqrt ? `√(${v} + ${f.num(eps)})` : `(√(${v}) + ${f.num(eps)})`}`; } });
