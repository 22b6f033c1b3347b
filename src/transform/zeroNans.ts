import * as tf from '@tensorflow/tfjs-core';
import { map, type Tree } from '../tree.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/**
 * zeroNans(): NaN elements of the updates become 0; the state says, per leaf, whether the last update had one (a bool
 * scalar tensor). ±Inf pass through, as in optax.zero_nans: put applyIfFinite after it to skip those. Handles NaN, so
 * `step` lets NaN gradients reach it.
 */
export const zeroNans = defineTransform('zeroNans', function zeroNans(): GradientTransformation<{
  /** Per leaf: whether the last update held a NaN (bool scalar tensors). */
  readonly foundNan: Tree;
}> {
  const t = transformation<{ readonly foundNan: Tree }>(
    (params) => ({ foundNan: map(params, () => tf.scalar(false, 'bool')) }),
    (u) => [map(u, (x) => tf.where(tf.isNaN(x), tf.zerosLike(x), x)), { foundNan: map(u, (x) => tf.any(tf.isNaN(x))) }],
  );
  return { ...t, handlesNonFinite: true };
});
