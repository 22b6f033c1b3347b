import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByAmsgrad`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0. */
export interface AmsgradOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to the root in the denominator; default 1e-8. */
  readonly eps?: number;
  /** Added inside the root; default 0. */
  readonly epsRoot?: number;
  /** Divide m by 1 − b1ᵗ; default true. */
  readonly biasCorrectionMu?: boolean;
  /** Divide v by 1 − b2ᵗ before the max; default true. */
  readonly biasCorrectionNu?: boolean;
}

/** scaleByAmsgrad({ b1, b2, eps, epsRoot }): Adam's moments, with v̂max ← max(v̂max, v̂) and out = m̂/(√(v̂max + epsRoot) + eps) (Reddi et al. 2018; optax.scale_by_amsgrad). */
export const scaleByAmsgrad = defineTransform('scaleByAmsgrad', function scaleByAmsgrad(options: AmsgradOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias corrections). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The second moment v. */
  readonly nu: Tree;
  /** The largest bias-corrected second moment seen, v̂max. */
  readonly nuMax: Tree;
}> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, biasCorrectionMu = true, biasCorrectionNu = true } = options;
  orThrow(all({ options: knownKeys(options, ['b1', 'b2', 'eps', 'epsRoot', 'biasCorrectionMu', 'biasCorrectionNu']), b1: num('b1', b1, rules.unitOpen), b2: num('b2', b2, rules.unitOpen), eps: num('eps', eps, rules.nonNegative), epsRoot: num('epsRoot', epsRoot, rules.nonNegative), biasCorrectionMu: bool('biasCorrectionMu', biasCorrectionMu), biasCorrectionNu: bool('biasCorrectionNu', biasCorrectionNu) }), 'scaleByAmsgrad');
  return transformation(
    (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params), nuMax: zerosLike(params) }),
    (u, { count, mu, nu, nuMax }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - b1), tf.mul(mi, b1)));
      const v = zipWith(nu, u, (vi, g) => tf.add(tf.mul(tf.square(g), 1 - b2), tf.mul(vi, b2)));
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const vMax = zipWith(nuMax, v, (x, vi) => tf.maximum(x, biasCorrectionNu ? tf.div(vi, c2) : vi));
      const out = zipWith3(m, vMax, u, (mi, x) => tf.div(biasCorrectionMu ? tf.div(mi, c1) : mi, tf.add(tf.sqrt(tf.add(x, epsRoot)), eps)));
      return [out, { count: t, mu: m, nu: v, nuMax: vMax }];
    },
  );
});
