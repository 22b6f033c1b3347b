import * as tf from '@tensorflow/tfjs-core';
import { map, zipWith, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformArg } from './transformArg.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** State of `lookahead`: the fast rule's state, the steps since the last sync, and the slow weights φ. */
export interface LookaheadState {
  /** The fast rule's state. */
  readonly fastState: State;
  /** Updates since the last synchronization (0 … syncPeriod − 1). */
  readonly stepsSinceSync: number;
  /** The slow weights φ (a copy of the params at init). */
  readonly slow: Tree;
  readonly [k: string]: State;
}

/** Options of `lookahead`. */
export interface LookaheadOptions {
  /** k: fast steps between synchronizations, an integer ≥ 1. */
  readonly syncPeriod: number;
  /** α ∈ [0, 1]: how far the slow weights move toward the fast ones at a sync. */
  readonly slowStepSize: number;
  /** Re-initialize the fast rule's state at every sync; default false. */
  readonly resetState?: boolean;
}

/**
 * lookahead(fast, { syncPeriod: k, slowStepSize: α, resetState = false }): the params take k steps of `fast`; on the k-th,
 * with d = w + u − φ, the slow weights become φ + α·d and the params jump to them: u ← u − (1 − α)·d (Zhang et al. 2019;
 * optax.lookahead, with the slow weights kept in the state instead of LookaheadParams, so the params are optax's `fast`).
 */
export const lookahead = defineTransform('lookahead', function lookahead(fast: AnyTransformation, options: LookaheadOptions): GradientTransformation<LookaheadState> {
  const { syncPeriod, slowStepSize, resetState = false } = options;
  orThrow(
    all({ options: knownKeys(options, ['syncPeriod', 'slowStepSize', 'resetState']), fast: transformArg('fast', fast), syncPeriod: num('syncPeriod', syncPeriod, rules.positiveInteger), slowStepSize: num('slowStepSize', slowStepSize, rules.unit), resetState: bool('resetState', resetState) }),
    'lookahead',
  );
  return {
    init: (params) => ({ fastState: fast.init(params) as State, stepsSinceSync: 0, slow: map(params, (w) => tf.clone(w)) }),
    update: (updates, state, params) =>
      tf.tidy(() => {
        const [u, fastState] = fast.update(updates, state.fastState, params);
        const stepsSinceSync = (state.stepsSinceSync + 1) % syncPeriod;
        if (state.stepsSinceSync !== syncPeriod - 1) return [u, { fastState, stepsSinceSync, slow: state.slow }] as unknown as tf.TensorContainer;
        const d = zipWith(zipWith(params, u, (w, ui) => tf.add(w, ui)), state.slow, (f, s) => tf.sub(f, s));
        const out = zipWith(u, d, (ui, di) => tf.sub(ui, tf.mul(di, 1 - slowStepSize)));
        const slow = zipWith(state.slow, d, (s, di) => tf.add(s, tf.mul(di, slowStepSize)));
        return [out, { fastState: resetState ? (fast.init(params) as State) : fastState, stepsSinceSync, slow }] as unknown as tf.TensorContainer;
      }) as unknown as readonly [Tree, LookaheadState],
  };
});
