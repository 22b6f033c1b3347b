import * as tf from '@tensorflow/tfjs-core';
import type { Tree } from '../tree.js';
import { checkKeys } from '../validate.js';

/**
 * Optimizer state: plain data — tensors, numbers, booleans, strings, and objects/arrays of them.
 * No classes, no functions, so that it can be saved, compared and sent to a worker.
 */
export type State = tf.Tensor | number | boolean | string | null | readonly State[] | { readonly [k: string]: State };

/**
 * A gradient transformation, shaped as in optax: `init(params)` gives the initial state;
 * `update(updates, state, params)` gives the transformed updates and the next state.
 * `update` never mutates or disposes its inputs; it returns new tensors (or its inputs unchanged).
 */
export interface GradientTransformation<S extends State = State> {
  /** init(params): the initial state for these params. */
  readonly init: (params: Tree) => S;
  /** update(updates, state, params): the transformed updates and the next state; never mutates or disposes its inputs. */
  readonly update: (updates: Tree, state: S, params: Tree) => readonly [Tree, S];
  /** True when the transform itself deals with NaN/Inf updates (`applyIfFinite`), so `step` does not reject them. */
  readonly handlesNonFinite?: boolean;
}

/** Any transformation, whatever its state type (for combinators). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTransformation = GradientTransformation<any>;

/**
 * transformation(init, update): a GradientTransformation whose `update` runs inside `tf.tidy`, so every
 * intermediate tensor it makes is freed and only the returned updates and state survive.
 */
export function transformation<S extends State>(
  init: (params: Tree) => S,
  update: (updates: Tree, state: S, params: Tree) => readonly [Tree, S],
  extra: { readonly handlesNonFinite?: boolean } = {},
): GradientTransformation<S> {
  checkKeys('transformation', extra, ['handlesNonFinite'], 'extra');
  return {
    init,
    update: (updates, state, params) => tf.tidy(() => update(updates, state, params) as unknown as tf.TensorContainer) as unknown as readonly [Tree, S],
    ...extra,
  };
}

/** stateless(f): a transformation with no state, u ↦ f(u, params). */
export function stateless(f: (updates: Tree, params: Tree) => Tree): GradientTransformation<null> {
  return transformation(
    () => null,
    (u, _s, p) => [f(u, p), null],
  );
}
