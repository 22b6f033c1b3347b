import * as tf from '@tensorflow/tfjs-core';
import { map, zipWith, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByYogi`; defaults b1 = 0.9, b2 = 0.999, eps = 1e-3, epsRoot = 0, initialAccumulatorValue = 1e-6 (optax's). */
export interface YogiOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Rate of the additive second-moment update; default 0.999. */
  readonly b2?: number;
  /** Added to the root in the denominator; default 1e-3. */
  readonly eps?: number;
  /** Added inside the root; default 0. */
  readonly epsRoot?: number;
  /** Initial value of both moments; default 1e-6. */
  readonly initialAccumulatorValue?: number;
}

/** scaleByYogi({ b1, b2, eps = 1e-3 }): m ← b1·m + (1−b1)·u, v ← v − (1−b2)·sign(v − u²)·u², out = m̂/(√(v̂ + epsRoot) + eps) (Zaheer et al. 2018; optax.scale_by_yogi). */
export const scaleByYogi = defineTransform('scaleByYogi', function scaleByYogi(options: YogiOptions = {}): GradientTransformation<{
  /** Updates so far (t in the bias corrections). */
  readonly count: number;
  /** The first moment m. */
  readonly mu: Tree;
  /** The second moment v. */
  readonly nu: Tree;
}> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-3, epsRoot = 0, initialAccumulatorValue = 1e-6 } = options;
  orThrow(
    all({
      options: knownKeys(options, ['b1', 'b2', 'eps', 'epsRoot', 'initialAccumulatorValue']),
      b1: num('b1', b1, rules.unitOpen),
      b2: num('b2', b2, rules.unitOpen),
      eps: num('eps', eps, rules.nonNegative),
      epsRoot: num('epsRoot', epsRoot, rules.nonNegative),
      initialAccumulatorValue: num('initialAccumulatorValue', initialAccumulatorValue, rules.nonNegative),
    }),
    'scaleByYogi',
  );
  const full = (p: Tree): Tree => map(p, (x) => tf.fill(x.shape, initialAccumulatorValue, 'float32'));
  return transformation(
    (params) => ({ count: 0, mu: full(params), nu: full(params) }),
    (u, { count, mu, nu }) => {
      const t = count + 1;
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - b1), tf.mul(mi, b1)));
      const v = zipWith(nu, u, (vi, g) => {
        const g2 = tf.square(g);
        return tf.sub(vi, tf.mul(tf.mul(tf.sign(tf.sub(vi, g2)), 1 - b2), g2));
      });
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const out = zipWith(m, v, (mi, vi) => tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.add(tf.div(vi, c2), epsRoot)), eps)));
      return [out, { count: t, mu: m, nu: v }];
    },
  );
});
