import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByBelief`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-16, epsRoot = 1e-16 (the paper's and optax's). */
export interface BeliefOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the belief (the second moment of u − m); default 0.999. */
  readonly b2?: number;
  /** Added to the root in the denominator; default 1e-16. */
  readonly eps?: number;
  /** Added to s at every step (kept in the state); default 1e-16. */
  readonly epsRoot?: number;
}

/** scaleByBelief({ b1, b2, eps, epsRoot }): m ← b1·m + (1−b1)·u, s ← b2·s + (1−b2)·(u − m)² + epsRoot, out = m̂/(√ŝ + eps) (AdaBelief, Zhuang et al. 2020; optax.scale_by_belief). */
export const scaleByBelief = defineTransform('scaleByBelief', function scaleByBelief(options: BeliefOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias corrections). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The belief s, the running second moment of u − m. */
  readonly nu: Tree;
}> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-16, epsRoot = 1e-16 } = options;
  orThrow(all({ options: knownKeys(options, ['b1', 'b2', 'eps', 'epsRoot']), b1: num('b1', b1, rules.unitOpen), b2: num('b2', b2, rules.unitOpen), eps: num('eps', eps, rules.nonNegative), epsRoot: num('epsRoot', epsRoot, rules.nonNegative) }), 'scaleByBelief');
  return transformation(
    (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    (u, { count, mu, nu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - b1), tf.mul(mi, b1)));
      const err = zipWith(u, m, (g, mi) => tf.sub(g, mi));
      const s = zipWith(nu, err, (si, e) => tf.add(tf.add(tf.mul(tf.square(e), 1 - b2), tf.mul(si, b2)), epsRoot));
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const out = zipWith(m, s, (mi, si) => tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(si, c2)), eps)));
      return [out, { count: t, mu: m, nu: s }];
    },
  );
});
