import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Hyper } from '../schedule.js';
import { all, bool, hyper, knownKeys, num, orThrow, rules, type Validation } from '../validate.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import type { Mask } from './mask.js';
import { chain } from './chain.js';
import { scaleByLearningRate } from './scale.js';
import { scaleByAdam } from './scaleByAdam.js';
import { scaleByRms } from './scaleByRms.js';
import { trace } from './trace.js';
import type { AnyTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `sgd`. */
export interface SgdOptions {
  /** Momentum μ ∈ [0, 1); default 0 (none). */
  readonly momentum?: number;
  /** Nesterov momentum; default false. */
  readonly nesterov?: boolean;
  /** Coupled L2 weight decay (added to the gradient before momentum); default 0. */
  readonly weightDecay?: Hyper;
  /** Which leaves get weight decay (e.g. `exceptBiasesAndNorms`); default all. */
  readonly mask?: Mask;
}

const checkSgd = (lr: Hyper, o: SgdOptions) =>
  all({
    learningRate: hyper('learningRate', lr, rules.nonNegative),
    momentum: num('momentum', o.momentum ?? 0, rules.unitOpen),
    nesterov: bool('nesterov', o.nesterov ?? false),
    weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
    options: knownKeys(o, ['momentum', 'nesterov', 'weightDecay', 'mask']),
  });

const buildSgd = (lr: Hyper, o: SgdOptions): AnyTransformation =>
  chain(
    ...(o.weightDecay !== undefined && o.weightDecay !== 0 ? [addDecayedWeights(o.weightDecay, o.mask === undefined ? {} : { mask: o.mask })] : []),
    ...(o.momentum !== undefined && o.momentum !== 0 ? [trace({ decay: o.momentum, nesterov: o.nesterov ?? false })] : []),
    scaleByLearningRate(lr),
  );

/**
 * sgd(lr, { momentum = 0, nesterov = false, weightDecay = 0 }) = chain(addDecayedWeights(wd), trace(momentum), scaleByLearningRate(lr)):
 * g ← g + wd·w; m ← μ·m + g; w ← w − lr·m (or − lr·(g + μ·m) with Nesterov) — torch.optim.SGD's coupled L2.
 */
export const sgd = defineTransform('sgd', function sgd(learningRate: Hyper, options: SgdOptions = {}): AnyTransformation {
  orThrow(checkSgd(learningRate, options), 'sgd');
  return buildSgd(learningRate, options);
}, { params: ['learningRate', 'options'] });

/** Options of `adam` and `adamw`. */
export interface AdamRuleOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to √v̂ in the denominator; default 1e-8. */
  readonly eps?: number;
  /** Added to v̂ inside the root, √(v̂ + epsRoot) (optax's eps_root); default 0. */
  readonly epsRoot?: number;
  /** Nesterov momentum (NAdam, Dozat 2016), as optax's `nesterov=True`; default false. */
  readonly nesterov?: boolean;
}

const checkAdam = (lr: Hyper, o: AdamRuleOptions & { weightDecay?: Hyper }, withDecay: boolean) =>
  all({
    learningRate: hyper('learningRate', lr, rules.nonNegative),
    b1: num('b1', o.b1 ?? 0.9, rules.unitOpen),
    b2: num('b2', o.b2 ?? 0.999, rules.unitOpen),
    eps: num('eps', o.eps ?? 1e-8, rules.nonNegative),
    epsRoot: num('epsRoot', o.epsRoot ?? 0, rules.nonNegative),
    nesterov: bool('nesterov', o.nesterov ?? false),
    weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
    options: knownKeys(o, ['b1', 'b2', 'eps', 'epsRoot', 'nesterov', ...(withDecay ? ['weightDecay', 'mask'] : [])]),
  });

/** adamPart(o): the options scaleByAdam takes, without the rule's own (weightDecay, mask). */
const adamPart = ({ b1, b2, eps, epsRoot, nesterov }: AdamRuleOptions): AdamRuleOptions => ({
  ...(b1 === undefined ? {} : { b1 }),
  ...(b2 === undefined ? {} : { b2 }),
  ...(eps === undefined ? {} : { eps }),
  ...(epsRoot === undefined ? {} : { epsRoot }),
  ...(nesterov === undefined ? {} : { nesterov }),
});

/** adam(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false }) = chain(scaleByAdam, scaleByLearningRate(lr)) (Kingma & Ba 2015; NAdam with nesterov, Dozat 2016). */
export const adam = defineTransform('adam', function adam(learningRate: Hyper, options: AdamRuleOptions = {}): AnyTransformation {
  orThrow(checkAdam(learningRate, options, false), 'adam');
  return chain(scaleByAdam(adamPart(options)), scaleByLearningRate(learningRate));
}, { params: ['learningRate', 'options'] });

