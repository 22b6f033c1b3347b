import * as tf from '@tensorflow/tfjs-core';
import { map, zerosLike, zipWith, type Tree } from '../tree.js';
import { num, orThrow, rules } from '../validate.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** State of `accumulate`: the running sum of updates, how many it holds, and the inner state. */
export interface AccumulateState {
  /** The sum of the updates held so far. */
  readonly sum: Tree;
  /** How many updates the sum holds (0 … k − 1). */
  readonly held: number;
  /** The inner transform's state. */
  readonly inner: State;
  readonly [k: string]: State;
}

/**
 * accumulate(k, inner): gradient accumulation (optax.MultiSteps). For k − 1 calls output zeros and add the
 * update to a running sum; on the k-th, apply inner to the mean of the k updates and reset. accumulate(1, t) = t.
 */
export const accumulate = defineTransform('accumulate', function accumulate(k: number, inner: AnyTransformation): GradientTransformation<AccumulateState> {
  orThrow(num('k', k, rules.positiveInteger), 'accumulate');
  return {
    init: (params) => ({ sum: zerosLike(params), held: 0, inner: inner.init(params) as State }),
    update: (updates, state, params) =>
      tf.tidy(() => {
        if (k === 1) {
          const [u, s] = inner.update(updates, state.inner, params);
          return [u, { sum: state.sum, held: 0, inner: s }] as unknown as tf.TensorContainer;
        }
        const sum = zipWith(state.sum, updates, (a, b) => tf.add(a, b));
        if (state.held + 1 < k) {
          return [map(updates, (x) => tf.zerosLike(x)), { sum, held: state.held + 1, inner: state.inner }] as unknown as tf.TensorContainer;
        }
        const mean = map(sum, (x) => tf.div(x, k));
        const [u, s] = inner.update(mean, state.inner, params);
        return [u, { sum: map(sum, (x) => tf.zerosLike(x)), held: 0, inner: s }] as unknown as tf.TensorContainer;
      }) as unknown as readonly [Tree, AccumulateState],
    // The running sum would keep a NaN for k − 1 calls before inner could skip it; only k = 1 passes it straight on.
    ...(k === 1 && inner.handlesNonFinite === true ? { handlesNonFinite: true } : {}),
  };
});
