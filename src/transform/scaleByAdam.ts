import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByAdam`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-8 (Kingma & Ba 2015). */
export interface AdamOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to √v̂ in the denominator; default 1e-8. */
  readonly eps?: number;
}

/** scaleByAdam({ b1, b2, eps }): m ← b1·m + (1−b1)·u, v ← b2·v + (1−b2)·u², out = m̂/(√v̂ + eps), m̂ = m/(1−b1ᵗ), v̂ = v/(1−b2ᵗ) (Kingma & Ba 2015). */
export const scaleByAdam = defineTransform('scaleByAdam', function scaleByAdam({ b1 = 0.9, b2 = 0.999, eps = 1e-8 }: AdamOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias corrections). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The second moment v. */
  readonly nu: Tree;
}> {
  orThrow(all({ b1: num('b1', b1, rules.unitOpen), b2: num('b2', b2, rules.unitOpen), eps: num('eps', eps, rules.nonNegative) }), 'scaleByAdam');
  return transformation(
    (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    (u, { count, mu, nu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(mi, b1), tf.mul(g, 1 - b1)));
      const v = zipWith(nu, u, (vi, g) => tf.add(tf.mul(vi, b2), tf.mul(tf.square(g), 1 - b2)));
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const out = zipWith3(m, v, u, (mi, vi) => tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(vi, c2)), eps)));
      return [out, { count: t, mu: m, nu: v }];
    },
  );
}, { params: ['options'], formula: ([o], f) => { const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = (o ?? {}) as AdamOptions; return `m ← ${f.num(b1)}·m + ${f.num(1 - b1)}·g; v ← ${f.num(b2)}·v + ${f.num(1 - b2)}·g²; g ← m̂/(√v̂ + ${f.num(eps)}), m̂ = m/(1 − ${f.num(b1)}ᵗ), v̂ = v/(1 − ${f.num(b2)}ᵗ)`; } });
