import * as tf from '@tensorflow/tfjs-core';
import { valueAt, type Hyper } from '../schedule.js';
import { map } from '../tree.js';
import { checkValue, hyper, num, orThrow, rules } from '../validate.js';
import { stateless, transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** scale(c): u ↦ c·u. */
export const scale = defineTransform('scale', function scale(c: number): GradientTransformation<null> {
  orThrow(num('scale(c)', c, { test: () => true, says: 'must be a number' }), 'scale');
  return stateless((u) => map(u, (x) => tf.mul(x, c)));
}, { params: ['c'], formula: ([c], f) => `g ← ${f.num(c as number)}·g` });

/** scaleByLearningRate(lr): u ↦ −lr(t)·u, with t the number of updates so far (lr a number or schedule). */
export const scaleByLearningRate = defineTransform('scaleByLearningRate', function scaleByLearningRate(lr: Hyper): GradientTransformation<{
  /** Updates so far (the step a learning-rate schedule is evaluated at). */
  readonly count: number;
}> {
  orThrow(hyper('learningRate', lr, rules.nonNegative), 'scaleByLearningRate');
  return transformation(
    () => ({ count: 0 }),
    (u, { count }) => {
      const rate = checkValue('scaleByLearningRate', 'learningRate', valueAt(lr, count), rules.nonNegative, count);
      return [map(u, (x) => tf.mul(x, -rate)), { count: count + 1 }];
    },
  );
}, { params: ['learningRate'], formula: ([lr], f) => `g ← −${f.hyper(lr as Hyper, 'η')}·g` });

