import fc from 'fast-check';
import { key } from '../random.js';
import { arbParamsAndGrads, arbSeed, type ParamsAndGrads } from './arbitraries.js';
import type { StreamOptions } from './equivalent.js';
import { law, violated, type Law } from './law.js';
import { leastSquares, type Problem, type ProblemKit } from './problem.js';
import { runOptimizer, runTransform } from './run.js';
import { isOptimizer, type Subject } from './subject.js';
import { lawOptions } from './options.js';

/** Options of `noLeak`. */
export interface NoLeakOptions extends Omit<StreamOptions, 'length' | 'apply'> {
  /** Compare the count after this step (1-based) with the count after the last; default 1. */
  readonly warmup?: number;
  /** For optimizers: the loss and random problems; default least squares. */
  readonly problem?: ProblemKit;
}

/**
 * noLeak(subject, steps = 50): tf.memory().numTensors after step `steps` equals that after step 1, with every replaced
 * params/state tree disposed (the ownership rule) — for an optimizer via `step`, for a transform via `update`. Pass a
 * factory `() => subject` to build a fresh one per run.
 */
export function noLeak(subject: Subject | (() => Subject), steps = 50, options: NoLeakOptions = {}): Law<[unknown]> {
  lawOptions('noLeak', options, ['tree', 'grads', 'stream', 'warmup', 'problem']);
  const make = typeof subject === 'function' ? subject : () => subject;
  const warmup = options.warmup ?? 1;
  if (!Number.isInteger(steps) || steps <= warmup) throw new RangeError(`noLeak: steps must be an integer > warmup (${warmup}), got ${steps}`);
  const report = (counts: readonly number[]): void => {
    const first = counts[warmup - 1]!;
    const last = counts[steps - 1]!;
    if (last !== first) {
      const perStep = (last - first) / (steps - warmup);
      violated(`tf.memory().numTensors is ${first} after step ${warmup} but ${last} after step ${steps} (${perStep > 0 ? '+' : ''}${perStep.toFixed(2)} per step); counts: ${counts.join(', ')}`);
    }
  };
  if (isOptimizer(make())) {
    const { loss, problem } = options.problem ?? leastSquares();
    return law('no tensor leak', fc.tuple(problem, arbSeed()), ([p, seed]: [Problem, number]) => {
      const opt = make();
      if (!isOptimizer(opt)) throw new TypeError('noLeak: the factory returned a transform after an optimizer');
      report(runOptimizer(opt, loss, p, key(seed), steps, { record: false }).numTensors);
    }) as Law<[unknown]>;
  }
  return law('no tensor leak', arbParamsAndGrads({ ...options, length: Math.min(steps, 5) }), (input: ParamsAndGrads) => {
    const t = make();
    if (isOptimizer(t)) throw new TypeError('noLeak: the factory returned an optimizer after a transform');
    report(runTransform(t, input.params, input.stream, { steps, record: false }).numTensors);
  }) as Law<[unknown]>;
}
