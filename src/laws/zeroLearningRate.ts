import fc from 'fast-check';
import { optimizer } from '../optimizer.js';
import { key } from '../random.js';
import { cleanGrad } from '../source/constructors.js';
import type { GradientSource } from '../source/types.js';
import type { AnyTransformation } from '../transform/types.js';
import { arbSeed } from './arbitraries.js';
import { compareTrees } from './compare.js';
import { law, violated, type Law } from './law.js';
import { leastSquares, type Problem, type ProblemKit } from './problem.js';
import { runOptimizer } from './run.js';
import { snapshot } from './treeDesc.js';
import { lawOptions } from './options.js';

/** Options of `zeroLearningRateIsIdentity`. */
export interface ZeroLearningRateOptions {
  /** Steps; default 5. */
  readonly steps?: number;
  /** The gradient source; default cleanGrad. */
  readonly source?: GradientSource;
  /** The loss and random problems; default least squares. */
  readonly problem?: ProblemKit;
}

/**
 * zeroLearningRateIsIdentity(lr => rule): with learning rate 0 every `step` leaves the params exactly as they were
 * ('exact': w + (−0·u) may turn −0 into +0, nothing else) — no decay, momentum or bias correction leaks past lr.
 */
export function zeroLearningRateIsIdentity(factory: (learningRate: number) => AnyTransformation, options: ZeroLearningRateOptions = {}): Law<[[Problem, number]]> {
  lawOptions('zeroLearningRateIsIdentity', options, ['steps', 'source', 'problem']);
  const { loss, problem } = options.problem ?? leastSquares();
  const steps = options.steps ?? 5;
  const opt = optimizer(options.source ?? cleanGrad, factory(0));
  return law('learning rate 0 leaves params unchanged', fc.tuple(problem, arbSeed()), ([p, seed]) => {
    runOptimizer(opt, loss, p, key(seed), steps, {
      record: false,
      around: (i, _inputs, run) => {
        const r = run();
        const d = compareTrees(snapshot(r.params), p.params, 'exact');
        if (d !== null) violated(`after step ${i + 1} the params moved: ${d}`);
        return r;
      },
    });
  });
}
