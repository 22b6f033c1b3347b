import * as tf from '@tensorflow/tfjs-core';
import { valueAt, type Hyper } from '../schedule.js';
import { map, zerosLike, zipWith, zipWith3, type Tree } from '../tree.js';
import { all, bool, checkValue, hyper, knownKeys, num, ok, problem, rules } from '../validate.js';
import { defineRule } from './defineRule.js';
import { transformation, type AnyTransformation } from './types.js';

/** Options of `prodigy` (optax's names and defaults). */
export interface ProdigyOptions {
  /** [b1, b2], the decays of the two moments; default [0.9, 0.999]. */
  readonly betas?: readonly [number, number];
  /** Decay of the distance estimate's sums; default √b2. */
  readonly beta3?: number;
  /** Added to √v, scaled by d; default 1e-8. */
  readonly eps?: number;
  /** The initial distance estimate d₀; default 1e-6. */
  readonly estimLr0?: number;
  /** Multiplies the estimate of d; default 1. */
  readonly estimLrCoef?: number;
  /** Decoupled weight decay, scaled by the step's d·lr; default 0. */
  readonly weightDecay?: number;
  /** Leave the learning rate out of the sum s (safer warmup); default false. */
  readonly safeguardWarmup?: boolean;
}

const prodigyRule = defineRule<ProdigyOptions>(
  'prodigy',
  (lr, o) =>
    all({
      options: knownKeys(o, ['betas', 'beta3', 'eps', 'estimLr0', 'estimLrCoef', 'weightDecay', 'safeguardWarmup']),
      learningRate: hyper('learningRate', lr, rules.nonNegative),
      betas: Array.isArray(o.betas ?? [0.9, 0.999]) && (o.betas ?? [0.9, 0.999]).length === 2 ? ok(o.betas) : problem('betas must be a pair [b1, b2]'),
      b1: num('betas[0]', (o.betas ?? [0.9, 0.999])[0], rules.unitOpen),
      b2: num('betas[1]', (o.betas ?? [0.9, 0.999])[1], rules.unitOpen),
      beta3: o.beta3 === undefined ? ok(null) : num('beta3', o.beta3, rules.unitOpen),
      eps: num('eps', o.eps ?? 1e-8, rules.nonNegative),
      estimLr0: num('estimLr0', o.estimLr0 ?? 1e-6, rules.positive),
      estimLrCoef: num('estimLrCoef', o.estimLrCoef ?? 1, rules.nonNegative),
      weightDecay: num('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
      safeguardWarmup: bool('safeguardWarmup', o.safeguardWarmup ?? false),
    }),
  (lr, o) => {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    const { beta3 = Math.sqrt(b2), eps = 1e-8, estimLr0 = 1e-6, estimLrCoef = 1, weightDecay = 0, safeguardWarmup = false } = o;
    return transformation(
      (params) => ({
        count: 0,
        expAvg: zerosLike(params),
        expAvgSq: zerosLike(params),
        gradSum: zerosLike(params),
        params0: map(params, (x) => x.clone()),
        estimLr: tf.scalar(estimLr0) as tf.Tensor,
        numeratorWeighted: tf.scalar(0) as tf.Tensor,
      }),
      (g, s, params) => {
        const t = s.count + 1;
        const rate = checkValue('prodigy', 'learningRate', valueAt(lr, s.count), rules.nonNegative, s.count);
        const d = s.estimLr;
        const dlr = tf.mul(d, (rate * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t)));
        const dg = map(g, (x) => tf.mul(d, x));
        const dots = Object.keys(g).map((n) => tf.sum(tf.mul(g[n] as tf.Tensor, tf.sub(s.params0[n] as tf.Tensor, params[n] as tf.Tensor))));
        const numeratorAcum = dots.length === 0 ? tf.scalar(0) : tf.addN(dots);
        const expAvg = zipWith(s.expAvg, dg, (m, x) => tf.add(tf.mul(m, b1), tf.mul(x, 1 - b1)));
        const expAvgSq = zipWith(s.expAvgSq, dg, (v, x) => tf.add(tf.mul(v, b2), tf.mul(tf.mul(x, 1 - b2), x)));
        const sumScale = tf.div(safeguardWarmup ? d : dlr, estimLr0);
        const gradSum = zipWith(s.gradSum, dg, (sk, x) => tf.add(tf.mul(sk, beta3), tf.mul(sumScale, x)));
        const numeratorWeighted = tf.add(tf.mul(s.numeratorWeighted, beta3), tf.mul(tf.mul(tf.div(d, estimLr0), dlr), numeratorAcum));
        const sums = Object.values(gradSum).map((x) => tf.sum(tf.abs(x)));
        const denominator = sums.length === 0 ? tf.scalar(0) : tf.addN(sums);
        // optax divides 0 by 0 (NaN) when every gradient so far is zero; optimix keeps d then.
        const estimate = tf.where(tf.greater(denominator, 0), tf.div(tf.mul(numeratorWeighted, estimLrCoef), denominator), tf.scalar(0));
        const estimLr = tf.maximum(d, estimate);
        const out = zipWith3(expAvg, expAvgSq, params, (m, v, w) =>
          tf.sub(tf.mul(tf.mul(w, -weightDecay), dlr), tf.div(tf.mul(dlr, m), tf.add(tf.sqrt(v), tf.mul(estimLr, eps)))),
        );
        return [out, { count: t, expAvg, expAvgSq, gradSum, params0: s.params0, estimLr, numeratorWeighted }];
      },
    );
  },
);

/**
 * prodigy(lr = 1, { betas = [0.9, 0.999], beta3 = √b2, eps = 1e-8, estimLr0 = 1e-6, estimLrCoef = 1, weightDecay = 0 }):
 * Adam whose step size d·lr learns the distance to the solution, d ← max(d, Σ β₃-weighted (d/d₀)·dlr·⟨g, w₀ − w⟩ / ‖s‖₁)
 * (Mishchenko & Defazio 2024, "Prodigy"; optax.contrib.prodigy).
 */
export const prodigy = (learningRate: Hyper = 1, options: ProdigyOptions = {}): AnyTransformation => prodigyRule.make(learningRate, options);

/** `prodigy`, returning Left(every problem) instead of throwing. */
export const safeProdigy = prodigyRule.safe;
