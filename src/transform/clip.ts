import * as tf from '@tensorflow/tfjs-core';
import { globalNorm, map } from '../tree.js';
import { num, orThrow, rules } from '../validate.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Relative margin that keeps float32 rounding from lifting a clipped norm above its bound. */
const MARGIN = 1 - 1e-6;

/** clipByGlobalNorm(m): u ↦ u·min(1, m/‖u‖), ‖·‖ the L2 norm over all leaves (Pascanu et al. 2013); the result's norm never exceeds m. m > 0 (0 would zero every update). */
export const clipByGlobalNorm = defineTransform('clipByGlobalNorm', function clipByGlobalNorm(maxNorm: number): GradientTransformation<null> {
  orThrow(num('maxNorm', maxNorm, { test: (x) => x > 0, says: 'must be > 0 (0 would zero every update)' }), 'clipByGlobalNorm');
  return stateless((u) => {
    const norm = globalNorm(u);
    const factor = tf.minimum(1, tf.div(maxNorm * MARGIN, tf.maximum(norm, 1e-30)));
    return map(u, (x) => tf.mul(x, factor));
  });
}, { params: ['maxNorm'], formula: ([c], f) => `g ← g·min(1, ${f.num(c as number)}/‖g‖)` });

/** clip(c): u ↦ clamp(u, −c, c) elementwise. */
export const clip = defineTransform('clip', function clip(maxAbs: number): GradientTransformation<null> {
  orThrow(num('maxAbs', maxAbs, rules.nonNegative), 'clip');
  return stateless((u) => map(u, (x) => tf.clipByValue(x, -maxAbs, maxAbs)));
}, { params: ['maxAbs'], formula: ([c], f) => `g ← clamp(g, −${f.num(c as number)}, ${f.num(c as number)})` });
