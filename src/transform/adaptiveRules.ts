import type { Hyper } from '../schedule.js';
import { all, bool, hyper, knownKeys, num, rules } from '../validate.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { scaleByLearningRate } from './scale.js';
import { checkAdamOptions, scaleByAdam, type AdamOptions } from './scaleByAdam.js';
import { scaleByAdadelta, type AdadeltaOptions } from './scaleByAdadelta.js';
import { scaleByAdamax, type AdamaxOptions } from './scaleByAdamax.js';
import { scaleByAmsgrad, type AmsgradOptions } from './scaleByAmsgrad.js';
import { scaleByBelief, type BeliefOptions } from './scaleByBelief.js';
import { radamThreshold, scaleByRadam, type RadamOptions } from './scaleByRadam.js';
import { scaleByRss, type RssOptions } from './scaleByRss.js';
import { scaleByYogi, type YogiOptions } from './scaleByYogi.js';
import type { AnyTransformation } from './types.js';

const lrOk = (lr: Hyper) => hyper('learningRate', lr, rules.nonNegative);
const moments = (o: { b1?: number; b2?: number; eps?: number; epsRoot?: number }, eps: number, epsRoot = 0) => ({
  b1: num('b1', o.b1 ?? 0.9, rules.unitOpen),
  b2: num('b2', o.b2 ?? 0.999, rules.unitOpen),
  eps: num('eps', o.eps ?? eps, rules.nonNegative),
  epsRoot: num('epsRoot', o.epsRoot ?? epsRoot, rules.nonNegative),
});
const decay = (wd: Hyper | undefined): AnyTransformation[] => (wd !== undefined && wd !== 0 ? [addDecayedWeights(wd)] : []);

const adagradRule = defineRule<RssOptions>(
  'adagrad',
  (lr, o) => all({ options: knownKeys(o, ['initialAccumulatorValue', 'eps']), learningRate: lrOk(lr), initialAccumulatorValue: num('initialAccumulatorValue', o.initialAccumulatorValue ?? 0.1, rules.nonNegative), eps: num('eps', o.eps ?? 1e-7, rules.nonNegative) }),
  (lr, o) => chain(scaleByRss(o), scaleByLearningRate(lr)),
);
/** adagrad(lr, { initialAccumulatorValue = 0.1, eps = 1e-7 }) = chain(scaleByRss, scaleByLearningRate): w ← w − lr·g/√(Σg² + eps) (Duchi et al. 2011; optax.adagrad, tf.train.adagrad). */
export const adagrad = adagradRule.make;

/** Options of `adadelta`. */
export interface AdadeltaRuleOptions extends AdadeltaOptions {
  /** Coupled L2 weight decay, added to the gradient first; default 0. */
  readonly weightDecay?: Hyper;
}
const adadeltaRule = defineRule<AdadeltaRuleOptions>(
  'adadelta',
  (lr, o) => all({ options: knownKeys(o, ['rho', 'eps', 'weightDecay']), learningRate: lrOk(lr), rho: num('rho', o.rho ?? 0.9, rules.unitOpen), eps: num('eps', o.eps ?? 1e-6, rules.nonNegative), weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative) }),
  (lr, { weightDecay, ...o }) => chain(...decay(weightDecay), scaleByAdadelta(o), scaleByLearningRate(lr)),
);
/** adadelta(lr, { rho = 0.9, eps = 1e-6, weightDecay = 0 }) = chain(addDecayedWeights, scaleByAdadelta, scaleByLearningRate) (Zeiler 2012; optax.adadelta; tf.train.adadelta with rho 0.95, eps 1e-7). */
export const adadelta = adadeltaRule.make;

const adamaxRule = defineRule<AdamaxOptions>(
  'adamax',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps']), learningRate: lrOk(lr), ...moments(o, 1e-8) }),
  (lr, o) => chain(scaleByAdamax(o), scaleByLearningRate(lr)),
);
/** adamax(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-8 }) = chain(scaleByAdamax, scaleByLearningRate): Adam with the infinity norm (Kingma & Ba 2015, §7; optax.adamax, tf.train.adamax). */
export const adamax = adamaxRule.make;

