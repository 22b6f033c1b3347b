/**
 * The toy problem several examples share, and the helpers their checks use. Not an example itself (running it does
 * nothing; scripts/run-examples.mjs skips it): custom-source.ts, keys-and-ownership.ts, compose-custom-optimizer.ts and
 * resume-from-checkpoint.ts import the problem, and they, schedules.ts and sam-vs-rwp.ts import the check helpers.
 *
 * The problem: a small two-layer regression net, 6 inputs → 16 ReLU units → 2 outputs, fitted to a random teacher
 * y = tanh(x·T) on generated data. Every tensor is drawn with a fixed seed, so each call gives the same numbers.
 * Call the functions after `await ready()`: their tensors are made on the backend chosen then, and are the caller's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Tree } from 'optimix';

/** The teacher's weights T: [6, 2], T_ij ~ N(0, 1), drawn with seed 1. */
export const toyTeacher = (): tf.Tensor => tf.randomNormal([6, 2], 0, 1, 'float32', 1);

/** The targets for inputs x: [n, 6]: y = tanh(x·T), shape [n, 2]. */
export const toyTargets = (x: tf.Tensor, teacher: tf.Tensor): tf.Tensor => tf.tidy(() => tf.tanh(tf.matMul(x, teacher)));

/** The data: x: [256, 6], x_ij ~ N(0, 1) (seed 2), and y = tanh(x·T): [256, 2], cut into 8 batches `{ x, y }` of 32 rows; all four are the caller's to dispose. */
export function toyData(): { teacher: tf.Tensor; x: tf.Tensor; y: tf.Tensor; batches: Batch[] } {
  const teacher = toyTeacher();
  const x = tf.randomNormal([256, 6], 0, 1, 'float32', 2);
  const y = toyTargets(x, teacher);
  const batches: Batch[] = Array.from({ length: 8 }, (_, i) => ({ x: tf.slice(x, i * 32, 32), y: tf.slice(y, i * 32, 32) }));
  return { teacher, x, y, batches };
}

/** The loss, mean squared error: L(p; x, y) = mean((relu(x·W₁ + b₁)·W₂ + b₂ − y)²), with W₁ = p['hidden/kernel'], b₁ = p['hidden/bias'], W₂ = p['out/kernel'], b₂ = p['out/bias']. */
export const loss = (p: Tree, b: Batch): tf.Scalar =>
  tf.tidy(() => {
    const h = tf.relu(tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['hidden/kernel'] as tf.Tensor2D), p['hidden/bias'] as tf.Tensor));
    const out = tf.add(tf.matMul(h, p['out/kernel'] as tf.Tensor2D), p['out/bias'] as tf.Tensor);
    return tf.mean(tf.square(tf.sub(out, b['y'] as tf.Tensor))) as tf.Scalar;
  });

/** Initial parameters: W₁: [6, 16] ~ N(0, 0.4²) drawn with `seed`, b₁ = 0: [16], W₂: [16, 2] ~ N(0, 0.25²) drawn with `seed + 1`, b₂ = 0: [2]. */
export const toyParams = (seed = 3): Tree => ({
  'hidden/kernel': tf.randomNormal([6, 16], 0, 0.4, 'float32', seed),
  'hidden/bias': tf.zeros([16]),
  'out/kernel': tf.randomNormal([16, 2], 0, 0.25, 'float32', seed + 1),
  'out/bias': tf.zeros([2]),
});

/** A list of checks: `expect(ok, what)` prints `  ok   what` or `  FAIL what`, and adds `what` to `failures` if it failed. */
export function checks(): { failures: string[]; expect: (ok: boolean, what: string) => void } {
  const failures: string[] = [];
  const expect = (ok: boolean, what: string): void => {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  return { failures, expect };
}

/** Whether two trees with the same names hold the same values, bit for bit. */
export const sameBits = (a: Tree, b: Tree): boolean =>
  Object.keys(a).every((n) => Buffer.from((a[n] as tf.Tensor).dataSync().buffer).equals(Buffer.from((b[n] as tf.Tensor).dataSync().buffer)));
