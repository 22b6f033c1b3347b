import * as tf from '@tensorflow/tfjs-core';
import { zerosLike, zipWith, type Tree } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `scaleByLion`; defaults b1 = 0.9, b2 = 0.99 (Chen et al. 2023). */
export interface LionOptions {
  /** Weight of the momentum in the sign's argument; default 0.9. */
  readonly b1?: number;
  /** Decay of the momentum; default 0.99. */
  readonly b2?: number;
}

/** scaleByLion({ b1 = 0.9, b2 = 0.99 }): out = sign((1−b1)·u + b1·m), then m ← b2·m + (1−b2)·u (Chen et al. 2023, "Symbolic discovery of optimization algorithms"; optax.scale_by_lion). */
export const scaleByLion = defineTransform('scaleByLion', function scaleByLion(options: LionOptions = {}): GradientTransformation<{
  /** The momentum m. */
  readonly mu: Tree;
}> {
  const { b1 = 0.9, b2 = 0.99 } = options;
  orThrow(all({ options: knownKeys(options, ['b1', 'b2']), b1: num('b1', b1, rules.unit), b2: num('b2', b2, rules.unit) }), 'scaleByLion');
  return transformation(
    (params) => ({ mu: zerosLike(params) }),
    (u, { mu }) => {
      const out = zipWith(u, mu, (g, m) => tf.sign(tf.add(tf.mul(g, 1 - b1), tf.mul(m, b1))));
      const m = zipWith(mu, u, (mi, g) => tf.add(tf.mul(g, 1 - b2), tf.mul(mi, b2)));
      return [out, { mu: m }];
    },
  );
});
