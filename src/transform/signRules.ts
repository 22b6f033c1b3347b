import type { Hyper } from '../schedule.js';
import { all, hyper, knownKeys, num, ok, problem, rules } from '../validate.js';
import { masked, type NameMask } from './masked.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { movingAverage } from './movingAverage.js';
import { scaleByLearningRate } from './scale.js';
import { scaleByLion, type LionOptions } from './scaleByLion.js';
import { scaleBySign } from './scaleBySign.js';

const lrOk = (lr: Hyper) => hyper('learningRate', lr, rules.nonNegative);

/** Options of `lion`. */
export interface LionRuleOptions extends LionOptions {
  /** Decoupled weight decay, added after the sign (so it is scaled by lr only); default 1e-3 (optax's). */
  readonly weightDecay?: Hyper;
  /** The leaves weight decay applies to; default all. */
  readonly mask?: NameMask;
}
const lionRule = defineRule<LionRuleOptions>(
  'lion',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'weightDecay', 'mask']), learningRate: lrOk(lr), b1: num('b1', o.b1 ?? 0.9, rules.unit), b2: num('b2', o.b2 ?? 0.99, rules.unit), weightDecay: hyper('weightDecay', o.weightDecay ?? 1e-3, rules.nonNegative), mask: o.mask === undefined || typeof o.mask === 'function' ? ok(null) : problem(`mask must be a function (name, leaf) => boolean, got ${typeof o.mask}`) }),
  (lr, { weightDecay = 1e-3, mask, ...o }) => chain(scaleByLion(o), mask === undefined ? addDecayedWeights(weightDecay) : masked(mask, addDecayedWeights(weightDecay)), scaleByLearningRate(lr)),
);
/** lion(lr, { b1 = 0.9, b2 = 0.99, weightDecay = 1e-3 }) = chain(scaleByLion, addDecayedWeights, scaleByLearningRate): w ← w − lr·(sign((1−b1)g + b1·m) + wd·w) (Chen et al. 2023; optax.lion). */
export const lion = lionRule.make;

const signSgdRule = defineRule<Record<string, never>>(
  'signSgd',
  (lr) => all({ learningRate: lrOk(lr) }),
  (lr) => chain(scaleBySign(), scaleByLearningRate(lr)),
);
/** signSgd(lr) = chain(scaleBySign, scaleByLearningRate): w ← w − lr·sign(g) (Bernstein et al. 2018; optax.sign_sgd). */
export const signSgd = (learningRate: Hyper) => signSgdRule.make(learningRate);

/** Options of `signum`. */
export interface SignumOptions {
  /** Decay of the (unbiased-free) moving average of g; default 0.9 (optax's `beta`). */
  readonly beta?: number;
}
const signumRule = defineRule<SignumOptions>(
  'signum',
  (lr, o) => all({ options: knownKeys(o, ['beta']), learningRate: lrOk(lr), beta: num('beta', o.beta ?? 0.9, rules.unitOpen) }),
  (lr, o) => chain(movingAverage(o.beta ?? 0.9), scaleBySign(), scaleByLearningRate(lr)),
);
/** signum(lr, { beta = 0.9 }) = chain(movingAverage(β), scaleBySign, scaleByLearningRate): m ← βm + (1−β)g; w ← w − lr·sign(m) (Bernstein et al. 2018; optax.signum). */
export const signum = signumRule.make;

/** The rules of this file as Either-returning constructors: Left(every problem) instead of a thrown error. */
export const safeSign = {
  /** `lion`, returning Left(every problem) instead of throwing. */
  lion: lionRule.safe,
  /** `signSgd`, returning Left(every problem) instead of throwing. */
  signSgd: (lr: Hyper) => signSgdRule.safe(lr),
  /** `signum`, returning Left(every problem) instead of throwing. */
  signum: signumRule.safe,
};
