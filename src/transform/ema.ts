import * as tf from '@tensorflow/tfjs-core';
import { map, zerosLike, zipWith, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** ema(decay, { debias = true }): m ← (1 − decay)·u + decay·m; output m, or m/(1 − decayᵗ) with debias (optax.ema: an exponential moving average of the updates). */
export const ema = defineTransform('ema', function ema(decay: number, options: { readonly debias?: boolean } = {}): GradientTransformation<{
  /** Updates so far. */
  readonly count: number;
  /** The moving average m (not debiased), named like the params. */
  readonly ema: Tree;
}> {
  const { debias = true } = options;
  orThrow(all({ options: knownKeys(options, ['debias']), decay: num('decay', decay, rules.unitOpen), debias: bool('debias', debias) }), 'ema');
  return transformation(
    (params) => ({ count: 0, ema: zerosLike(params) }),
    (u, state) => {
      const m = zipWith(u, state.ema, (g, e) => tf.add(tf.mul(g, 1 - decay), tf.mul(e, decay)));
      const count = state.count + 1;
      const out = debias ? map(m, (x) => tf.div(x, 1 - Math.pow(decay, count))) : map(m, (x) => tf.clone(x));
      return [out, { count, ema: m }];
    },
  );
});
