import { isSchedule, type Hyper } from '../schedule.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';

/** State of `injectHyperparams`: the current hyperparameter values (read them; replace them to change the next update), the step count and the inner state. */
export interface InjectedState<K extends string> {
  /** Updates so far. */
  readonly count: number;
  /** The hyperparameter values in force: read them, or replace them (a new state) to change the next update. */
  readonly hyperparams: { readonly [P in K]: number };
  /** The inner rule's state. */
  readonly inner: State;
  readonly [k: string]: State;
}

/**
 * injectHyperparams(factory, hyperparams): the rule `factory(h)` with its numeric hyperparameters kept in state,
 * readable and writable between steps (as optax.inject_hyperparams). A schedule is evaluated at each step's count
 * and its value stored; a number stays as the state holds it. Structure (which transforms exist) is fixed at init.
 */
export function injectHyperparams<K extends string>(
  factory: (h: { readonly [P in K]: number }) => AnyTransformation,
  hyperparams: { readonly [P in K]: Hyper },
): GradientTransformation<InjectedState<K>> {
  const keys = Object.keys(hyperparams) as K[];
  const resolve = (count: number, held?: { readonly [P in K]: number }): { [P in K]: number } => {
    const out = {} as { [P in K]: number };
    for (const k of keys) {
      const h = hyperparams[k];
      out[k] = isSchedule(h) ? h(count) : held === undefined ? (h as number) : held[k];
    }
    return out;
  };
  const first = factory(resolve(0));
  return {
    init: (params) => ({ count: 0, hyperparams: resolve(0), inner: first.init(params) as State }),
    update: (updates, state, params) => {
      const h = resolve(state.count, state.hyperparams);
      const [u, s] = factory(h).update(updates, state.inner, params);
      return [u, { count: state.count + 1, hyperparams: h, inner: s as State }];
    },
    ...(first.handlesNonFinite === true ? { handlesNonFinite: true } : {}),
  };
}
