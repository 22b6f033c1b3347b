import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../model.js';
import type { Params } from '../tree.js';
import { crossEntropySum } from './crossEntropy.js';

/**
 * A labelled data set held in plain typed arrays (the data loader's format): x holds n·∏shape float32 values,
 * example-major and channels-last; y holds n integer labels in [0, classes).
 */
export interface LabeledArrays {
  /** n·∏shape float32 values, example-major, channels-last. */
  readonly x: Float32Array;
  /** n class ids in [0, classes). */
  readonly y: Int32Array | Uint8Array;
  /** The number of examples. */
  readonly n: number;
  /** The shape of one example, e.g. [28, 28, 1]. */
  readonly shape: readonly number[];
  /** The number of classes. */
  readonly classes: number;
}

/** The result of `evaluate`: mean cross-entropy, fraction of correct argmax predictions, number of examples. */
export interface Evaluation {
  /** Mean cross-entropy over the examples. */
  readonly loss: number;
  /** Fraction of examples whose argmax prediction is the label. */
  readonly accuracy: number;
  /** The number of examples evaluated. */
  readonly n: number;
}

/** Default number of examples per evaluation chunk. */
export const DEFAULT_EVAL_BATCH = 500;

/** Inputs `evaluate` accepts: a tensor of examples, or their float32 values (example-major, channels-last). */
export type XSource = tf.Tensor | Float32Array;
/** Labels `evaluate` accepts: a tensor of class ids, or the ids as integers. */
export type YSource = tf.Tensor | Int32Array | Uint8Array;

function isLabeledArrays(v: unknown): v is LabeledArrays {
  return typeof v === 'object' && v !== null && !(v instanceof tf.Tensor) && !ArrayBuffer.isView(v) && 'x' in v && 'y' in v;
}

/** The input shape and class count a zoo model carries in its spec, if any. */
function specShape(model: Model): { shape?: readonly number[]; classes?: number } {
  const spec = (model as { spec?: { options?: { inputShape?: readonly number[]; classes?: number } } }).spec;
  const out: { shape?: readonly number[]; classes?: number } = {};
  if (spec?.options?.inputShape !== undefined) out.shape = spec.options.inputShape;
  if (spec?.options?.classes !== undefined) out.classes = spec.options.classes;
  return out;
}

/**
 * evaluate(model, params, data | x, y, batchSize = 500) → { loss, accuracy, n }: loss = (1/n) Σ_i −log softmax(logits_i)[label_i],
 * accuracy = (1/n) #{i : argmax logits_i = label_i}, computed with `model.logits` in chunks of batchSize under tf.tidy (no leaks).
 * x: a tensor `[n, ...shape]` or a Float32Array (shape from the model's spec); y: one-hot `[n, classes]` or labels `[n]`
 * as a tensor, or an Int32Array/Uint8Array of labels. Inputs are never disposed.
 */
export function evaluate(model: Model, params: Params, data: LabeledArrays, batchSize?: number): Evaluation;
export function evaluate(model: Model, params: Params, x: XSource, y: YSource, batchSize?: number): Evaluation;
export function evaluate(
  model: Model,
  params: Params,
  dataOrX: LabeledArrays | XSource,
  yOrBatch?: YSource | number,
  maybeBatch?: number,
): Evaluation {
  let x: XSource;
  let y: YSource;
  let batchSize: number;
  let shape: readonly number[] | undefined;
  let classes: number | undefined;
  if (isLabeledArrays(dataOrX)) {
    ({ x, y, shape, classes } = dataOrX);
    batchSize = typeof yOrBatch === 'number' ? yOrBatch : DEFAULT_EVAL_BATCH;
    if (x.length !== dataOrX.n * shape.reduce((a, b) => a * b, 1) || y.length !== dataOrX.n) {
      throw new RangeError(`evaluate: arrays do not match n = ${dataOrX.n} and shape [${shape.join(', ')}]`);
    }
  } else {
    if (yOrBatch === undefined || typeof yOrBatch === 'number') throw new TypeError('evaluate: expected (model, params, x, y, batchSize?)');
    x = dataOrX;
    y = yOrBatch;
    batchSize = maybeBatch ?? DEFAULT_EVAL_BATCH;
    ({ shape, classes } = specShape(model));
    if (x instanceof tf.Tensor) shape = x.shape.slice(1);
    if (y instanceof tf.Tensor && y.rank === 2) classes = y.shape[1];
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`evaluate: batchSize must be a positive integer, got ${batchSize}`);
  if (shape === undefined) throw new Error('evaluate: x is a typed array and the model carries no spec; pass LabeledArrays or a tensor');
  const exampleSize = shape.reduce((a, b) => a * b, 1);
  const n = x instanceof tf.Tensor ? (x.shape[0] ?? 0) : x.length / exampleSize;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`evaluate: need at least one example of shape [${shape.join(', ')}], got ${x instanceof tf.Tensor ? x.size : x.length} values`);
  const yn = y instanceof tf.Tensor ? y.shape[0] : y.length;
  if (yn !== n) throw new RangeError(`evaluate: x has ${n} examples but y has ${yn}`);
  if (!(y instanceof tf.Tensor && y.rank === 2) && classes === undefined) {
    throw new Error('evaluate: labels given as integers but the number of classes is unknown (the model carries no spec)');
  }

  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const stats = tf.tidy(() => {
      const xb =
        x instanceof tf.Tensor
          ? tf.slice(x, start, m)
          : tf.tensor(x.subarray(start * exampleSize, (start + m) * exampleSize), [m, ...shape], 'float32');
      let oneHot: tf.Tensor;
      let labels: tf.Tensor;
      if (y instanceof tf.Tensor && y.rank === 2) {
        oneHot = tf.cast(tf.slice(y, start, m), 'float32');
        labels = tf.argMax(oneHot, -1);
      } else {
        labels =
          y instanceof tf.Tensor
            ? tf.cast(tf.slice(y, start, m), 'int32')
            : tf.tensor1d(Int32Array.from(y.subarray(start, start + m)), 'int32');
        oneHot = tf.cast(tf.oneHot(labels as tf.Tensor1D, classes as number), 'float32');
      }
      const logits = model.logits(params, xb);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'));
      return tf.stack([crossEntropySum(logits, oneHot), hits]);
    });
    const [l, c] = stats.dataSync();
    stats.dispose();
    lossSum += l ?? NaN;
    correct += c ?? NaN;
  }
  return Object.freeze({ loss: lossSum / n, accuracy: correct / n, n });
}
