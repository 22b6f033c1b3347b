// The model module of examples/plain-node.mjs: the parallel interpreter's worker threads import `loss` from here, and
// the main thread uses the same function, so both compute the same numbers.
import * as tf from '@tensorflow/tfjs-core';

/** L = mean((x·w + b − y)²): linear least squares. */
export function loss(p, b) {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b.x, p.w), p.b), b.y))));
}
