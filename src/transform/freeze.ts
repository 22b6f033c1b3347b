import * as tf from '@tensorflow/tfjs-core';
import { HyperparameterError } from '../errors.js';
import type { Tree } from '../tree.js';
import type { NameMask } from './masked.js';
import { stateless, type GradientTransformation } from './types.js';

/** freeze(mask): zero updates for the leaves the mask selects (they stay where they are); the rest pass through unchanged. No state (optax.freeze = masked(set_to_zero(), mask)). */
export function freeze(mask: NameMask): GradientTransformation<null> {
  if (typeof mask !== 'function') throw new HyperparameterError('freeze', [`mask must be a function (name, x) => boolean, got ${String(mask)}`]);
  return stateless((u) => {
    const out: Record<string, tf.Tensor> = {};
    for (const n of Object.keys(u)) out[n] = mask(n, u[n] as tf.Tensor) ? tf.zerosLike(u[n] as tf.Tensor) : (u[n] as tf.Tensor);
    return out as Tree;
  });
}