/** Options of `nadam`: Adam's, without `nesterov` (always on). */
export type NadamOptions = Omit<AdamOptions, 'nesterov'>;
const nadamRule = defineRule<NadamOptions>(
  'nadam',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps', 'epsRoot']), learningRate: lrOk(lr), moments: checkAdamOptions(o) }),
  (lr, o) => chain(scaleByAdam({ ...o, nesterov: true }), scaleByLearningRate(lr)),
);
/** nadam(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 }) = adam(lr, { nesterov: true }): Adam with Nesterov momentum (Dozat 2016; optax.nadam). */
export const nadam = nadamRule.make;

const amsgradRule = defineRule<AmsgradOptions>(
  'amsgrad',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps', 'epsRoot', 'biasCorrectionMu', 'biasCorrectionNu']), learningRate: lrOk(lr), ...moments(o, 1e-8), biasCorrectionMu: bool('biasCorrectionMu', o.biasCorrectionMu ?? true), biasCorrectionNu: bool('biasCorrectionNu', o.biasCorrectionNu ?? true) }),
  (lr, o) => chain(scaleByAmsgrad(o), scaleByLearningRate(lr)),
);
/** amsgrad(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, biasCorrectionMu = true, biasCorrectionNu = true }) = chain(scaleByAmsgrad, scaleByLearningRate): Adam dividing by the running max of v̂ (Reddi et al. 2018; optax.amsgrad). */
export const amsgrad = amsgradRule.make;

/** Options of `adabelief`. */
export interface AdabeliefRuleOptions extends BeliefOptions {
  /** Decoupled weight decay, after the scaling (as AdamW); default 0 (none). */
  readonly weightDecay?: Hyper;
}
const adabeliefRule = defineRule<AdabeliefRuleOptions>(
  'adabelief',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps', 'epsRoot', 'weightDecay']), learningRate: lrOk(lr), ...moments(o, 1e-16, 1e-16), weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative) }),
  (lr, { weightDecay, ...o }) => chain(scaleByBelief(o), ...decay(weightDecay), scaleByLearningRate(lr)),
);
/** adabelief(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-16, epsRoot = 1e-16, weightDecay = 0 }) = chain(scaleByBelief, addDecayedWeights, scaleByLearningRate) (Zhuang et al. 2020; optax.adabelief). */
export const adabelief = adabeliefRule.make;

const radamRule = defineRule<RadamOptions>(
  'radam',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps', 'epsRoot', 'threshold']), learningRate: lrOk(lr), ...moments(o, 1e-8), threshold: num('threshold', o.threshold ?? 5, radamThreshold) }),
  (lr, o) => chain(scaleByRadam(o), scaleByLearningRate(lr)),
);
/** radam(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5 }) = chain(scaleByRadam, scaleByLearningRate): rectified Adam (Liu et al. 2020; optax.radam). */
export const radam = radamRule.make;

const yogiRule = defineRule<Omit<YogiOptions, 'epsRoot' | 'initialAccumulatorValue'>>(
  'yogi',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps']), learningRate: lrOk(lr), b1: num('b1', o.b1 ?? 0.9, rules.unitOpen), b2: num('b2', o.b2 ?? 0.999, rules.unitOpen), eps: num('eps', o.eps ?? 1e-3, rules.nonNegative) }),
  (lr, o) => chain(scaleByYogi(o), scaleByLearningRate(lr)),
);
/** yogi(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-3 }) = chain(scaleByYogi, scaleByLearningRate): Adam with an additive second moment (Zaheer et al. 2018; optax.yogi). */
export const yogi = yogiRule.make;

/** The rules of this file as Either-returning constructors: Left(every problem) instead of a thrown error. */
export const safeAdaptive = {
  /** `adagrad`, returning Left(every problem) instead of throwing. */
  adagrad: adagradRule.safe,
  /** `adadelta`, returning Left(every problem) instead of throwing. */
  adadelta: adadeltaRule.safe,
  /** `adamax`, returning Left(every problem) instead of throwing. */
  adamax: adamaxRule.safe,
  /** `nadam`, returning Left(every problem) instead of throwing. */
  nadam: nadamRule.safe,
  /** `amsgrad`, returning Left(every problem) instead of throwing. */
  amsgrad: amsgradRule.safe,
  /** `adabelief`, returning Left(every problem) instead of throwing. */
  adabelief: adabeliefRule.safe,
  /** `radam`, returning Left(every problem) instead of throwing. */
  radam: radamRule.safe,
  /** `yogi`, returning Left(every problem) instead of throwing. */
  yogi: yogiRule.safe,
};

