import { isKey, key as rootKey, type Key } from '../random.js';
import type { Hyper } from '../schedule.js';
import { all, hyper, knownKeys, num, ok, problem, rules } from '../validate.js';
import { addNoise } from './addNoise.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { scaleByLearningRate } from './scale.js';

/** Options of `noisySgd`; defaults eta = 0.01, gamma = 0.55, key = key(0) (optax's eta, gamma and seed = 0). */
export interface NoisySgdOptions {
  /** η: the noise variance at step 1; default 0.01. */
  readonly eta?: number;
  /** γ: the variance decays as 1/tᵞ; default 0.55 (the paper's). */
  readonly gamma?: number;
  /** The key the noise is drawn from; default key(0). */
  readonly key?: Key;
}

const noisySgdRule = defineRule<NoisySgdOptions>(
  'noisySgd',
  (lr, o) =>
    all({
      options: knownKeys(o, ['eta', 'gamma', 'key']),
      learningRate: hyper('learningRate', lr, rules.nonNegative),
      eta: num('eta', o.eta ?? 0.01, rules.nonNegative),
      gamma: num('gamma', o.gamma ?? 0.55, rules.nonNegative),
      key: o.key === undefined || isKey(o.key) ? ok(null) : problem(`key must be made by key(seed), got ${JSON.stringify(o.key)}`),
    }),
  (lr, o) => chain(addNoise({ eta: o.eta ?? 0.01, gamma: o.gamma ?? 0.55, key: o.key ?? rootKey(0) }), scaleByLearningRate(lr)),
);
/**
 * noisySgd(lr, { eta = 0.01, gamma = 0.55, key = key(0) }) = chain(addNoise({ η, γ, key }), scaleByLearningRate):
 * w ← w − lr·(g + n), n ~ N(0, η/tᵞ) (Neelakantan et al. 2015, "Adding gradient noise improves learning"; optax.noisy_sgd).
 * Same key ⇒ same noise; not optax's numbers, whose noise comes from JAX's generator.
 */
export const noisySgd = noisySgdRule.make;
/** `noisySgd`, returning Left(every problem) instead of throwing. */
export const safeNoisySgd = noisySgdRule.safe;
