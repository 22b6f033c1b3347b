import type * as tf from '@tensorflow/tfjs-core';
import type { Key } from './random.js';
import type { Params } from './tree.js';

/** A batch of data: named tensors sharing their first (example) axis, e.g. `{ x, y }`. */
export type Batch = Readonly<Record<string, tf.Tensor>>;

/** A loss: `loss(params, batch)` returns a scalar L(w; B). It must not dispose its inputs. */
export type LossFn<B extends Batch = Batch> = (params: Params, batch: B) => tf.Scalar;

/** A model: initial parameters, a loss for training, logits for evaluation. Written with tfjs-core ops. */
export interface Model<B extends Batch = Batch> {
  /** A short name, e.g. `'smallCnn'`. */
  readonly name: string;
  /** init(key): fresh parameters, deterministic in the key. */
  readonly init: (k: Key) => Params;
  /** loss(params, batch): mean cross-entropy (or the model's own objective) on the batch, a scalar. */
  readonly loss: LossFn<B>;
  /** logits(params, x): the model's outputs for inputs x, `[n, classes]`. */
  readonly logits: (params: Params, x: tf.Tensor) => tf.Tensor;
}
