import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules, type Rule } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** RAdam's threshold must be ≥ 4: below it, some step has threshold ≤ ρₜ < 4, where rₜ is the root of a negative number (optax gives NaN there). */
export const radamThreshold: Rule = { test: (x) => x >= 4, says: 'must be ≥ 4 (below 4 the rectification rₜ is NaN at the steps where ρₜ < 4)' };

/** Options of `scaleByRadam`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5. */
export interface RadamOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to the root in the denominator; default 1e-8. */
  readonly eps?: number;
  /** Added inside the root; default 0. */
  readonly epsRoot?: number;
  /** The length ρₜ of the approximated moving average from which on the adaptive step is used; ≥ 4, default 5. */
  readonly threshold?: number;
}

/**
 * scaleByRadam({ b1, b2, eps, epsRoot, threshold = 5 }): Adam's moments; ρ∞ = 2/(1−b2) − 1, ρₜ = ρ∞ − 2t·b2ᵗ/(1−b2ᵗ);
 * out = rₜ·m̂/(√(v̂ + epsRoot) + eps) with rₜ = √((ρₜ−4)(ρₜ−2)ρ∞/((ρ∞−4)(ρ∞−2)ρₜ)) when ρₜ ≥ threshold, else m̂
 * (Liu et al. 2020; optax.scale_by_radam).
 */
export const scaleByRadam = defineTransform('scaleByRadam', function scaleByRadam(options: RadamOptions = {}): GradientTransformation<{
  /** Updates so far (t). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The second moment v. */
  readonly nu: Tree;
}> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5 } = options;
  orThrow(
    all({ options: knownKeys(options, ['b1', 'b2', 'eps', 'epsRoot', 'threshold']), b1: num('b1', b1, rules.unitOpen), b2: num('b2', b2, rules.unitOpen), eps: num('eps', eps, rules.nonNegative), epsRoot: num('epsRoot', epsRoot, rules.nonNegative), threshold: num('threshold', threshold, radamThreshold) }),
    'scaleByRadam',
  );
  const roInf = 2 / (1 - b2) - 1;
  return transformation(
    (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    (u, { count, mu, nu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - b1), tf.mul(mi, b1)));
      const v = zipWith(nu, u, (vi, g) => tf.add(tf.mul(tf.square(g), 1 - b2), tf.mul(vi, b2)));
      const b2t = Math.pow(b2, t);
      const ro = roInf - (2 * t * b2t) / (1 - b2t);
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const r = Math.sqrt(((ro - 4) * (ro - 2) * roInf) / ((roInf - 4) * (roInf - 2) * ro));
      const out = zipWith(m, v, (mi, vi) => {
        const mHat = tf.div(mi, c1);
        return ro >= threshold ? tf.div(tf.mul(mHat, r), tf.add(tf.sqrt(tf.add(tf.div(vi, c2), epsRoot)), eps)) : mHat;
      });
      return [out, { count: t, mu: m, nu: v }];
    },
  );
});
