import * as tf from '@tensorflow/tfjs-core';
import { LossError } from '../errors.js';
import type { Batch, LossFn } from '../model.js';
import type { Tree } from '../tree.js';

/** checkLoss(y): y must be a float32 scalar tensor; otherwise a LossError saying what came back. */
export function checkLoss(y: unknown): tf.Scalar {
  if (!(y instanceof tf.Tensor)) throw new LossError(`loss(params, batch) must return a scalar tensor, got ${typeof y}`);
  if (y.isDisposed) throw new LossError('loss(params, batch) returned a disposed tensor; return the loss undisposed (tf.tidy(() => …) keeps the value it returns)');
  if (y.rank !== 0) throw new LossError(`loss(params, batch) must return a scalar (rank-0) tensor, got shape [${y.shape.join(', ')}]; reduce it, e.g. with tf.mean`);
  if (y.dtype !== 'float32') throw new LossError(`loss(params, batch) must return a float32 scalar, got dtype ${y.dtype}`);
  return y as tf.Scalar;
}

/** valueAndGrad(loss, params, batch): L(w; B) and ∇_w L(w; B) as a tree named like params (zeros for leaves the loss does not use). */
export function valueAndGrad(
  loss: LossFn,
  params: Tree,
  batch: Batch,
): {
  /** L(w; B), a scalar tensor (yours). */
  readonly value: tf.Scalar;
  /** ∇_w L(w; B), named like params (yours). */
  readonly grads: Tree;
} {
  const names = Object.keys(params);
  const xs = names.map((n) => params[n] as tf.Tensor);
  const f = (): tf.Scalar => checkLoss(loss(params, batch));
  let result: { value: tf.Tensor; grads: tf.Tensor[] };
  try {
    result = tf.engine().gradients(f, xs, undefined, true);
  } catch (e) {
    releaseTape();
    throw explainMissing(e, params, batch);
  }
  const { value, grads } = result;
  const out: Record<string, tf.Tensor> = {};
  names.forEach((n, i) => {
    const g = grads[i];
    out[n] = g === undefined || g === null ? tf.zerosLike(xs[i] as tf.Tensor) : g;
  });
  return { value: value as tf.Scalar, grads: out };
}

/**
 * explainMissing(e, params, batch): tfjs's "must be a Tensor or TensorLike, but got 'undefined'" from inside a loss most
 * often means it read a name the params or the batch do not have: a LossError naming both trees' names (cause: e).
 */
function explainMissing(e: unknown, params: Tree, batch: Batch): unknown {
  if (!(e instanceof Error) || !/must be a Tensor or TensorLike, but got '(undefined|null)'/.test(e.message)) return e;
  const names = (t: object): string => Object.keys(t).map((n) => `'${n}'`).join(', ') || 'none';
  return new LossError(`loss(params, batch) failed: ${e.message} — does it read a name that is not there? params has ${names(params)}; batch has ${names(batch)}`, { cause: e });
}

/**
 * releaseTape(): after a loss threw mid-recording, free the tensors tfjs saved for the backward pass (it keeps
 * them outside every tidy scope and only frees them once a gradient completes).
 */
function releaseTape(): void {
  const state = tf.engine().state as unknown as { gradientDepth: number; activeTape: Array<{ saved?: tf.Tensor[] }> | null };
  if (state.gradientDepth !== 0 || state.activeTape === null) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) if (!t.isDisposed) t.dispose();
  state.activeTape = [];
}
