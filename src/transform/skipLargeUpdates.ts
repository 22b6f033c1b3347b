import * as tf from '@tensorflow/tfjs-core';
import { globalSquaredNorm, map } from '../tree.js';
import { all, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformArg } from './transformArg.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** State of `skipLargeUpdates`: the inner state (untouched by skipped steps), how many steps were skipped, and the last squared norm. */
export interface SkipLargeUpdatesState {
  /** The inner transform's state. */
  readonly inner: State;
  /** Steps skipped so far. */
  readonly skipped: number;
  /** Σ‖u‖² of the last incoming update (NaN if it held a NaN). */
  readonly lastSquaredNorm: number;
  readonly [k: string]: State;
}

/**
 * skipLargeUpdates(inner, { maxSquaredNorm }): unless Σ‖u‖² < maxSquaredNorm (so NaN/Inf too), output zeros and keep the
 * inner state; otherwise apply inner. As optax.MultiSteps(inner, 1, should_skip_update_fn=skip_large_updates). One host read.
 */
export const skipLargeUpdates = defineTransform('skipLargeUpdates', function skipLargeUpdates(inner: AnyTransformation, options: { readonly maxSquaredNorm: number }): GradientTransformation<SkipLargeUpdatesState> {
  const { maxSquaredNorm } = options;
  orThrow(all({ options: knownKeys(options, ['maxSquaredNorm']), inner: transformArg('inner', inner), maxSquaredNorm: num('maxSquaredNorm', maxSquaredNorm, rules.positive) }), 'skipLargeUpdates');
  return {
    init: (params) => ({ inner: inner.init(params) as State, skipped: 0, lastSquaredNorm: 0 }),
    update: (updates, state, params) => {
      const sq = tf.tidy(() => globalSquaredNorm(updates).dataSync()[0] as number);
      if (sq < maxSquaredNorm) {
        const [u, s] = inner.update(updates, state.inner, params);
        return [u, { inner: s as State, skipped: state.skipped, lastSquaredNorm: sq }];
      }
      return [map(updates, (x) => tf.zerosLike(x)), { inner: state.inner, skipped: state.skipped + 1, lastSquaredNorm: sq }];
    },
    handlesNonFinite: true,
  };
});
