import * as tf from '@tensorflow/tfjs-core';
import { fold, foldName, isKey, toSeed, type Key } from '../random.js';
import { map } from '../tree.js';
import { all, knownKeys, num, ok, orThrow, problem, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** Options of `addNoise`. */
export interface AddNoiseOptions {
  /** η: the noise variance at step 1. */
  readonly eta: number;
  /** γ: the variance decays as 1/t^γ (0.55 in the paper). */
  readonly gamma: number;
  /** The key the noise is drawn from (made by `key(seed)`): step t, leaf n draws from fold(key, t) folded with n. */
  readonly key: Key;
}

/**
 * addNoise({ eta, gamma, key }): u ↦ u + N(0, η/tᵞ), t = 1, 2, … the update count (Neelakantan et al. 2015; optax.add_noise).
 * Deterministic: transforms get no key from `step`, so the noise comes from the key given here and the count in the state;
 * the same key gives the same noise in any interpreter (not optax's numbers: JAX's generator differs).
 */
export const addNoise = defineTransform('addNoise', function addNoise(options: AddNoiseOptions): GradientTransformation<{
  /** Updates so far. */
  readonly count: number;
}> {
  const { eta, gamma, key } = options;
  orThrow(
    all({
      options: knownKeys(options, ['eta', 'gamma', 'key']),
      eta: num('eta', eta, rules.nonNegative),
      gamma: num('gamma', gamma, rules.nonNegative),
      key: isKey(key) ? ok(key) : problem(`key must be made by key(seed), got ${JSON.stringify(key)}`),
    }),
    'addNoise',
  );
  return transformation(
    () => ({ count: 0 }),
    (u, { count }) => {
      const t = count + 1;
      const std = Math.sqrt(eta / Math.pow(t, gamma));
      const k = fold(key, count);
      return [map(u, (x, n) => tf.add(x, tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', toSeed(foldName(k, n))), std))), { count: t }];
    },
  );
});
