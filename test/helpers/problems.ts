import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn, Tree } from '../../src/index.js';

/** A random least-squares problem with a dense kernel [d, k] and bias [k]: L = mean((xW + b − y)²) + ½·c·‖W‖². */
export function regression(seed: number, d = 5, k = 3, n = 32): { params: Tree; batch: Batch; loss: LossFn } {
  const x = tf.randomNormal([n, d], 0, 1, 'float32', seed);
  const wTrue = tf.randomNormal([d, k], 0, 1, 'float32', seed + 1);
  const y = tf.tidy(() => tf.add(tf.matMul(x, wTrue), tf.randomNormal([n, k], 0, 0.1, 'float32', seed + 2)));
  wTrue.dispose();
  const params = { kernel: tf.randomNormal([d, k], 0, 0.5, 'float32', seed + 3), bias: tf.randomNormal([k], 0, 0.5, 'float32', seed + 4) };
  const loss: LossFn = (p, b) =>
    tf.tidy(() => {
      const pred = tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['kernel'] as tf.Tensor2D), p['bias'] as tf.Tensor);
      return tf.add(tf.mean(tf.square(tf.sub(pred, b['y'] as tf.Tensor))), tf.mul(0.05, tf.sum(tf.square(p['kernel'] as tf.Tensor)))) as tf.Scalar;
    });
  return { params, batch: { x, y }, loss };
}

/** maxRelDiff(a, b) = max_i |a_i − b_i| / max(max_i |b_i|, 1e-12), over every leaf (a scale-aware relative error). */
export function maxRelDiff(a: Tree, b: Tree): number {
  let worst = 0;
  for (const n of Object.keys(b)) {
    const x = (a[n] as tf.Tensor).dataSync();
    const y = (b[n] as tf.Tensor).dataSync();
    let scale = 1e-12;
    for (const v of y) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) / scale);
  }
  return worst;
}

/** bitsEqual(a, b): every leaf identical bit for bit. */
export function bitsEqual(a: Tree, b: Tree): boolean {
  return Object.keys(b).every((n) => {
    const x = new Uint32Array(new Float32Array((a[n] as tf.Tensor).dataSync()).buffer);
    const y = new Uint32Array(new Float32Array((b[n] as tf.Tensor).dataSync()).buffer);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  });
}

/** snapshot(t): the values of a tree as plain arrays (to check that inputs are untouched). */
export function snapshot(t: Tree): Record<string, number[]> {
  return Object.fromEntries(Object.entries(t).map(([n, x]) => [n, Array.from(x.dataSync())]));
}
