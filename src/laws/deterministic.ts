import fc from 'fast-check';
import { key } from '../random.js';
import { arbParamsAndGrads, arbSeed, type ParamsAndGrads } from './arbitraries.js';
import { compareTrees } from './compare.js';
import type { StreamOptions } from './equivalent.js';
import { law, violated, type Law } from './law.js';
import { leastSquares, type Problem, type ProblemKit } from './problem.js';
import { runOptimizer, runTransform, type Run } from './run.js';
import { isOptimizer, type Subject } from './subject.js';
import { lawOptions, STREAM_KEYS } from './options.js';

/** Options of `deterministic`. */
export interface DeterministicOptions extends StreamOptions {
  /** Steps per run; default 5. */
  readonly steps?: number;
  /** For optimizers: the loss and random problems; default least squares. */
  readonly problem?: ProblemKit;
}

const compareRuns = (a: Run, b: Run, what: 'params' | 'updates'): void => {
  for (let i = 0; i < a[what].length; i++) {
    const d = compareTrees(a[what][i]!, b[what][i]!, 'bitwise');
    if (d !== null) violated(`step ${i}: two runs from the same inputs${what === 'params' ? ' and key' : ''} give different ${what}: ${d}`);
  }
  a.values.forEach((v, i) => {
    if (!Object.is(v, b.values[i])) violated(`step ${i}: two runs from the same inputs and key report different losses: ${v} vs ${b.values[i]}`);
  });
};

/**
 * deterministic(subject): running it twice from the same inputs — for an optimizer, the same params, batches and key(seed) —
 * gives bit-identical params (and losses; for a transform, updates) after every one of k steps. The same value is used for
 * both runs, so hidden mutable state in a closure is caught too.
 */
export function deterministic(subject: Subject, options: DeterministicOptions = {}): Law<[unknown]> {
  lawOptions('deterministic', options, [...STREAM_KEYS, 'steps', 'problem']);
  const steps = options.steps ?? 5;
  if (isOptimizer(subject)) {
    const { loss, problem } = options.problem ?? leastSquares();
    return law('same key ⇒ same run, bit for bit', fc.tuple(problem, arbSeed()), ([p, seed]: [Problem, number]) => {
      compareRuns(runOptimizer(subject, loss, p, key(seed), steps), runOptimizer(subject, loss, p, key(seed), steps), 'params');
    }) as Law<[unknown]>;
  }
  return law('same inputs ⇒ same updates, bit for bit', arbParamsAndGrads({ length: steps, ...options }), (input: ParamsAndGrads) => {
    const apply = options.apply ?? true;
    compareRuns(runTransform(subject, input.params, input.stream, { apply }), runTransform(subject, input.params, input.stream, { apply }), 'updates');
  }) as Law<[unknown]>;
}