/** adamw(lr, { weightDecay = 1e-4, mask, b1, b2, eps }) = chain(scaleByAdam, addDecayedWeights(wd), scaleByLearningRate(lr)): decoupled decay (Loshchilov & Hutter 2019). */
export const adamw = defineTransform('adamw', function adamw(learningRate: Hyper, options: AdamRuleOptions & { readonly weightDecay?: Hyper; readonly mask?: Mask } = {}): AnyTransformation {
  orThrow(checkAdam(learningRate, options, true), 'adamw');
  const decay = addDecayedWeights(options.weightDecay ?? 1e-4, options.mask === undefined ? {} : { mask: options.mask });
  return chain(scaleByAdam(adamPart(options)), decay, scaleByLearningRate(learningRate));
}, { params: ['learningRate', 'options'] });

/** Options of `rmsprop`. */
export interface RmspropOptions {
  /** Decay of the running average of g²; default 0.9. */
  readonly decay?: number;
  /** Added to the denominator; default 1e-8. */
  readonly eps?: number;
  /** Momentum after the scaling; default 0 (none). */
  readonly momentum?: number;
  /** Divide by the centred second moment √(ν − μ²) (Graves 2013); default false. */
  readonly centered?: boolean;
  /** Put eps inside the root, √(ν + eps), as tf.train.rmsprop and optax's default; default false. */
  readonly epsilonInSqrt?: boolean;
  /** Nesterov momentum; default false. */
  readonly nesterov?: boolean;
  /** Divide ν (and μ) by 1 − decayᵗ, as optax's `bias_correction`; default false. */
  readonly biasCorrection?: boolean;
  /** The starting value of ν, as optax's `initial_scale`; default 0. */
  readonly initialScale?: number;
}

const checkRmsprop = (lr: Hyper, o: RmspropOptions) =>
  all({
    learningRate: hyper('learningRate', lr, rules.nonNegative),
    decay: num('decay', o.decay ?? 0.9, rules.unitOpen),
    eps: num('eps', o.eps ?? 1e-8, rules.nonNegative),
    momentum: num('momentum', o.momentum ?? 0, rules.unitOpen),
    centered: bool('centered', o.centered ?? false),
    epsilonInSqrt: bool('epsilonInSqrt', o.epsilonInSqrt ?? false),
    nesterov: bool('nesterov', o.nesterov ?? false),
    biasCorrection: bool('biasCorrection', o.biasCorrection ?? false),
    initialScale: num('initialScale', o.initialScale ?? 0, rules.nonNegative),
    options: knownKeys(o, ['decay', 'eps', 'momentum', 'centered', 'epsilonInSqrt', 'nesterov', 'biasCorrection', 'initialScale']),
  });

/**
 * rmsprop(lr, { decay = 0.9, eps = 1e-8, momentum = 0, centered = false, epsilonInSqrt = false }) =
 * chain(scaleByRms, trace(momentum), scaleByLearningRate(lr)) (Tieleman & Hinton 2012), as tf.train.rmsprop and torch.
 * Two differences from optax.rmsprop: optax's default is eps inside the root (pass `epsilonInSqrt: true`), and optax
 * applies momentum after the learning rate, chain(scale_by_rms, scale_by_learning_rate, trace): with a constant lr the
 * two orders give the same updates, under a schedule they differ (optimix's momentum carries the unscaled steps, each
 * scaled by the current lr; optax's carries steps scaled by the lr in force when each was taken).
 */
export const rmsprop = defineTransform('rmsprop', function rmsprop(learningRate: Hyper, options: RmspropOptions = {}): AnyTransformation {
  orThrow(checkRmsprop(learningRate, options), 'rmsprop');
  const { momentum = 0, nesterov = false, ...rms } = options;
  return chain(scaleByRms(rms), ...(momentum !== 0 ? [trace({ decay: momentum, nesterov })] : []), scaleByLearningRate(learningRate));
}, { params: ['learningRate', 'options'] });

const safely = <A>(v: Validation<unknown>, build: () => A): Validation<A> => pipe(v, E.map(build));

/** The named rules as Either-returning constructors: Left(every problem) instead of a thrown error, for callers that compose. */
export const safe = {
  /** `sgd`, returning Left(problems) instead of throwing. */
  sgd: (lr: Hyper, o: SgdOptions = {}) => safely(checkSgd(lr, o), () => sgd(lr, o)),
  /** `adam`, returning Left(problems) instead of throwing. */
  adam: (lr: Hyper, o: AdamRuleOptions = {}) => safely(checkAdam(lr, o, false), () => adam(lr, o)),
  /** `adamw`, returning Left(problems) instead of throwing. */
  adamw: (lr: Hyper, o: AdamRuleOptions & { readonly weightDecay?: Hyper } = {}) => safely(checkAdam(lr, o, true), () => adamw(lr, o)),
  /** `rmsprop`, returning Left(problems) instead of throwing. */
  rmsprop: (lr: Hyper, o: RmspropOptions = {}) => safely(checkRmsprop(lr, o), () => rmsprop(lr, o)),
};
