import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, StateError } from './errors.js';
import { combine, evaluate, type Evaluation, type SourceState } from './interpret/evaluate.js';
import type { Batch, LossFn } from './model.js';
import { fold, isKey, key as rootKey, type Key } from './random.js';
import type { ResolvedSource } from './source/resolved.js';
import { isNode } from './source/registries.js';
import { resolve, statefulPaths } from './source/resolve.js';
import { sourceDef } from './source/walk.js';
import type { GradientSource } from './source/types.js';
import { checkBatch, checkParams, checkStructure, structureProblems } from './structure.js';
import { checkReady } from './readiness.js';
import { checkKeys } from './validate.js';
import type { AnyTransformation, State } from './transform/types.js';
import { shapeDifferences, stateShape } from './stateShape.js';
import { disposeTree, map, zerosLike, type Tree } from './tree.js';

/** The state of an optimizer: step count, random key, the transform's state and the source's state. Plain data. */
export interface OptimizerState {
  /** Steps taken so far. */
  readonly count: number;
  /** The root random key; step t draws its noise from `fold(key, t)`. */
  readonly key: Key;
  /** The transform's state (momenta, moments, counters). */
  readonly transform: State;
  /** The source's state, by node path (ARWP's F); empty for stateless sources. */
  readonly source: SourceState;
}

/** An optimizer: where gradients come from (a source) and what to do with them (a transform). */
export interface Optimizer {
  /** Where gradients come from: data, printed by `describe`. */
  readonly source: GradientSource;
  /** What to do with them: the update rule. */
  readonly transform: AnyTransformation;
  /** init(params, key = key(0)): the initial state. */
  readonly init: (params: Tree, k?: Key) => OptimizerState;
}

/** What one step returns: new parameters and state (new tensors; the inputs are untouched), and the loss. */
export interface StepResult {
  /** The new parameters (new tensors, yours). */
  readonly params: Tree;
  /** The new state (yours). */
  readonly state: OptimizerState;
  /** The loss: L(w; B) when the source evaluates the clean point, else the loss at the perturbed point (see `valueAt`). */
  readonly value: number;
  /** Where `value` was taken: at the weights w, or at a perturbed point w + ε (ARWP alone). */
  readonly valueAt: 'w' | 'w+ε';
  /** Forward+backward passes this step took (SGD 1, RWP 2, SAM 2). */
  readonly gradEvals: number;
}

/** optimizer(source, transform): an optimizer value. E.g. optimizer(cleanGrad, sgd(0.1)) is SGD; optimizer(rwp(), sgd(0.1)) is RWP. */
export function optimizer(source: GradientSource, transform: AnyTransformation): Optimizer {
  if (typeof transform?.init !== 'function' || typeof transform?.update !== 'function') {
    throw new TypeError('optimizer(source, transform): transform must be a gradient transformation { init, update }');
  }
  if (!isNode(source)) throw new TypeError(`optimizer(source, transform): source must be a gradient source (cleanGrad, sam(), rwp(), …), got ${JSON.stringify(source)}`);
  sourceDef(source, 'optimizer(source, transform)'); // an UnknownKindError naming the kind and the known ones
  resolve(source, 0, {}); // validates the source's structure (masks are checked per call)
  return Object.freeze({
    source,
    transform,
    init: (params: Tree, k: Key = rootKey(0)): OptimizerState => {
      checkParams('init', params);
      if (!isKey(k)) throw new TypeError(`init(params, key): key must be made by key(seed), got ${JSON.stringify(k)}`);
      const src: Record<string, Tree> = {};
      for (const path of statefulPaths(source)) src[path] = zerosLike(params);
      return { count: 0, key: k, transform: transform.init(params), source: src };
    },
  });
}

/** The transform-state shape each optimizer expects, per parameter signature (computed once from `init`). */
const expectedShapes = new WeakMap<Optimizer, Map<string, Map<string, string>>>();

function expectedTransformShape(opt: Optimizer, params: Tree): Map<string, string> {
  const signature = Object.entries(params).map(([n, t]) => `${n}:${t.shape.join(',')}`).join(';');
  const byParams = expectedShapes.get(opt) ?? new Map<string, Map<string, string>>();
  expectedShapes.set(opt, byParams);
  let shape = byParams.get(signature);
  if (shape === undefined) {
    const fresh = opt.transform.init(params);
    shape = stateShape(fresh);
    disposeTree(fresh);
    byParams.set(signature, shape);
  }
  return shape;
}

