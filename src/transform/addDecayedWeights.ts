import * as tf from '@tensorflow/tfjs-core';
import { valueAt, type Hyper } from '../schedule.js';
import { zipWith } from '../tree.js';
import { checkValue, hyper, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';

/** addDecayedWeights(wd): u ↦ u + wd·w. Before momentum it is coupled L2 (torch.optim.SGD's weight_decay); after Adam it is AdamW's decoupled decay (Loshchilov & Hutter 2019). */
export function addDecayedWeights(weightDecay: Hyper): GradientTransformation<{
  /** Updates so far (the step a weight-decay schedule is evaluated at). */
  readonly count: number;
}> {
  orThrow(hyper('weightDecay', weightDecay, rules.nonNegative), 'addDecayedWeights');
  return transformation(
    () => ({ count: 0 }),
    (u, { count }, params) => {
      const wd = checkValue('addDecayedWeights', 'weightDecay', valueAt(weightDecay, count), rules.nonNegative, count);
      return [zipWith(u, params, (g, w) => (wd === 0 ? g : tf.add(g, tf.mul(w, wd)))), { count: count + 1 }];
    },
  );
}
