import * as tf from '@tensorflow/tfjs-core';
import { map, zipWith } from '../tree.js';
import { num, orThrow, rules } from '../validate.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** rms(x) = √(mean(x²)) over a whole leaf, a scalar tensor. */
const rms = (x: tf.Tensor): tf.Tensor => tf.sqrt(tf.mean(tf.square(x)));

/** clipByBlockRms(threshold): per leaf, u ↦ u / max(1, rms(u)/threshold) — Adafactor's update clipping (Shazeer & Stern 2018; optax.clip_by_block_rms). */
export const clipByBlockRms = defineTransform('clipByBlockRms', function clipByBlockRms(threshold: number): GradientTransformation<null> {
  orThrow(num('threshold', threshold, rules.positive), 'clipByBlockRms');
  return stateless((u) => map(u, (x) => tf.div(x, tf.maximum(1, tf.div(rms(x), threshold)))));
});

/** scaleByParamBlockRms(minScale = 1e-3): per leaf, u ↦ u·max(rms(w), minScale) — Adafactor's relative step size (Shazeer & Stern 2018; optax.scale_by_param_block_rms). */
export const scaleByParamBlockRms = defineTransform('scaleByParamBlockRms', function scaleByParamBlockRms(minScale = 1e-3): GradientTransformation<null> {
  orThrow(num('minScale', minScale, rules.nonNegative), 'scaleByParamBlockRms');
  return stateless((u, params) => zipWith(u, params, (x, w) => tf.mul(x, tf.maximum(rms(w), minScale))));
});
