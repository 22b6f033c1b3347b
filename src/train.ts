import type { Batch, LossFn } from './model.js';
import type { Optimizer, OptimizerState, StepResult } from './optimizer.js';
import { availableParallelism } from 'node:os';
import { sequential, type Interpreter } from './interpret/interpreter.js';
import { parallel, type ParallelOptions } from './interpret/parallel.js';
import { key as rootKey, type Key } from './random.js';
import { disposeReplaced, disposeTree, type Tree } from './tree.js';

/** Training data: an iterable of batches reused every epoch (borrowed: never disposed), or a function giving each epoch's batches (owned: each batch is disposed after its step). */
export type TrainData = Iterable<Batch> | ((epoch: number) => Iterable<Batch>);

/** What `train` reports after every step. */
export interface StepInfo {
  /** The epoch, from 0. */
  readonly epoch: number;
  /** The step, from 0, counted over all epochs of this call. */
  readonly step: number;
  /** The step's loss (see `StepResult.value`). */
  readonly value: number;
  /** Gradient evaluations the step took. */
  readonly gradEvals: number;
  /** Examples in the batch (the first batch leaf's leading dimension). */
  readonly batchSize: number;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Passes over the data; default 1. */
  readonly epochs?: number;
  /** The random key when no state is given; default key(0). */
  readonly key?: Key;
  /** Resume from this state (it is taken over: train disposes it when replaced). */
  readonly state?: OptimizerState;
  /** How gradients are evaluated; default `sequential` (or `parallel` when `workers` is given). */
  readonly interpreter?: Interpreter;
  /**
   * Evaluate in parallel with this many worker threads besides this one ('auto' = os.availableParallelism() − 1, at
   * least 1): train makes the `parallel` interpreter and closes it. The loss must be one workers can rebuild — a zoo
   * model, a `fromModel` adapter, a `lossFrom` loss. Needs a free core per worker to pay off.
   */
  readonly workers?: number | 'auto';
  /** With `workers`: the parallel interpreter's `stepTimeout`, `startTimeout` and `shards` (see `parallel`). */
  readonly parallel?: Pick<ParallelOptions, 'stepTimeout' | 'startTimeout' | 'shards' | 'spin'>;
  /** Called after every step. */
  readonly onStep?: (info: StepInfo) => void;
  /** Called after every epoch with the current params (borrowed: do not dispose them). */
  readonly onEpoch?: (epoch: number, params: Tree, state: OptimizerState) => void | Promise<void>;
}

/** The result of `train`: final params and state (yours to dispose), and the loss of every step. */
export interface TrainResult {
  /** The final parameters (yours to dispose). */
  readonly params: Tree;
  /** The final optimizer state (yours to dispose; pass it as `state` to resume). */
  readonly state: OptimizerState;
  /** The loss of every step, in order. */
  readonly losses: readonly number[];
  /** Gradient evaluations over the whole run. */
  readonly gradEvals: number;
}

/** workerCount(w): the number of worker threads `workers` asks for ('auto' = os.availableParallelism() − 1, at least 1). */
export function workerCount(w: number | 'auto'): number {
  if (w === 'auto') return Math.max(1, availableParallelism() - 1);
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`train: workers must be an integer ≥ 1 or 'auto', got ${String(w)}`);
  return w;
}

/**
 * train(opt, loss, params, data, options): run `step` over the data for some epochs. `loss` is a loss function or a
 * model with a `loss` (a zoo model, a fromModel adapter). The params you pass stay yours (never disposed); every
 * intermediate params/state tree is disposed when replaced. With `workers`, steps run on `parallel` worker threads.
 */
export async function train(opt: Optimizer, model: LossFn | { readonly loss: LossFn }, params: Tree, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`train: epochs must be an integer ≥ 0, got ${String(epochs)}`);
  const loss = typeof model === 'function' ? model : model.loss;
  if (typeof loss !== 'function') throw new TypeError('train: loss must be a loss function or a model with a loss');
  if (options.workers === undefined) return run(opt, loss, params, data, options, epochs, options.interpreter ?? sequential);
  if (options.interpreter !== undefined) throw new RangeError('train: give either workers or interpreter, not both');
  const interpreter = parallel({ ...options.parallel, workers: workerCount(options.workers), model });
  try {
    return await run(opt, loss, params, data, options, epochs, interpreter);
  } finally {
    await interpreter.close();
  }
}

async function run(opt: Optimizer, loss: LossFn, params: Tree, data: TrainData, options: TrainOptions, epochs: number, interpreter: Interpreter): Promise<TrainResult> {
  let state = options.state ?? opt.init(params, options.key ?? rootKey(0));
  let current = params;
  const losses: number[] = [];
  let gradEvals = 0;
  let n = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const owned = typeof data === 'function';
    for (const batch of owned ? data(epoch) : data) {
      let r: StepResult;
      try {
        r = await interpreter.step(opt, loss, current, batch, state);
      } finally {
        if (owned) disposeTree(batch);
      }
      if (current !== params) disposeReplaced(current, [r.params, r.state]);
      disposeReplaced(state, [r.state, r.params]);
      current = r.params;
      state = r.state;
      losses.push(r.value);
      gradEvals += r.gradEvals;
      options.onStep?.({ epoch, step: n++, value: r.value, gradEvals: r.gradEvals, batchSize: Object.values(batch)[0]?.shape[0] ?? 0 });
    }
    await options.onEpoch?.(epoch, current, state);
  }
  return { params: current, state, losses, gradEvals };
}
