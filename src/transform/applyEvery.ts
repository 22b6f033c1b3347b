import * as tf from '@tensorflow/tfjs-core';
import { map, zerosLike, zipWith, type Tree } from '../tree.js';
import { num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/**
 * applyEvery(k = 1): sum the updates of k calls and output the sum on the k-th, zeros on the others (optax.apply_every;
 * a sum, not the mean `accumulate` takes). Put it after a rule to apply the rule's updates every k steps.
 */
export const applyEvery = defineTransform('applyEvery', function applyEvery(k = 1): GradientTransformation<{
  /** Calls since the last output (0 … k − 1). */
  readonly count: number;
  /** The sum of the updates since the last output (kept after an output, restarted by the next call). */
  readonly gradAcc: Tree;
}> {
  orThrow(num('k', k, rules.positiveInteger), 'applyEvery');
  return transformation(
    (params) => ({ count: 0, gradAcc: zerosLike(params) }),
    (u, state) => {
      const gradAcc = state.count === 0 ? map(u, (x) => tf.clone(x)) : zipWith(state.gradAcc, u, (a, g) => tf.add(a, g));
      const out = state.count === k - 1 ? map(gradAcc, (x) => tf.clone(x)) : map(gradAcc, (x) => tf.zerosLike(x));
      return [out, { count: (state.count + 1) % k, gradAcc }];
    },
  );
});
