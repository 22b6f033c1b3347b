import type * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of a tfjs-layers `LayerVariable` optimix uses. Structural, so that optimix never imports `@tensorflow/tfjs-layers`
 * (an optional peer dependency): pass your own model object in.
 */
export interface LayerVariableLike {
  /** The variable's unique name, e.g. `dense_Dense1/kernel`: the key of its parameter in optimix trees. */
  readonly name: string;
  /** The variable's current value. */
  read(): tf.Tensor;
}

/** The parts of a tfjs-layers `LayersModel` (e.g. `tf.sequential(…)`) optimix uses: its trainable weights, `apply`, and the compiled loss. */
export interface LayersModelLike {
  /** The variables `fit` trains, in the model's order. */
  readonly trainableWeights: readonly LayerVariableLike[];
  /** The forward pass: `model.apply(x, { training: true })` gives the predictions. */
  apply(inputs: tf.Tensor, kwargs?: { training?: boolean }): unknown;
  /** Set by `model.compile({ loss })`: one loss per output, `(yTrue, yPred) => per-example loss`. */
  readonly lossFunctions?: readonly ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)[];
  /** Regularization penalties of the layers (kernelRegularizer …), added to the loss as `fit` does. */
  calculateLosses?(): tf.Scalar[];
}
