import { isSchedule, type Hyper } from '../schedule.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { constructorKind, defineTransform, transforms } from './define.js';

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

/** The two forms of `injectHyperparams`: a factory of the hyperparameters, or a named rule `(learningRate, options)`. */
export interface InjectHyperparams {
  /** injectHyperparams((h) => rule, hyperparams). */
  <K extends string>(factory: (h: { readonly [P in K]: number }) => AnyTransformation, hyperparams: { readonly [P in K]: Hyper }): GradientTransformation<InjectedState<K>>;
  /** injectHyperparams(sgd, { learningRate, …options }). */
  <K extends string>(rule: (learningRate: Hyper, options?: never) => AnyTransformation, hyperparams: { readonly [P in K]: Hyper }): GradientTransformation<InjectedState<K>>;
}

/**
 * injectHyperparams(factory, hyperparams): the rule `factory(h)` with its numeric hyperparameters kept in state,
 * readable and writable between steps (as optax.inject_hyperparams). A schedule is evaluated at each step's count
 * and its value stored; a number stays as the state holds it. Structure (which transforms exist) is fixed at init.
 * A named rule may be the factory: injectHyperparams(sgd, { learningRate, momentum }) calls sgd(h.learningRate, { momentum })
 * (as optax.inject_hyperparams(optax.sgd)), and, unlike a closure, it can be saved by toJSON.
 */
export const injectHyperparams: InjectHyperparams = defineTransform('injectHyperparams', function injectHyperparams<K extends string>(
  factory: ((h: { readonly [P in K]: number }) => AnyTransformation) | ((learningRate: Hyper, options?: never) => AnyTransformation),
  hyperparams: { readonly [P in K]: Hyper },
): GradientTransformation<InjectedState<K>> {
  const keys = Object.keys(hyperparams) as K[];
  const kind = constructorKind(factory);
  const ps = kind === undefined ? [] : (transforms.find(kind)?.params ?? []);
  const make: (h: { readonly [P in K]: number }) => AnyTransformation =
    ps[0] === 'learningRate' && ps[1] === 'options'
      ? (h) => {
          const { learningRate, ...rest } = h as Record<string, number>;
          return (factory as unknown as (lr: number | undefined, o: object) => AnyTransformation)(learningRate, rest);
        }
      : (factory as (h: { readonly [P in K]: number }) => AnyTransformation);
  const resolve = (count: number, held?: { readonly [P in K]: number }): { [P in K]: number } => {
    const out = {} as { [P in K]: number };
    for (const k of keys) {
      const h = hyperparams[k];
      out[k] = isSchedule(h) ? h(count) : held === undefined ? (h as number) : held[k];
    }
    return out;
  };
  const first = make(resolve(0));
  return {
    init: (params) => ({ count: 0, hyperparams: resolve(0), inner: first.init(params) as State }),
    update: (updates, state, params) => {
      const h = resolve(state.count, state.hyperparams);
      const [u, s] = make(h).update(updates, state.inner, params);
      return [u, { count: state.count + 1, hyperparams: h, inner: s as State }];
    },
    ...(first.handlesNonFinite === true ? { handlesNonFinite: true } : {}),
  };
}, {
  params: ['factory', 'hyperparams'],
  // A named rule takes schedules too: describe prints sgd(cosineDecay(…), { momentum }) below the header, η_t and all.
  expand: ([factory, hp]) => {
    const ps = transforms.find(constructorKind(factory) ?? '')?.params ?? [];
    if (ps[0] !== 'learningRate' || ps[1] !== 'options') return [];
    const { learningRate, ...rest } = hp as Record<string, Hyper>;
    return [(factory as (lr: Hyper | undefined, o: object) => AnyTransformation)(learningRate, rest)];
  },
});