/** checkState(where, opt, state, params): the state is a state of this optimizer for these params (structure, not values), checked before any gradient. */
function checkState(where: string, opt: Optimizer, state: OptimizerState, params: Tree): void {
  if (typeof state !== 'object' || state === null || !Number.isInteger(state.count) || !isKey(state.key)) {
    throw new StateError(where, [`state must come from opt.init(params, key) or a previous step, got ${state === null || typeof state !== 'object' ? String(state) : 'an object without count and key'}`]);
  }
  const problems: string[] = [];
  for (const path of statefulPaths(opt.source)) problems.push(...structureProblems(params, state.source?.[path], `state.source['${path}']`));
  problems.push(...shapeDifferences(expectedTransformShape(opt, params), stateShape(state.transform), 'state.transform', Object.keys(params)));
  if (problems.length > 0) throw new StateError(where, problems);
}

/**
 * checkOptimizer(where, opt): opt is an Optimizer (a source and an update rule). A bare update rule (`sgd(0.1)`, as one
 * would pass optax's) or anything else gets a TypeError saying how to make one.
 */
export function checkOptimizer(where: string, opt: unknown): asserts opt is Optimizer {
  const o = opt as Partial<Optimizer> & { readonly update?: unknown } | null;
  if (typeof o === 'object' && o !== null && typeof o.init === 'function' && typeof o.source === 'object' && o.source !== null && typeof o.transform === 'object') return;
  if (typeof o === 'object' && o !== null && typeof o.update === 'function') {
    throw new TypeError(`${where}: opt is an update rule (a gradient transformation such as sgd(0.1)), not an Optimizer; pair it with a gradient source: optimizer(cleanGrad, rule) for plain gradients, optimizer(rwp(), rule) or optimizer(sam(), rule) for the flat-minimum methods`);
  }
  throw new TypeError(`${where}: opt must be an Optimizer made by optimizer(source, rule), got ${o === null ? 'null' : typeof o}`);
}

/** prepare(opt, params, state): the resolved source and the step's key (shared by every interpreter). */
export function prepare(where: string, opt: Optimizer, params: Tree, state: OptimizerState, batch?: Batch): { readonly resolved: ResolvedSource; readonly stepKey: Key } {
  checkReady(where);
  checkOptimizer(where, opt);
  checkParams(where, params);
  if (batch !== undefined) checkBatch(where, batch);
  checkState(where, opt, state, params);
  return { resolved: resolve(opt.source, state.count, params), stepKey: fold(state.key, state.count) };
}

/**
 * finish(opt, params, state, evaluation): check the gradient, run the transform, add the updates: w ← w + u.
 * Call inside tf.tidy. One host read per step (the loss and the finiteness flags together).
 */
export function finish(where: string, opt: Optimizer, params: Tree, state: OptimizerState, ev: Evaluation): StepResult {
  const names = Object.keys(params);
  // One reduction per leaf: a finite sum means every element is finite (NaN and ±∞ propagate through sums); only
  // when a sum is not finite (a bad element, or finite elements whose sum overflows) does the exact check run.
  const sums = tf.stack([ev.loss, ...names.map((n) => tf.sum(ev.grads[n] as tf.Tensor))]).dataSync();
  if (opt.transform.handlesNonFinite !== true && names.some((_, i) => !Number.isFinite(sums[i + 1]))) {
    const bad = names.filter((n) => tf.tidy(() => tf.all(tf.isFinite(ev.grads[n] as tf.Tensor)).dataSync()[0] !== 1));
    if (bad.length > 0) {
      throw new NonFiniteError(`${where}: the gradient has NaN or Inf in ${bad.map((n) => `'${n}'`).join(', ')} at step ${state.count}; wrap the transform in applyIfFinite(…) to skip such steps`);
    }
  }
  let grads = ev.grads;
  if (!Number.isFinite(sums[0])) {
    if (opt.transform.handlesNonFinite !== true) {
      throw new NonFiniteError(`${where}: the loss is ${String(sums[0])} at step ${state.count} (the gradient is finite); wrap the transform in applyIfFinite(…) to skip such steps`);
    }
    // A non-finite loss with a finite gradient still marks the step non-finite, so that applyIfFinite skips it; a
    // gradient that already holds NaN/Inf reaches the transform as it is (zeroNans keeps its finite entries).
    if (names.every((_, i) => Number.isFinite(sums[i + 1]))) grads = map(grads, (g) => tf.fill(g.shape, Number.NaN));
  }
  const [updates, transformState] = opt.transform.update(grads, state.transform, params);
  checkStructure(where, params, updates, 'the transform\'s updates');
  const next: Record<string, tf.Tensor> = {};
  for (const n of names) next[n] = tf.add(params[n] as tf.Tensor, updates[n] as tf.Tensor);
  return {
    params: next,
    state: { count: state.count + 1, key: state.key, transform: transformState, source: { ...state.source, ...ev.state } },
    value: sums[0] as number,
    valueAt: ev.at,
    gradEvals: ev.gradEvals,
  };
}

