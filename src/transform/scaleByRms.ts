import * as tf from '@tensorflow/tfjs-core';
import { map, zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
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
  /** Put eps inside the square root, √(ν + eps), as tf.train.rmsprop and optax's default (`eps_in_sqrt=True`) do; default false: outside, √ν + eps, as torch.optim.RMSprop. */
  readonly epsilonInSqrt?: boolean;
  /** Divide ν (and μ) by 1 − decayᵗ (optax's `bias_correction`, as schedule-free AdamW uses); default false. */
  readonly biasCorrection?: boolean;
  /** The starting value of ν (optax's `initial_scale`); default 0. */
  readonly initialScale?: number;
}

/**
 * scaleByRms({ decay = 0.9, eps = 1e-8 }): ν ← decay·ν + (1−decay)·u², out = u/(√ν + eps) (Tieleman & Hinton 2012); options centre ν
 * and move eps. The default puts eps outside the root, as torch does; optax.scale_by_rms puts it inside by default
 * (`eps_in_sqrt=True`): for optax's numbers pass `epsilonInSqrt: true`.
 */
export const scaleByRms = defineTransform('scaleByRms', function scaleByRms(options: RmsOptions = {}): GradientTransformation<{
  /** The running mean of u². */
  readonly nu: Tree;
  /** The running mean of u when centered, else null. */
  readonly mu: Tree | null;
  /** Updates so far, when biasCorrection (else absent). */
  readonly count?: number;
}> {
  const { decay = 0.9, eps = 1e-8, centered = false, epsilonInSqrt = false, biasCorrection = false, initialScale = 0 } = options;
  orThrow(all({ options: knownKeys(options, ['decay', 'eps', 'centered', 'epsilonInSqrt', 'biasCorrection', 'initialScale']), decay: num('decay', decay, rules.unitOpen), eps: num('eps', eps, rules.nonNegative), centered: bool('centered', centered), epsilonInSqrt: bool('epsilonInSqrt', epsilonInSqrt), biasCorrection: bool('biasCorrection', biasCorrection), initialScale: num('initialScale', initialScale, rules.nonNegative) }), 'scaleByRms');
  return transformation(
    (params) => ({ nu: initialScale === 0 ? zerosLike(params) : map(params, (x) => tf.fill(x.shape, initialScale, 'float32')), mu: centered ? zerosLike(params) : null, ...(biasCorrection ? { count: 0 } : {}) }),
    (u, { nu, mu, count = 0 }) => {
      const v = zipWith(nu, u, (vi, g) => tf.add(tf.mul(vi, decay), tf.mul(tf.square(g), 1 - decay)));
      const m = mu === null ? null : zipWith(mu, u, (mi, g) => tf.add(tf.mul(mi, decay), tf.mul(g, 1 - decay)));
      // ν − μ² ≥ 0 in exact arithmetic; float32 rounding can make it slightly negative once the variance vanishes.
      const c = 1 - Math.pow(decay, count + 1);
      const hat = (t: Tree): Tree => (biasCorrection ? map(t, (x) => tf.div(x, c)) : t);
      const vHat = hat(v);
      const second = m === null ? vHat : zipWith(vHat, hat(m), (vi, mi) => tf.relu(tf.sub(vi, tf.square(mi))));
      const denom = (s: tf.Tensor): tf.Tensor => (epsilonInSqrt ? tf.sqrt(tf.add(s, eps)) : tf.add(tf.sqrt(s), eps));
      const out = zipWith3(u, second, u, (g, s) => tf.div(g, denom(s)));
      return [out, { nu: v, mu: m, ...(biasCorrection ? { count: count + 1 } : {}) }];
    },
  );
}, { params: ['options'], formula: ([o], f) => { const { decay = 0.9, eps = 1e-8, centered = false, epsilonInSqrt = false } = (o ?? {}) as RmsOptions; const v = centered ? 'v − μ²' : 'v'; return `v ← ${f.num(decay)}·v + ${f.num(1 - decay)}·g²${centered ? `; μ ← ${f.num(decay)}·μ + ${f.num(1 - decay)}·g` : ''}; g ← g/${epsilonInSqrt ? `√(${v} + ${f.num(eps)})` : `(√(${v}) + ${f.num(eps)})`}`; } });
