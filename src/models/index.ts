/**
 * optimix/models: a model zoo in tfjs-core ops (an MLP, a small CNN, a small ResNet), cross-entropy, evaluation and
 * analytic FLOP counts. A model is `{ init(key), loss(params, batch) }`; its `spec` rebuilds it in a worker.
 *
 * @module optimix/models
 */
import { mlp } from './mlp.js';
import { resnetSmall } from './resnetSmall.js';
import { smallCnn } from './smallCnn.js';
import { mlpLayout } from './mlp.js';
import { resnetSmallLayout } from './resnetSmall.js';
import { smallCnnLayout } from './smallCnn.js';
import type { ModelSpec, ParamSpec, ZooModel } from './spec.js';

export type {
  MlpOptions,
  ModelKind,
  ModelSpec,
  ParamInit,
  ParamSpec,
  ResnetSmallOptions,
  SmallCnnOptions,
  ZooModel,
} from './spec.js';
export { heNormal, initParams } from './spec.js';
export { crossEntropy, crossEntropySum } from './crossEntropy.js';
export { mlp, mlpLayout, mlpForwardFlops, resolveMlpOptions, type ResolvedMlpOptions } from './mlp.js';
export {
  smallCnn,
  smallCnnLayout,
  smallCnnForwardFlops,
  resolveSmallCnnOptions,
  type ResolvedSmallCnnOptions,
} from './smallCnn.js';
export {
  resnetSmall,
  resnetSmallLayout,
  resnetSmallForwardFlops,
  resolveResnetSmallOptions,
  type ResolvedResnetSmallOptions,
} from './resnetSmall.js';
export { flops, forwardFlopsPerExample, type FlopCount } from './flops.js';
export { evaluate, DEFAULT_EVAL_BATCH, type Evaluation, type LabeledArrays, type XSource, type YSource } from './evaluate.js';

/** The model zoo by kind: `models[spec.kind](spec.options)` builds a model. */
export const models = Object.freeze({
  /** A multilayer perceptron (see `mlp`). */
  mlp,
  /** A small convolutional net (see `smallCnn`). */
  smallCnn,
  /** A small residual net with affine norms (see `resnetSmall`). */
  resnetSmall,
});

/** modelFromSpec({ kind, options }): rebuild a zoo model from its serializable spec (e.g. `model.spec` sent to a worker). */
export function modelFromSpec(spec: ModelSpec): ZooModel {
  switch (spec.kind) {
    case 'mlp':
      return mlp(spec.options);
    case 'smallCnn':
      return smallCnn(spec.options);
    case 'resnetSmall':
      return resnetSmall(spec.options);
    default:
      throw new Error(`modelFromSpec: unknown model kind '${String((spec as { kind?: unknown }).kind)}'`);
  }
}

/** paramLayout(spec): the ordered parameter names, shapes and initializers of a zoo model, without allocating tensors. */
export function paramLayout(spec: ModelSpec): ParamSpec[] {
  switch (spec.kind) {
    case 'mlp':
      return mlpLayout(spec.options);
    case 'smallCnn':
      return smallCnnLayout(spec.options);
    case 'resnetSmall':
      return resnetSmallLayout(spec.options);
    default:
      throw new Error(`paramLayout: unknown model kind '${String((spec as { kind?: unknown }).kind)}'`);
  }
}
