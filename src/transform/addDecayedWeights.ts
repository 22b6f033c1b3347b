import * as tf from '@tensorflow/tfjs-core';
import { valueAt, type Hyper } from '../schedule.js';
import { zipWith } from '../tree.js';
import { all, checkValue, hyper, knownKeys, orThrow, rules } from '../validate.js';
import { maskFn, type Mask } from './mask.js';
import type { NameMask } from './masked.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** exceptBiasesAndNorms: the usual weight-decay mask, true for leaves of rank ≥ 2 (kernels), false for biases and norm scales/offsets (rank ≤ 1). */
export const exceptBiasesAndNorms: NameMask = (_name, x) => x.rank >= 2;

/**
 * addDecayedWeights(wd, { mask }): u ↦ u + wd·w on the leaves the mask (a predicate or a tree of booleans) selects (default all; e.g. `exceptBiasesAndNorms`), others
 * unchanged (optax.add_decayed_weights). Before momentum it is coupled L2 (torch.optim.SGD's weight_decay); after Adam it is AdamW's
 * decoupled decay (Loshchilov & Hutter 2019).
 */
export const addDecayedWeights = defineTransform('addDecayedWeights', function addDecayedWeights(weightDecay: Hyper, options: { readonly mask?: Mask } = {}): GradientTransformation<{
  /** Updates so far (the step a weight-decay schedule is evaluated at). */
  readonly count: number;
}> {
  orThrow(all({ options: knownKeys(options, ['mask']), weightDecay: hyper('weightDecay', weightDecay, rules.nonNegative) }), 'addDecayedWeights');
  const mask = options.mask === undefined ? undefined : maskFn('addDecayedWeights', options.mask);
  return transformation(
    () => ({ count: 0 }),
    (u, { count }, params) => {
      const wd = checkValue('addDecayedWeights', 'weightDecay', valueAt(weightDecay, count), rules.nonNegative, count);
      return [zipWith(u, params, (g, w, n) => (wd === 0 || (mask !== undefined && !mask(n, w)) ? g : tf.add(g, tf.mul(w, wd)))), { count: count + 1 }];
    },
  );
}, { params: ['weightDecay', 'options'], formula: ([wd, o], f) => `g ← g + ${f.hyper(wd as Hyper, 'λ')}·w${(o as { mask?: unknown } | undefined)?.mask !== undefined ? ' (masked leaves only)' : ''}` });
