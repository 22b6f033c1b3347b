import type { Hyper } from '../schedule.js';
import { all, bool, hyper, knownKeys, num, ok, problem, rules } from '../validate.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { masked, type NameMask } from './masked.js';
import { scaleByLearningRate } from './scale.js';
import { checkAdamOptions, scaleByAdam } from './scaleByAdam.js';
import { scaleByTrustRatio } from './scaleByTrustRatio.js';
import { trace } from './trace.js';
import type { AnyTransformation } from './types.js';

const lrOk = (lr: Hyper) => hyper('learningRate', lr, rules.nonNegative);
const maybeMasked = (mask: NameMask | undefined, t: AnyTransformation): AnyTransformation => (mask === undefined ? t : masked(mask, t));
const maskOk = (name: string, x: unknown) => (x === undefined || typeof x === 'function' ? ok(x) : problem(`${name} must be a function (name, leaf) => boolean, got ${typeof x}`));

/** Options of `lamb`. */
export interface LambOptions {
  /** Decay of the first moment; default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment; default 0.999. */
  readonly b2?: number;
  /** Added to √v̂; default 1e-6. */
  readonly eps?: number;
  /** Added to v̂ inside the root; default 0. */
  readonly epsRoot?: number;
  /** Decoupled weight decay, before the trust ratio; default 0. */
  readonly weightDecay?: Hyper;
  /** The leaves weight decay applies to; default all. */
  readonly mask?: NameMask;
}
const lambRule = defineRule<LambOptions>(
  'lamb',
  (lr, o) => all({ options: knownKeys(o, ['b1', 'b2', 'eps', 'epsRoot', 'weightDecay', 'mask']), learningRate: lrOk(lr), adam: checkAdamOptions({ ...o, eps: o.eps ?? 1e-6 }), weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative), mask: maskOk('mask', o.mask) }),
  (lr, o) =>
    chain(
      scaleByAdam({ b1: o.b1 ?? 0.9, b2: o.b2 ?? 0.999, eps: o.eps ?? 1e-6, epsRoot: o.epsRoot ?? 0 }),
      maybeMasked(o.mask, addDecayedWeights(o.weightDecay ?? 0)),
      scaleByTrustRatio(),
      scaleByLearningRate(lr),
    ),
);
/** lamb(lr, { b1 = 0.9, b2 = 0.999, eps = 1e-6, weightDecay = 0 }) = chain(scaleByAdam, addDecayedWeights, scaleByTrustRatio, scaleByLearningRate) (You et al. 2020; optax.lamb). */
export const lamb = lambRule.make;

/** Options of `lars`. */
export interface LarsOptions {
  /** Coupled weight decay, added to the gradient first; default 0. */
  readonly weightDecay?: Hyper;
  /** The leaves weight decay applies to; default all. */
  readonly weightDecayMask?: NameMask;
  /** The trust coefficient η; default 0.001. */
  readonly trustCoefficient?: number;
  /** Added to the update's norm in the trust ratio; default 0. */
  readonly eps?: number;
  /** The leaves the trust ratio applies to; default all. */
  readonly trustRatioMask?: NameMask;
  /** Momentum, after the learning rate; default 0.9. */
  readonly momentum?: number;
  /** Nesterov momentum; default false. */
  readonly nesterov?: boolean;
}
const larsRule = defineRule<LarsOptions>(
  'lars',
  (lr, o) =>
    all({
      options: knownKeys(o, ['weightDecay', 'weightDecayMask', 'trustCoefficient', 'eps', 'trustRatioMask', 'momentum', 'nesterov']),
      learningRate: lrOk(lr),
      weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
      weightDecayMask: maskOk('weightDecayMask', o.weightDecayMask),
      trustCoefficient: num('trustCoefficient', o.trustCoefficient ?? 0.001, rules.nonNegative),
      eps: num('eps', o.eps ?? 0, rules.nonNegative),
      trustRatioMask: maskOk('trustRatioMask', o.trustRatioMask),
      momentum: num('momentum', o.momentum ?? 0.9, rules.unitOpen),
      nesterov: bool('nesterov', o.nesterov ?? false),
    }),
  (lr, o) =>
    chain(
      maybeMasked(o.weightDecayMask, addDecayedWeights(o.weightDecay ?? 0)),
      maybeMasked(o.trustRatioMask, scaleByTrustRatio({ trustCoefficient: o.trustCoefficient ?? 0.001, eps: o.eps ?? 0 })),
      scaleByLearningRate(lr),
      ...((o.momentum ?? 0.9) !== 0 ? [trace({ decay: o.momentum ?? 0.9, nesterov: o.nesterov ?? false })] : []),
    ),
);
/**
 * lars(lr, { weightDecay = 0, trustCoefficient = 0.001, eps = 0, momentum = 0.9, nesterov = false }) =
 * chain(addDecayedWeights, scaleByTrustRatio, scaleByLearningRate, trace) (You et al. 2017; optax.lars).
 */
export const lars = larsRule.make;

/** The rules of this file as Either-returning constructors: Left(every problem) instead of a thrown error. */
export const safeTrustRatio = {
  /** `lamb`, returning Left(every problem) instead of throwing. */
  lamb: lambRule.safe,
  /** `lars`, returning Left(every problem) instead of throwing. */
  lars: larsRule.safe,
};
