import * as tf from '@tensorflow/tfjs-core';
import { map } from '../tree.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** scaleBySign(): u ↦ sign(u) elementwise (0 stays 0) — signSGD's direction (Bernstein et al. 2018; optax.scale_by_sign). */
export const scaleBySign = defineTransform('scaleBySign', function scaleBySign(): GradientTransformation<null> {
  return stateless((u) => map(u, (x) => tf.sign(x)));
});
