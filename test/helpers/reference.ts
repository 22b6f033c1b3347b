// Building blocks for reference loops: the methods' formulas written out on plain trees, to compare optimix against.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { disposeTree, optimizer, sgd, step, valueAndGrad, type Batch, type GradientSource, type LossFn, type Tree } from '../../src/index.js';
import { maxRelDiff } from './problems.js';

/** ∇L(w; B). */
export function grad(loss: LossFn, w: Tree, batch: Batch): Tree {
  return tf.tidy(() => {
    const { value, grads } = valueAndGrad(loss, w, batch);
    value.dispose();
    return grads as unknown as tf.TensorContainer;
  }) as unknown as Tree;
}

/** a + c·b, leafwise (c a number or a scalar tensor). */
export const axpy = (a: Tree, b: Tree, c: number | tf.Scalar): Tree => tf.tidy(() => Object.fromEntries(Object.entries(a).map(([n, x]) => [n, tf.add(x, tf.mul(b[n] as tf.Tensor, c))])) as unknown as tf.TensorContainer) as unknown as Tree;

/** c·a, leafwise. */
export const scale = (a: Tree, c: number | tf.Scalar): Tree => tf.tidy(() => Object.fromEntries(Object.entries(a).map(([n, x]) => [n, tf.mul(x, c)])) as unknown as tf.TensorContainer) as unknown as Tree;

/** ‖a‖₂ over every leaf. */
export const norm = (a: Tree): tf.Scalar => tf.tidy(() => tf.sqrt(tf.addN(Object.values(a).map((x) => tf.sum(tf.square(x))))) as tf.Scalar);

/** ⟨a, b⟩ over every leaf. */
export const dot = (a: Tree, b: Tree): tf.Scalar => tf.tidy(() => tf.addN(Object.keys(a).map((n) => tf.sum(tf.mul(a[n] as tf.Tensor, b[n] as tf.Tensor)))) as tf.Scalar);

/**
 * parity(source, reference, …): optimix with SGD(lr) (heavy-ball momentum if given) against `reference(w, t, batch) → the
 * step's direction d, w ← w − lr·d` (the caller frees what it makes but the returned tree), `steps` steps on the given
 * batches; every step's params within rtol.
 */
export function parity(
  source: GradientSource,
  reference: (w: Tree, t: number, batch: Batch) => Tree,
  loss: LossFn,
  params: Tree,
  batches: readonly Batch[],
  { lr = 0.05, steps = 20, rtol = 1e-5, momentum = 0 }: { lr?: number; steps?: number; rtol?: number; momentum?: number } = {},
): number {
  const opt = optimizer(source, sgd(lr, momentum === 0 ? {} : { momentum }));
  let state = opt.init(params);
  let w = params;
  let ref = params;
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    const batch = batches[t % batches.length] as Batch;
    const r = step(opt, loss, w, batch, state);
    const g = reference(ref, t, batch);
    const next = axpy(ref, g, -lr);
    disposeTree(g);
    if (w !== params) disposeTree([w, state]);
    if (ref !== params) disposeTree(ref);
    [w, state, ref] = [r.params, r.state, next];
    worst = Math.max(worst, maxRelDiff(w, ref));
    assert.ok(worst <= rtol, `step ${t}: relative difference ${worst} > ${rtol}`);
  }
  disposeTree([w, state, ref]);
  return worst;
}

/** noLeak(source, …): 50 steps leave tf.memory().numTensors where the first left it. */
export function noLeak(source: GradientSource, loss: LossFn, params: Tree, batch: Batch, steps = 50): void {
  const opt = optimizer(source, sgd(0.01, { momentum: 0.9 }));
  let state = opt.init(params);
  let w = params;
  let after1 = 0;
  for (let t = 0; t < steps; t++) {
    const r = step(opt, loss, w, batch, state);
    if (w !== params) disposeTree([w, state]);
    [w, state] = [r.params, r.state];
    if (t === 0) after1 = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, after1, 'tensors leaked over 50 steps');
  disposeTree([w, state]);
}
