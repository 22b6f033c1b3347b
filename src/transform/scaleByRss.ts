import * as tf from '@tensorflow/tfjs-core';
import { map, zipWith, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByRss`; defaults initialAccumulatorValue = 0.1, eps = 1e-7 (optax's and tf.train.adagrad's). */
export interface RssOptions {
  /** The starting value of the sum of squares; default 0.1. */
  readonly initialAccumulatorValue?: number;
  /** Added to the sum inside the root; default 1e-7. */
  readonly eps?: number;
}

/** scaleByRss({ initialAccumulatorValue = 0.1, eps = 1e-7 }): s ← s + u², out = u/√(s + eps) (0 where s = 0) — Adagrad's scaling (Duchi et al. 2011; optax.scale_by_rss). */
export const scaleByRss = defineTransform('scaleByRss', function scaleByRss(options: RssOptions = {}): GradientTransformation<{
  /** The sum of squared updates so far, plus the initial value. */
  readonly sumOfSquares: Tree;
}> {
  const { initialAccumulatorValue = 0.1, eps = 1e-7 } = options;
  orThrow(all({ options: knownKeys(options, ['initialAccumulatorValue', 'eps']), initialAccumulatorValue: num('initialAccumulatorValue', initialAccumulatorValue, rules.nonNegative), eps: num('eps', eps, rules.nonNegative) }), 'scaleByRss');
  return transformation(
    (params) => ({ sumOfSquares: map(params, (x) => tf.fill(x.shape, initialAccumulatorValue, 'float32')) }),
    (u, { sumOfSquares }) => {
      const s = zipWith(sumOfSquares, u, (si, g) => tf.add(tf.square(g), si));
      const out = zipWith(u, s, (g, si) => tf.mul(tf.where(tf.greater(si, 0), tf.rsqrt(tf.add(si, eps)), tf.zerosLike(si)), g));
      return [out, { sumOfSquares: s }];
    },
  );
});
