import * as tf from '@tensorflow/tfjs-core';
import { StructureError } from '../errors.js';
import type { Batch, LossFn } from '../model.js';
import { checkParams, structureProblems } from '../structure.js';
import type { Tree } from '../tree.js';
import { InteropError } from './errors.js';
import type { LayerVariableLike, LayersModelLike } from './layers.js';
import { checkKeys } from '../validate.js';
import { tagLoss, type ModuleRef } from '../interpret/modelRef.js';
import { toWire } from '../interpret/wire.js';
import type { LayersData } from './rebuildLayers.js';

/** Options of `fromModel`. */
export interface FromModelOptions {
  /** The loss `(yTrue, yPred) => per-example (or scalar) loss`; default the model's compiled loss (`model.compile({ loss })`). */
  readonly loss?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
  /** Batch key of the inputs; default 'x'. */
  readonly inputKey?: string;
  /** Batch key of the targets; default 'y'. */
  readonly targetKey?: string;
}

/** A tfjs-layers model as optimix sees it: parameters, a loss of parameters, and a way to put parameters back into the model. */
export interface ModelAdapter {
  /** Copies of the trainable weights at the time of the call, keyed by variable name (yours to dispose). */
  readonly params: Tree;
  /** loss(params, { x, y }): mean(loss(y, model(x; params), training)) + regularizers, as `fit` computes it; the model's variables are not touched. */
  readonly loss: LossFn;
  /** setWeights(params): assign params into the model's variables, by name (checked: every name, every shape). */
  readonly setWeights: (params: Tree) => void;
  /** The trainable weights' names, in the model's order. */
  readonly names: readonly string[];
  /** Where a parallel worker rebuilds this model (topology, weights, loss by name); undefined, with `whyNoWorker`, when it cannot. */
  readonly worker: ModuleRef | undefined;
  /** Why workers cannot rebuild this model (e.g. a loss given as a function), when `worker` is undefined. */
  readonly whyNoWorker?: string;
}

type Swappable = LayerVariableLike & { val: tf.Tensor };

/**
 * fromModel(model, { loss?, inputKey = 'x', targetKey = 'y' }): use a tfjs-layers model with `step` and `train`. The loss runs
 * the model's own layers on the given params (each LayerVariable reads them in place of its value while the loss runs), so it
 * is an ordinary differentiable function of params; the model's variables are never changed by it. Single input, single output.
 */
