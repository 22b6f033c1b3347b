import * as tf from '@tensorflow/tfjs-core';
import { OptimixError } from '../errors.js';
import { linear, valueAt, type Hyper } from '../schedule.js';
import { map, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, hyper, knownKeys, num, ok, orThrow, problem, rules } from '../validate.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { scaleByLearningRate } from './scale.js';
import { scaleByRms } from './scaleByRms.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** State of `scheduleFree`: the base rule's state, the z sequence, and the running weights of the averaging. */
export interface ScheduleFreeState {
  /** Marks the state, so `scheduleFreeEvalParams` can find it inside an optimizer's state. */
  readonly kind: 'scheduleFree';
  /** The interpolation b1 between the average x and z. */
  readonly b1: number;
  /** Σ of the weights max(lr)^power so far. */
  readonly weightSum: number;
  /** Steps so far + 1 (the step a learning-rate schedule is evaluated at, as optax's step_count). */
  readonly stepCount: number;
  /** The largest learning rate so far. */
  readonly maxLr: number;
  /** The base rule's state. */
  readonly base: State;
  /** The z sequence (the base rule's iterates). */
  readonly z: Tree;
  readonly [k: string]: State;
}

/** Options of `scheduleFree`. */
export interface ScheduleFreeOptions {
  /** Interpolation between the average x and z where the gradient is taken; default 0.9. */
  readonly b1?: number;
  /** The averaging weight of a step is max(lr)^weightLrPower; default 2. */
  readonly weightLrPower?: number;
}

const f32 = Math.fround;

/**
 * scheduleFree(base, lr, { b1 = 0.9, weightLrPower = 2 }): schedule-free wrapping of a base rule (Defazio et al. 2024,
 * "The road less scheduled"; optax.contrib.schedule_free). With y the params (where the gradient is taken):
 * z ← z + base(g); x ← (1 − cₜ)·x + cₜ·z, cₜ = max(lr)ᵖ/Σ max(lr)ᵖ; y ← b1·x + (1 − b1)·z. Evaluate at x (scheduleFreeEvalParams).
 */
export const scheduleFree = defineTransform('scheduleFree', function scheduleFree(base: AnyTransformation, learningRate: Hyper, options: ScheduleFreeOptions = {}): GradientTransformation<ScheduleFreeState> {
  const { b1 = 0.9, weightLrPower = 2 } = options;
  orThrow(all({ options: knownKeys(options, ['b1', 'weightLrPower']), learningRate: hyper('learningRate', learningRate, rules.nonNegative), b1: num('b1', b1, { test: (x) => x > 0 && x <= 1, says: 'must be in (0, 1]' }), weightLrPower: num('weightLrPower', weightLrPower, rules.nonNegative) }), 'scheduleFree');
  return {
    init: (params) => ({ kind: 'scheduleFree', b1, weightSum: 0, stepCount: 1, maxLr: 0, base: base.init(params) as State, z: map(params, (x) => x.clone()) }),
    update: (grads, state, params) =>
      tf.tidy(() => {
        // Scalars in float32, as optax keeps them.
        const maxLr = f32(Math.max(state.maxLr, valueAt(learningRate, state.stepCount)));
        const weight = f32(Math.pow(maxLr, weightLrPower));
        const weightSum = f32(state.weightSum + weight);
        const ck = weightSum === 0 ? 0 : f32(weight / weightSum);
        const [u, baseState] = base.update(grads, state.base, params);
        const z = zipWith(state.z, u, (zi, ui) => tf.add(zi, ui));
        const prevX = zipWith(params, state.z, (y, zi) => tf.div(tf.sub(y, tf.mul(zi, f32(1 - b1))), b1));
        const x = zipWith(prevX, z, (xi, zi) => tf.add(tf.mul(xi, f32(1 - ck)), tf.mul(zi, ck)));
        const out = zipWith3(x, z, params, (xi, zi, y) => tf.sub(tf.add(tf.mul(xi, b1), tf.mul(zi, f32(1 - b1))), y));
        const next: ScheduleFreeState = { kind: 'scheduleFree', b1, weightSum, stepCount: state.stepCount + 1, maxLr, base: baseState as State, z };
        return [out, next] as unknown as tf.TensorContainer;
      }) as unknown as readonly [Tree, ScheduleFreeState],
  };
});

/** findScheduleFree(state): the ScheduleFreeState inside a transform's or an optimizer's state (depth first), or null. */
function findScheduleFree(s: unknown): ScheduleFreeState | null {
  if (s === null || typeof s !== 'object' || s instanceof tf.Tensor) return null;
  if ((s as { kind?: unknown }).kind === 'scheduleFree') return s as ScheduleFreeState;
  for (const v of Array.isArray(s) ? s : Object.values(s)) {
    const found = findScheduleFree(v);
    if (found !== null) return found;
  }
  return null;
}

/**
 * scheduleFreeEvalParams(state, params): the averaged parameters x = (y − (1 − b1)·z)/b1 at which a schedule-free
 * run is evaluated (optax.contrib.schedule_free_eval_params). `state` is the transform's state or a whole optimizer
 * state holding one; the result is new tensors, yours to dispose.
 */
