import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { step, type Optimizer, type OptimizerState, type StepResult } from '../optimizer.js';
import type { Key } from '../random.js';
import { structureProblems } from '../structure.js';
import type { AnyTransformation, State } from '../transform/types.js';
import { disposeReplaced, disposeTree, type Tree } from '../tree.js';
import { violated } from './law.js';
import { materializeBatches, type Problem } from './problem.js';
import { materialize, snapshot, type TreeDesc } from './treeDesc.js';

/** Options of `runTransform`. */
export interface TransformRunOptions {
  /** Add each step's updates to the params (w ← w + u), as `step` does; default true. With false the params stay put. */
  readonly apply?: boolean;
  /** How many steps; default the stream's length (a shorter stream is cycled). */
  readonly steps?: number;
  /** Snapshot updates and params after every step; default true. */
  readonly record?: boolean;
  /** Called with the state after every step (e.g. to read a skip counter). */
  readonly probe?: (state: State, step: number) => void;
  /** Wraps every `update` call (to inspect its inputs before and after). */
  readonly around?: (step: number, inputs: { readonly grads: Tree; readonly state: State; readonly params: Tree }, update: () => readonly [Tree, State]) => readonly [Tree, State];
}

/** What `runTransform` and `runOptimizer` observed: per step, the updates (transforms only), the params after the step, the loss, and the live tensor count. */
export interface Run {
  /** The updates of each step (runTransform with `record`; empty for runOptimizer). */
  readonly updates: TreeDesc[];
  /** The params after each step (with `record`). */
  readonly params: TreeDesc[];
  /** The loss of each step (runOptimizer; empty for runTransform). */
  readonly values: number[];
  /** `tf.memory().numTensors` after each step, replaced trees disposed. */
  readonly numTensors: number[];
}

/** calling(what, i, f): run f; if it throws a plain error, rethrow it as a LawViolation naming the call and step, with a hint for tfjs's disposed-tensor error. */
function calling<R>(what: string, i: number, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof Error) || e.name === 'LawViolation') throw e;
    const disposed = /reading 'backend'|disposed/i.test(e.message);
    violated(
      `step ${i}: ${what} threw ${e.name}: ${e.message}` +
        (disposed ? ' (tfjs says this when an op is given a disposed tensor: does the rule keep tensors outside its state, or dispose what it was given?)' : ''),
    );
  }
}

function checkUpdates(u: unknown, params: Tree, i: number): asserts u is Tree {
  const problems = structureProblems(params, u, 'updates');
  if (problems.length > 0) violated(`step ${i}: the updates do not match the params: ${problems.join('; ')}`);
}

/**
 * runTransform(t, params, stream, options): run a transformation over a gradient stream the way `step` would — fresh
 * init, then for each gradient `[u, s] = t.update(g, s, w)` and w ← w + u — owning and disposing every tree it replaces
 * (so the tensor count after a step is exactly params + state + whatever the rule leaked).
 */
export function runTransform(t: AnyTransformation, params0: TreeDesc, stream: readonly TreeDesc[], options: TransformRunOptions = {}): Run {
  const { apply = true, record = true } = options;
  const steps = options.steps ?? stream.length;
  if (steps > 0 && stream.length === 0) throw new RangeError('runTransform: the gradient stream is empty');
  const out: Run = { updates: [], params: [], values: [], numTensors: [] };
  let params = materialize(params0);
  let state: State = t.init(params) as State;
  try {
    for (let i = 0; i < steps; i++) {
      const grads = materialize(stream[i % stream.length]!);
      const inputs = { grads, state, params };
      const call = (): readonly [Tree, State] => t.update(grads, state, params) as readonly [Tree, State];
      const [u, s] = calling('update', i, () => (options.around ? options.around(i, inputs, call) : call()));
      checkUpdates(u, params, i);
      if (record) out.updates.push(snapshot(u));
      const next = apply ? tf.tidy(() => Object.fromEntries(Object.entries(params).map(([n, w]) => [n, tf.add(w, u[n]!)]))) : params;
      disposeReplaced([grads, u, state, params], [s, next]);
      params = next;
      state = s;
      if (record) out.params.push(snapshot(params));
      options.probe?.(state, i);
      out.numTensors.push(tf.memory().numTensors);
    }
  } finally {
    disposeTree([params, state]);
  }
  return out;
}

/** Options of `runOptimizer`. */
export interface OptimizerRunOptions {
  /** Snapshot the params after every step; default true. */
  readonly record?: boolean;
  /** Called with the state after every step. */
  readonly probe?: (state: OptimizerState, step: number) => void;
  /** Wraps every `step` call (to inspect its inputs before and after). */
  readonly around?: (i: number, inputs: { readonly params: Tree; readonly batch: Batch; readonly state: OptimizerState }, run: () => StepResult) => StepResult;
}

/**
 * runOptimizer(opt, loss, problem, key, steps, options): `steps` calls of `step` from `opt.init(params, key)`, cycling
 * through the problem's batches, with `train`'s ownership rule (each replaced params/state tree disposed).
 */
export function runOptimizer(opt: Optimizer, loss: LossFn, problem: Problem, k: Key, steps: number, options: OptimizerRunOptions = {}): Run {
  const { record = true } = options;
  const out: Run = { updates: [], params: [], values: [], numTensors: [] };
  const batches = materializeBatches(problem);
  let params = materialize(problem.params);
  let state: OptimizerState | undefined;
  try {
    state = opt.init(params, k);
    for (let i = 0; i < steps; i++) {
      const batch: Batch = batches.length === 0 ? {} : batches[i % batches.length]!;
      const inputs: { readonly params: Tree; readonly batch: Batch; readonly state: OptimizerState } = { params, batch, state };
      const call = (): StepResult => step(opt, loss, inputs.params, batch, inputs.state);
      const r: StepResult = calling('step', i, () => (options.around ? options.around(i, inputs, call) : call()));
      disposeReplaced([params, state], [r.params, r.state, batches]);
      params = r.params;
      state = r.state;
      if (record) out.params.push(snapshot(params));
      out.values.push(r.value);
      options.probe?.(state, i);
      out.numTensors.push(tf.memory().numTensors);
    }
  } finally {
    disposeTree([params, state, batches]);
  }
  return out;
}