export function fromModel(model: LayersModelLike, options: FromModelOptions = {}): ModelAdapter {
  checkKeys('fromModel', options, ['loss', 'inputKey', 'targetKey']);
  const weights = model?.trainableWeights;
  if (!Array.isArray(weights) || weights.length === 0) throw new InteropError('fromModel: the model has no trainable weights (is it a built tfjs-layers model?)');
  const names = weights.map((w) => w.name);
  const dup = names.filter((n, i) => names.indexOf(n) !== i);
  if (dup.length > 0) throw new InteropError(`fromModel: trainable weights share names: ${[...new Set(dup)].join(', ')}`);
  const vars = weights as unknown as Swappable[];
  const unreadable = vars.filter((w) => !(w.val instanceof tf.Tensor) || w.val !== w.read()).map((w) => w.name);
  if (unreadable.length > 0) throw new InteropError(`fromModel: cannot reach the values of ${unreadable.join(', ')} (expected tfjs-layers 4.x LayerVariables, whose read() returns their 'val')`);
  // tf.sequential(…) compiles and fits through its inner functional model (a private field), which holds the compiled loss.
  const compiled = (model as LayersModelLike & { model?: Pick<LayersModelLike, 'lossFunctions' | 'calculateLosses'> }).model ?? model;
  const lossFns = compiled.lossFunctions ?? [];
  if (options.loss === undefined && lossFns.length !== 1) {
    throw new InteropError(lossFns.length === 0 ? 'fromModel: the model has no compiled loss; call model.compile({ optimizer, loss }) or pass fromModel(model, { loss })' : `fromModel: the model has ${lossFns.length} outputs; only single-output models are supported`);
  }
  const lossOf = options.loss ?? (lossFns[0] as (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);
  const xKey = options.inputKey ?? 'x';
  const yKey = options.targetKey ?? 'y';

  const params: Record<string, tf.Tensor> = {};
  for (const w of vars) params[w.name] = tf.clone(w.read());

  const loss: LossFn = (p: Tree, batch: Batch) => {
    const missing = names.filter((n) => !(p[n] instanceof tf.Tensor));
    if (missing.length > 0) throw new StructureError('fromModel loss', missing.map((n) => `params has no leaf '${n}' (the model does)`));
    const x = batch[xKey];
    const y = batch[yKey];
    if (x === undefined || y === undefined) throw new InteropError(`fromModel loss: the batch must hold '${xKey}' and '${yKey}', got ${Object.keys(batch).join(', ') || 'nothing'}`);
    const saved = vars.map((w) => w.val);
    try {
      vars.forEach((w) => {
        w.val = p[w.name] as tf.Tensor;
      });
      const out = model.apply(x, { training: true });
      if (!(out instanceof tf.Tensor)) throw new InteropError('fromModel loss: the model returned several outputs; only single-output models are supported');
      let total = tf.mean(lossOf(y, out)) as tf.Scalar;
      for (const r of compiled.calculateLosses?.() ?? []) total = tf.add(total, r);
      return total;
    } finally {
      vars.forEach((w, i) => {
        w.val = saved[i] as tf.Tensor;
      });
    }
  };

  const setWeights = (p: Tree): void => {
    checkParams('fromModel setWeights', p);
    const current: Tree = Object.fromEntries(vars.map((w) => [w.name, w.read()]));
    const problems = structureProblems(current, p, 'params');
    if (problems.length > 0) throw new StructureError('fromModel setWeights', problems);
    for (const w of vars) {
      const v = w.read() as tf.Variable;
      const t = p[w.name] as tf.Tensor;
      if (t !== v) v.assign(t);
    }
  };

  const { worker, whyNoWorker } = workerRef(model, compiled, options, xKey, yKey, names);
  return { params, loss: worker === undefined ? loss : tagLoss(loss, worker), setWeights, names, worker, ...(whyNoWorker !== undefined ? { whyNoWorker } : {}) };
}

type Serializable = LayersModelLike & { toJSON?: (u: unknown, asString: boolean) => unknown; getWeights?: () => tf.Tensor[] };

/** workerRef(model, …): a module reference that rebuilds the model in a worker (rebuildLayers), or why there is none. */
function workerRef(model: Serializable, compiled: object, options: FromModelOptions, inputKey: string, targetKey: string, names: readonly string[]): { worker: ModuleRef | undefined; whyNoWorker?: string } {
  const lossName = options.loss === undefined ? ((compiled as { loss?: unknown }).loss ?? (model as { loss?: unknown }).loss) : undefined;
  if (typeof lossName !== 'string') return { worker: undefined, whyNoWorker: 'its loss is a function, which a worker cannot rebuild: compile the model with a loss name (e.g. loss: \'categoricalCrossentropy\') or use a loss module (lossFrom)' };
  if (typeof model.toJSON !== 'function' || typeof model.getWeights !== 'function') return { worker: undefined, whyNoWorker: 'it has no toJSON()/getWeights() (not a tfjs-layers LayersModel)' };
  const data: LayersData = { topology: model.toJSON(null, false), weights: model.getWeights().map(toWire), loss: lossName, names, inputKey, targetKey };
  const here = import.meta.url;
  return { worker: { module: new URL(here.endsWith('.ts') ? './rebuildLayers.ts' : './rebuildLayers.js', here).href, export: 'rebuildLayers', args: [data] } };
}
