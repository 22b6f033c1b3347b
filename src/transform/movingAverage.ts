import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, type Tree } from '../tree.js';
import { num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** movingAverage(decay): m ← decay·m + (1−decay)·u, out = m, without bias correction (optax.ema(decay, debias=False)); Signum's momentum. */
export const movingAverage = defineTransform('movingAverage', function movingAverage(decay: number): GradientTransformation<{
  /** The moving average m. */
  readonly average: Tree;
}> {
  orThrow(num('decay', decay, rules.unitOpen), 'movingAverage');
  return transformation(
    (params) => ({ average: zerosLike(params) }),
    (u, { average }) => {
      const m = zipWith(average, u, (a, g) => tf.add(tf.mul(g, 1 - decay), tf.mul(a, decay)));
      return [m, { average: m }];
    },
  );
});