/**
 * step(opt, loss, params, batch, state): one optimizer step in this thread — evaluate the source's gradient,
 * transform it, update. Returns new params and state; never mutates or disposes its inputs; same inputs ⇒ same outputs.
 */
export function step(opt: Optimizer, loss: LossFn, params: Tree, batch: Batch, state: OptimizerState): StepResult {
  if (typeof loss !== 'function') throw new TypeError(`step: loss must be a function (params, batch) => scalar tensor, got ${typeof loss}`);
  const { resolved, stepKey } = prepare('step', opt, params, state, batch);
  return keepResult(() => finish('step', opt, params, state, evaluate(resolved, params, batch, { loss, stepKey, state: state.source })));
}

/** keepResult(f): run f in tf.tidy, keeping the tensors of its StepResult and freeing every other tensor it made. */
export function keepResult(f: () => StepResult): StepResult {
  return tf.tidy(() => f() as unknown as tf.TensorContainer) as unknown as StepResult;
}

/**
 * applyGradients(opt, grads, state, params): the transform half of a step, for gradients computed elsewhere
 * (checked against params: names and shapes). Returns new params and state.
 */
export function applyGradients(opt: Optimizer, grads: Tree, state: OptimizerState, params: Tree): {
  /** The new parameters (yours). */
  readonly params: Tree;
  /** The new state (yours). */
  readonly state: OptimizerState;
} {
  checkParams('applyGradients', params);
  checkStructure('applyGradients', params, grads, 'grads');
  checkState('applyGradients', opt, state, params);
  const r = keepResult(() => finish('applyGradients', opt, params, state, { grads, loss: tf.scalar(0), at: 'w', state: {}, gradEvals: 0 }));
  return { params: r.params, state: r.state };
}

/**
 * gradientOf(source, loss, params, batch, { key = key(0), step = 0 }): the gradient a source gives at one step, and
 * its loss — what an optimizer built on the source would be fed. Fresh source state (ARWP's F = 0) unless given.
 */
export function gradientOf(
  source: GradientSource,
  loss: LossFn,
  params: Tree,
  batch: Batch,
  options: { readonly key?: Key; readonly step?: number; readonly state?: SourceState } = {},
): {
  /** The gradient the source gives, named like params (yours). */
  readonly grads: Tree;
  /** The loss. */
  readonly value: number;
  /** Where the loss was taken. */
  readonly valueAt: 'w' | 'w+ε';
} {
  checkReady('gradientOf');
  checkKeys('gradientOf', options, ['key', 'step', 'state']);
  checkParams('gradientOf', params);
  checkBatch('gradientOf', batch);
  const t = options.step ?? 0;
  const k = options.key ?? rootKey(0);
  const resolved = resolve(source, t, params);
  return tf.tidy(() => {
    const fresh: Record<string, Tree> = {};
    for (const path of statefulPaths(source)) fresh[path] = options.state?.[path] ?? zerosLike(params);
    const ev = evaluate(resolved, params, batch, { loss, stepKey: fold(k, t), state: fresh });
    return { grads: ev.grads, value: ev.loss.dataSync()[0] as number, valueAt: ev.at } as unknown as tf.TensorContainer;
  }) as unknown as { grads: Tree; value: number; valueAt: 'w' | 'w+ε' };
}

export { combine };
