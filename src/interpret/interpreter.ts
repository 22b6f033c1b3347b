import type { Batch, LossFn } from '../model.js';
import { step, type Optimizer, type OptimizerState, type StepResult } from '../optimizer.js';
import type { Tree } from '../tree.js';

/** An interpreter decides how a step's gradient source is evaluated: in this thread, or across workers. */
export interface Interpreter {
  /** A name for messages and benchmarks, e.g. `'sequential'`, `'parallel'`. */
  readonly name: string;
  /** step(opt, loss, params, batch, state): the same contract and the same numbers as the library's `step`, evaluated this interpreter's way. */
  readonly step: (opt: Optimizer, loss: LossFn, params: Tree, batch: Batch, state: OptimizerState) => StepResult | Promise<StepResult>;
  /** Release resources (worker threads); a no-op for `sequential`. */
  readonly close?: () => Promise<void>;
}

/** sequential: every gradient evaluated one after the other in this thread (the default). */
export const sequential: Interpreter = Object.freeze({ name: 'sequential', step });
