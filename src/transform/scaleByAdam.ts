import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByAdam`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false (Kingma & Ba 2015). */
export interface AdamOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to √v̂ in the denominator; default 1e-8. */
  readonly eps?: number;
  /** Added to v̂ inside the root, √(v̂ + epsRoot) (optax's eps_root); default 0. */
  readonly epsRoot?: number;
  /** Nesterov momentum: NAdam (Dozat 2016), as optax's `nesterov=True`; default false. */
  readonly nesterov?: boolean;
}

/** checkAdamOptions(o): the validation of Adam's moment options, shared by the rules built on it. */
export const checkAdamOptions = ({ b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false }: AdamOptions) =>
  all({
    b1: num('b1', b1, rules.unitOpen),
    b2: num('b2', b2, rules.unitOpen),
    eps: num('eps', eps, rules.nonNegative),
    epsRoot: num('epsRoot', epsRoot, rules.nonNegative),
    nesterov: bool('nesterov', nesterov),
  });

/**
 * scaleByAdam({ b1, b2, eps, epsRoot = 0, nesterov = false }): m ← b1·m + (1−b1)·u, v ← b2·v + (1−b2)·u²,
 * out = m̂/(√(v̂ + epsRoot) + eps), m̂ = m/(1−b1ᵗ), v̂ = v/(1−b2ᵗ) (Kingma & Ba 2015). With nesterov,
 * m̂ = b1·m/(1−b1ᵗ⁺¹) + (1−b1)·u/(1−b1ᵗ) (NAdam, Dozat 2016; optax.scale_by_adam).
 */
export const scaleByAdam = defineTransform('scaleByAdam', function scaleByAdam(options: AdamOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias corrections). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The second moment v. */
  readonly nu: Tree;
}> {
  const { b1, b2, eps, epsRoot, nesterov } = orThrow(all({ options: knownKeys(options, ['b1', 'b2', 'eps', 'epsRoot', 'nesterov']), adam: checkAdamOptions(options) }), 'scaleByAdam').adam;
  return transformation(
    (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    (u, { count, mu, nu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(mi, b1), tf.mul(g, 1 - b1)));
      const v = zipWith(nu, u, (vi, g) => tf.add(tf.mul(vi, b2), tf.mul(tf.square(g), 1 - b2)));
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const mHat = (mi: tf.Tensor, g: tf.Tensor): tf.Tensor =>
        nesterov ? tf.add(tf.mul(tf.div(mi, 1 - Math.pow(b1, t + 1)), b1), tf.mul(tf.div(g, c1), 1 - b1)) : tf.div(mi, c1);
      const root = (vi: tf.Tensor): tf.Tensor => tf.sqrt(epsRoot === 0 ? tf.div(vi, c2) : tf.add(tf.div(vi, c2), epsRoot));
      const out = zipWith3(m, v, u, (mi, vi, g) => tf.div(mHat(mi, g), tf.add(root(vi), eps)));
      return [out, { count: t, mu: m, nu: v }];
    },
  );
}, { params: ['options'], formula: ([o], f) => { const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false } = (o ?? {}) as AdamOptions; const root = epsRoot === 0 ? '√v̂' : `√(v̂ + ${f.num(epsRoot)})`; return `m ← ${f.num(b1)}·m + ${f.num(1 - b1)}·g; v ← ${f.num(b2)}·v + ${f.num(1 - b2)}·g²; g ← m̂/(${root} + ${f.num(eps)}), m̂ = ${nesterov ? `${f.num(b1)}·m/(1 − ${f.num(b1)}ᵗ⁺¹) + ${f.num(1 - b1)}·g/(1 − ${f.num(b1)}ᵗ) (Nesterov)` : `m/(1 − ${f.num(b1)}ᵗ)`}, v̂ = v/(1 − ${f.num(b2)}ᵗ)`; } });
