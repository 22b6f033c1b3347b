import type { Hyper } from '../schedule.js';
import { all, bool, hyper, knownKeys, num, ok, problem, rules, type Validation } from '../validate.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import { clipByBlockRms, scaleByParamBlockRms } from './blockRms.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { masked, type NameMask } from './masked.js';
import { movingAverage } from './movingAverage.js';
import { scale, scaleByLearningRate } from './scale.js';
import { scaleByFactoredRms, type FactoredRmsOptions } from './scaleByFactoredRms.js';
import type { AnyTransformation } from './types.js';

/** Options of `adafactor` (optax's names and defaults). */
export interface AdafactorOptions extends FactoredRmsOptions {
  /** Multiply the step by max(rms(w), 1e-3), the relative step size; default true. */
  readonly multiplyByParameterScale?: boolean;
  /** Clip each leaf's update to this RMS; default 1; null turns clipping off. */
  readonly clippingThreshold?: number | null;
  /** Momentum (a moving average of the updates, not debiased); default null (none). */
  readonly momentum?: number | null;
  /** Decoupled weight decay, after the scaling; default null (none). */
  readonly weightDecayRate?: Hyper | null;
  /** The leaves weight decay applies to; default all. */
  readonly weightDecayMask?: NameMask;
}

const optional = <A>(x: A | null | undefined, check: (a: A) => Validation<unknown>): Validation<unknown> => (x === null || x === undefined ? ok(x) : check(x));

const adafactorRule = defineRule<AdafactorOptions>(
  'adafactor',
  (lr, o) =>
    all({
      options: knownKeys(o, ['multiplyByParameterScale', 'clippingThreshold', 'momentum', 'weightDecayRate', 'weightDecayMask', 'factored', 'decayRate', 'decayOffset', 'minDimSizeToFactor', 'eps']),
      learningRate: hyper('learningRate', lr, rules.nonNegative),
      factored: bool('factored', o.factored ?? true),
      decayRate: num('decayRate', o.decayRate ?? 0.8, rules.nonNegative),
      decayOffset: num('decayOffset', o.decayOffset ?? 0, { test: Number.isInteger, says: 'must be an integer' }),
      minDimSizeToFactor: num('minDimSizeToFactor', o.minDimSizeToFactor ?? 128, rules.positiveInteger),
      eps: num('eps', o.eps ?? 1e-30, rules.nonNegative),
      multiplyByParameterScale: bool('multiplyByParameterScale', o.multiplyByParameterScale ?? true),
      clippingThreshold: optional(o.clippingThreshold, (c) => num('clippingThreshold', c, rules.positive)),
      momentum: optional(o.momentum, (m) => num('momentum', m, rules.unitOpen)),
      weightDecayRate: optional(o.weightDecayRate, (w) => hyper('weightDecayRate', w, rules.nonNegative)),
      weightDecayMask: o.weightDecayMask === undefined || typeof o.weightDecayMask === 'function' ? ok(null) : problem(`weightDecayMask must be a function (name, leaf) => boolean, got ${typeof o.weightDecayMask}`),
    }),
  (lr, o) => {
    const { multiplyByParameterScale = true, clippingThreshold = 1, momentum = null, weightDecayRate = null, weightDecayMask, ...factoredOptions } = o;
    const decay: AnyTransformation[] = weightDecayRate === null ? [] : [weightDecayMask === undefined ? addDecayedWeights(weightDecayRate) : masked(weightDecayMask, addDecayedWeights(weightDecayRate))];
    return chain(
      scaleByFactoredRms(factoredOptions),
      ...(clippingThreshold === null ? [] : [clipByBlockRms(clippingThreshold)]),
      // lr·u, unflipped (optax's flip_sign=False): the sign flips once at the end, after the weight decay.
      scaleByLearningRate(lr),
      scale(-1),
      ...(multiplyByParameterScale ? [scaleByParamBlockRms()] : []),
      ...(momentum === null ? [] : [movingAverage(momentum)]),
      ...decay,
      scale(-1),
    );
  },
);

/**
 * adafactor(lr, { factored = true, decayRate = 0.8, minDimSizeToFactor = 128, clippingThreshold = 1,
 * multiplyByParameterScale = true, momentum = null, weightDecayRate = null, eps = 1e-30 }) = chain(scaleByFactoredRms,
 * clipByBlockRms, ×lr, scaleByParamBlockRms, movingAverage, addDecayedWeights, scale(−1)) (Shazeer & Stern 2018; optax.adafactor).
 */
export const adafactor = adafactorRule.make;

/** `adafactor`, returning Left(every problem) instead of throwing. */
export const safeAdafactor = adafactorRule.safe;
