import * as tf from '@tensorflow/tfjs-core';
import type { Tree } from '../tree.js';
import { maskFn, type Mask } from './mask.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** freeze(mask): zero updates for the leaves the mask selects (a predicate or a tree of booleans; they stay where they are); the rest pass through unchanged. No state (optax.freeze = masked(set_to_zero(), mask)). */
export const freeze = defineTransform('freeze', function freeze(frozen: Mask): GradientTransformation<null> {
  const mask = maskFn('freeze', frozen);
  return stateless((u) => {
    const out: Record<string, tf.Tensor> = {};
    for (const n of Object.keys(u)) out[n] = mask(n, u[n] as tf.Tensor) ? tf.zerosLike(u[n] as tf.Tensor) : (u[n] as tf.Tensor);
    return out as Tree;
  });
});
