import * as tf from '@tensorflow/tfjs-core';
import { BatchError, HyperparameterError } from './errors.js';
import type { Batch, LossFn } from './model.js';
import { checkOptimizer, type Optimizer, type OptimizerState, type StepResult } from './optimizer.js';
import { cpuCount } from '#host/runtime';
import { sequential, type Interpreter } from './interpret/interpreter.js';
import { parallel, type ParallelOptions } from './interpret/parallel.js';
import { key as rootKey, type Key } from './random.js';
import { checkReady } from './readiness.js';
import { checkBatch } from './structure.js';
import { disposeReplaced, disposeTree, map, type Tree } from './tree.js';
import { checkKeys } from './validate.js';

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
   * Evaluate in parallel with this many worker threads besides this one ('auto' = os.availableParallelism() − 1, in a page navigator.hardwareConcurrency − 1, at
   * least 1): train makes the `parallel` interpreter and closes it. The loss must be one workers can rebuild — a zoo
   * model, a `fromModel` adapter, a `lossFrom` loss. Needs a free core per worker to pay off.
   */
  readonly workers?: number | 'auto';
  /** With `workers`: the parallel interpreter's `stepTimeout`, `startTimeout`, `shards`, `spin`, and in a page `workerScript` and `wasmPaths` (see `parallel`). */
  readonly parallel?: Pick<ParallelOptions, 'stepTimeout' | 'startTimeout' | 'shards' | 'spin' | 'workerScript' | 'wasmPaths'>;
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

/** workerCount(w): the number of worker threads `workers` asks for ('auto' = os.availableParallelism() − 1, in a page navigator.hardwareConcurrency − 1; at least 1). */
export function workerCount(w: number | 'auto'): number {
  if (w === 'auto') return Math.max(1, cpuCount() - 1);
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`train: workers must be an integer ≥ 1 or 'auto', got ${String(w)}`);
  return w;
}

/**
 * train(opt, loss, params, data, { epochs = 1, key = key(0), state, interpreter = sequential, workers, parallel, onStep,
 * onEpoch }): run `step` over the data for some epochs. `loss` is a loss function or a model with a `loss` (a zoo model,
 * a fromModel adapter). The params you pass stay yours (never disposed); every intermediate params/state tree is
 * disposed when replaced, and on failure; the result is new tensors (a copy when no step ran). With `workers`, steps
 * run on `parallel` worker threads, which train starts and closes.
 */
export async function train(opt: Optimizer, model: LossFn | { readonly loss: LossFn }, params: Tree, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  checkReady('train');
  checkOptimizer('train', opt);
  checkKeys('train', options, ['epochs', 'key', 'state', 'interpreter', 'workers', 'parallel', 'onStep', 'onEpoch']);
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`train: epochs must be an integer ≥ 0, got ${String(epochs)}`);
  checkData(data);
  const loss: unknown = typeof model === 'object' && model !== null ? (model as { loss?: unknown }).loss : model;
  checkCallables(loss, options);
  if (options.workers === undefined) return run(opt, loss as LossFn, params, data, options, epochs, options.interpreter ?? sequential);
  if (options.interpreter !== undefined) throw new RangeError('train: give either workers or interpreter, not both');
  const interpreter = parallel({ ...options.parallel, workers: workerCount(options.workers), model });
  try {
    return await run(opt, loss as LossFn, params, data, options, epochs, interpreter);
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
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const owned = typeof data === 'function';
      const epochData = owned ? data(epoch) : data;
      if (owned) checkData(epochData, `data(${epoch})`);
      for (const batch of epochData) {
        let r: StepResult;
        try {
          checkBatch('train', batch);
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
  } catch (e) {
    // What train made is train's to free: the params and state it holds (never the caller's params or given state).
    const callers = [params, options.state];
    if (current !== params) disposeReplaced(current, callers);
    if (state !== options.state) disposeReplaced(state, callers);
    throw e;
  }
  // The result is always yours: with no step taken (epochs 0, no batches) it is a copy of the params you passed.
  if (current === params) current = map(params, (x) => tf.clone(x));
  return { params: current, state, losses, gradEvals };
}

/** checkCallables(loss, options): the loss, the interpreter and the callbacks are what train calls them as. */
function checkCallables(loss: unknown, o: TrainOptions): void {
  const problems: string[] = [];
  const fn = (name: string, x: unknown): void => {
    if (x !== undefined && typeof x !== 'function') problems.push(`${name} must be a function, got ${typeof x === 'string' ? JSON.stringify(x) : typeof x}`);
  };
  if (typeof loss !== 'function') problems.push(`loss must be a function (params, batch) => scalar tensor or a model with a loss, got ${typeof loss === 'string' ? JSON.stringify(loss) : typeof loss}`);
  if (o.interpreter !== undefined && typeof (o.interpreter as { step?: unknown } | null)?.step !== 'function') problems.push(`interpreter must be sequential or parallel({ … }) (an object with a step function), got ${JSON.stringify(o.interpreter)}`);
  fn('onStep', o.onStep);
  fn('onEpoch', o.onEpoch);
  if (problems.length > 0) throw new HyperparameterError('train', problems, 'arguments');
}

/** checkData(data): an iterable of batches or a function of the epoch — not one batch on its own. */
function checkData(data: unknown, what = 'data'): void {
  if (typeof data === 'function') return;
  if (typeof data === 'object' && data !== null && typeof (data as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return;
  if (data instanceof tf.Tensor) throw new BatchError('train', [`${what} must be an iterable of batches or a function epoch => batches, got a tensor; a batch is a named tree such as [{ x, y }]`]);
  const one = typeof data === 'object' && data !== null && Object.values(data).some((v) => v instanceof tf.Tensor);
  throw new BatchError('train', [
    one
      ? `${what} must be an iterable of batches or a function epoch => batches, got a single batch; wrap it in an array: [batch]`
      : `${what} must be an iterable of batches or a function epoch => batches, got ${String(data)}`,
  ]);
}