export function scheduleFreeEvalParams(state: unknown, params: Tree): Tree {
  const sf = findScheduleFree(state);
  if (sf === null) throw new OptimixError('scheduleFreeEvalParams(state, params): state holds no scheduleFree state');
  return tf.tidy(() => zipWith(params, sf.z, (y, zi) => tf.div(tf.sub(y, tf.mul(zi, f32(1 - sf.b1))), sf.b1)) as unknown as tf.TensorContainer) as unknown as Tree;
}

/** Options of `scheduleFreeSgd`. */
export interface ScheduleFreeSgdOptions extends ScheduleFreeOptions {
  /** Linear warmup of the learning rate from 0 over this many steps; default none. */
  readonly warmupSteps?: number;
  /** Coupled weight decay, added to the gradient; default none. */
  readonly weightDecay?: Hyper;
}

const warmup = (lr: Hyper, steps: number | undefined): Hyper => (steps === undefined ? lr : linear(0, lr as number, steps));
const checkWarmup = (lr: Hyper, steps: number | undefined) =>
  steps === undefined ? ok(steps) : typeof lr !== 'number' ? problem('warmupSteps needs a constant learningRate (a number), got a schedule') : num('warmupSteps', steps, rules.positiveInteger);

const scheduleFreeSgdRule = defineRule<ScheduleFreeSgdOptions>(
  'scheduleFreeSgd',
  (lr, o) =>
    all({
      options: knownKeys(o, ['warmupSteps', 'weightDecay', 'b1', 'weightLrPower']),
      learningRate: hyper('learningRate', lr, rules.nonNegative),
      warmupSteps: checkWarmup(lr, o.warmupSteps),
      b1: num('b1', o.b1 ?? 0.9, { test: (x) => x > 0 && x <= 1, says: 'must be in (0, 1]' }),
      weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
      weightLrPower: num('weightLrPower', o.weightLrPower ?? 2, rules.nonNegative),
    }),
  (lr, { warmupSteps, weightDecay, ...o }) => {
    const rate = warmup(lr, warmupSteps);
    return scheduleFree(chain(...(weightDecay === undefined ? [] : [addDecayedWeights(weightDecay)]), scaleByLearningRate(rate)), rate, o);
  },
);

/** scheduleFreeSgd(lr = 1, { warmupSteps, b1 = 0.9, weightDecay, weightLrPower = 2 }) = scheduleFree(sgd(lr), lr) (Defazio et al. 2024; optax.contrib.schedule_free_sgd). */
export const scheduleFreeSgd = (learningRate: Hyper = 1, options: ScheduleFreeSgdOptions = {}): AnyTransformation => scheduleFreeSgdRule.make(learningRate, options);

/** Options of `scheduleFreeAdamw`. */
export interface ScheduleFreeAdamwOptions extends ScheduleFreeOptions {
  /** Linear warmup of the learning rate from 0 over this many steps; default none. */
  readonly warmupSteps?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to √ν̂; default 1e-8. */
  readonly eps?: number;
  /** Decoupled weight decay; default 0. */
  readonly weightDecay?: Hyper;
}

const scheduleFreeAdamwRule = defineRule<ScheduleFreeAdamwOptions>(
  'scheduleFreeAdamw',
  (lr, o) =>
    all({
      options: knownKeys(o, ['warmupSteps', 'b2', 'eps', 'weightDecay', 'b1', 'weightLrPower']),
      learningRate: hyper('learningRate', lr, rules.nonNegative),
      warmupSteps: checkWarmup(lr, o.warmupSteps),
      b1: num('b1', o.b1 ?? 0.9, { test: (x) => x > 0 && x <= 1, says: 'must be in (0, 1]' }),
      b2: num('b2', o.b2 ?? 0.999, rules.unitOpen),
      eps: num('eps', o.eps ?? 1e-8, rules.nonNegative),
      weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
      weightLrPower: num('weightLrPower', o.weightLrPower ?? 2, rules.nonNegative),
    }),
  (lr, { warmupSteps, b2 = 0.999, eps = 1e-8, weightDecay = 0, ...o }) => {
    const rate = warmup(lr, warmupSteps);
    const base = chain(scaleByRms({ decay: b2, eps, biasCorrection: true }), addDecayedWeights(weightDecay), scaleByLearningRate(rate));
    return scheduleFree(base, rate, o);
  },
);

/**
 * scheduleFreeAdamw(lr = 0.0025, { warmupSteps, b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 0, weightLrPower = 2 }) =
 * scheduleFree(chain(scaleByRms(b2, bias-corrected, eps outside), addDecayedWeights, scaleByLearningRate), lr) (Defazio et al. 2024; optax.contrib.schedule_free_adamw).
 */
export const scheduleFreeAdamw = (learningRate: Hyper = 0.0025, options: ScheduleFreeAdamwOptions = {}): AnyTransformation => scheduleFreeAdamwRule.make(learningRate, options);

/** The schedule-free rules as Either-returning constructors. */
export const safeScheduleFree = {
  /** `scheduleFreeSgd`, returning Left(every problem) instead of throwing. */
  scheduleFreeSgd: scheduleFreeSgdRule.safe,
  /** `scheduleFreeAdamw`, returning Left(every problem) instead of throwing. */
  scheduleFreeAdamw: scheduleFreeAdamwRule.safe,
};
