// The browser test's workload, run alike in Node (the test process) and in Chromium (test/browser/page.ts): SGD, SAM
// and RWP train a small linear regression from one key; each run reports its losses and final parameters as numbers.
import * as tf from '@tensorflow/tfjs-core';
import { cleanGrad, disposeTree, key, optimizer, rwp, sam, sgd, train, type Batch, type Tree } from 'optimix';

/** One optimizer's run: its losses per step and its final parameters, flattened. */
export interface Run {
  readonly name: string;
  readonly losses: readonly number[];
  readonly params: readonly number[];
}

/** workload(): SGD, SAM (ρ 0.05) and RWP (σ 0.01, λ 0.5), each with sgd(0.05, momentum 0.9), 4 epochs of 8 batches, key(7). */
export async function workload(): Promise<Run[]> {
  const x = tf.randomNormal([256, 8], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.add(tf.matMul(x, tf.randomNormal([8, 2], 0, 1, 'float32', 2)), tf.randomNormal([256, 2], 0, 0.1, 'float32', 3)));
  const batches: Batch[] = Array.from({ length: 8 }, (_, i) => ({ x: tf.slice(x, i * 32, 32), y: tf.slice(y, i * 32, 32) }));
  const loss = (p: Tree, b: Batch) => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['w'] as tf.Tensor2D), p['b'] as tf.Tensor), b['y'] as tf.Tensor))) as tf.Scalar);
  const init: Tree = { w: tf.randomNormal([8, 2], 0, 0.1, 'float32', 4), b: tf.zeros([2]) };
  const runs: Run[] = [];
  for (const [name, source] of [['SGD', cleanGrad], ['SAM', sam({ ρ: 0.05 })], ['RWP', rwp({ σ: 0.01, λ: 0.5 })]] as const) {
    const r = await train(optimizer(source, sgd(0.05, { momentum: 0.9 })), loss, init, batches, { epochs: 4, key: key(7) });
    const params = [...(r.params['w'] as tf.Tensor).dataSync(), ...(r.params['b'] as tf.Tensor).dataSync()];
    runs.push({ name, losses: [...r.losses], params });
    disposeTree([r.params, r.state]);
  }
  disposeTree([init, x, y, ...batches]);
  return runs;
}
