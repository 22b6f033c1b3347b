import * as tf from '@tensorflow/tfjs-core';
import { map, type Tree } from '../tree.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** State of `applyIfFinite`: the inner state, how many updates were skipped in all and in a row, and whether the last was finite. */
export interface ApplyIfFiniteState {
  /** The inner transform's state (untouched by skipped steps). */
  readonly inner: State;
  /** Steps skipped so far. */
  readonly skipped: number;
  /** Steps skipped in a row, up to now. */
  readonly consecutiveSkipped: number;
  /** Whether the last update was finite (and applied). */
  readonly lastFinite: boolean;
  readonly [k: string]: State;
}

/** allFinite(t): whether every element of every leaf is finite (one host read). */
export function allFinite(t: Tree): boolean {
  const leaves = Object.values(t);
  if (leaves.length === 0) return true;
  return tf.tidy(() => tf.all(tf.stack(leaves.map((x) => tf.all(tf.isFinite(x))))).dataSync()[0] === 1);
}

/**
 * applyIfFinite(inner): if any update is NaN/±Inf, output zeros and keep the inner state (the step is skipped
 * and counted); otherwise apply inner. As optax.apply_if_finite, without the error budget.
 */
export const applyIfFinite = defineTransform('applyIfFinite', function applyIfFinite(inner: AnyTransformation): GradientTransformation<ApplyIfFiniteState> {
  return {
    init: (params) => ({ inner: inner.init(params) as State, skipped: 0, consecutiveSkipped: 0, lastFinite: true }),
    update: (updates, state, params) => {
      if (allFinite(updates)) {
        const [u, s] = inner.update(updates, state.inner, params);
        return [u, { inner: s as State, skipped: state.skipped, consecutiveSkipped: 0, lastFinite: true }];
      }
      const zeros = map(updates, (x) => tf.zerosLike(x));
      return [zeros, { inner: state.inner, skipped: state.skipped + 1, consecutiveSkipped: state.consecutiveSkipped + 1, lastFinite: false }];
    },
    handlesNonFinite: true,
  };
});
