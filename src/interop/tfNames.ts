import * as tf from '@tensorflow/tfjs-core';
import type { State } from '../transform/types.js';
import { specOf } from '../transform/define.js';
import type { AnyTransformation } from '../transform/types.js';

/** One kind of per-variable weight tf.train keeps, e.g. momentum's `<variable>/momentum`, and where optimix keeps it. */
export interface TfSlot {
  /** The name suffix tf.train gives it. */
  readonly suffix: string;
  /** Its path in the transform state (a tree keyed by variable name), or null: tf.train keeps it, the optimix rule needs none (zeros). */
  readonly path: readonly (string | number)[] | null;
}

const opts = (args: readonly unknown[]): Record<string, unknown> => (args[1] ?? {}) as Record<string, unknown>;
const zero = (x: unknown): boolean => x === undefined || x === 0;

/**
 * tfSlots(t): tf.train's weights of the same rule, in tf.train's order (after `iter`), or undefined when tf.train has no such rule:
 * sgd → tf.train.sgd (none), sgd({ momentum }) → tf.train.momentum (`/momentum`), adam → tf.train.adam (`/m`, `/v`),
 * rmsprop without momentum or centring → tf.train.rmsprop (`/rms`, `/momentum`). Weight decay has no tf.train counterpart.
 */
export function tfSlots(t: AnyTransformation): readonly TfSlot[] | undefined {
  const spec = specOf(t);
  if (spec === undefined) return undefined;
  const o = opts(spec.args);
  if (spec.kind === 'sgd' && zero(o['weightDecay'])) return zero(o['momentum']) ? [] : [{ suffix: 'momentum', path: [0, 'momentum'] }];
  if (spec.kind === 'adam') return [{ suffix: 'm', path: [0, 'mu'] }, { suffix: 'v', path: [0, 'nu'] }];
  if (spec.kind === 'rmsprop' && zero(o['momentum']) && o['centered'] !== true) return [{ suffix: 'rms', path: [0, 'nu'] }, { suffix: 'momentum', path: null }];
  return undefined;
}

/** at(state, path): the value at a path of a state. */
export function at(state: State, path: readonly (string | number)[]): unknown {
  let v: unknown = state;
  for (const k of path) v = (v as Record<string | number, unknown> | null | undefined)?.[k];
  return v;
}

/** putAt(state, path, value): a new state with value at path (the rest shared). */
export function putAt(state: State, path: readonly (string | number)[], value: unknown): State {
  if (path.length === 0) return value as State;
  const [k, ...rest] = path as [string | number, ...(string | number)[]];
  const inner = putAt((state as Record<string | number, State>)[k] as State, rest, value);
  if (Array.isArray(state)) return state.map((x, i) => (i === k ? inner : x)) as State;
  return { ...(state as Record<string, State>), [k]: inner };
}

/** withCounts(state, n): every `count` field of the state (step counters of the rule's parts) set to n. */
export function withCounts(state: State, n: number): State {
  if (Array.isArray(state)) return state.map((s) => withCounts(s as State, n)) as State;
  if (typeof state === 'object' && state !== null && !(state instanceof tf.Tensor)) {
    return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, k === 'count' && typeof v === 'number' ? n : withCounts(v as State, n)]));
  }
  return state;
}
