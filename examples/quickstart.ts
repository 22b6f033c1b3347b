// The ten-line tour: SGD, SAM and RWP are one optimizer each, differing only in the gradient source.
import * as tf from '@tensorflow/tfjs-core';
import { cleanGrad, describe, disposeTree, key, optimizer, ready, rwp, sam, sgd, train, type Batch, type Tree } from 'optimix';

await ready();
// Generated data: a noisy linear map, 512 examples in 8 batches.
const x = tf.randomNormal([512, 8], 0, 1, 'float32', 1);
const y = tf.add(tf.matMul(x, tf.randomNormal([8, 2], 0, 1, 'float32', 2)), tf.randomNormal([512, 2], 0, 0.1, 'float32', 3));
const batches: Batch[] = Array.from({ length: 8 }, (_, i) => ({ x: tf.slice(x, i * 64, 64), y: tf.slice(y, i * 64, 64) }));
const loss = (p: Tree, b: Batch) => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['w'] as tf.Tensor2D), p['b'] as tf.Tensor), b['y'] as tf.Tensor))) as tf.Scalar);
// Non-zero initial weights: RWP's noise is σ·‖w_i‖, which is zero at w = 0 (the README's quickstart, with types).
const init: Tree = { w: tf.randomNormal([8, 2], 0, 0.1, 'float32', 4), b: tf.zeros([2]) };

for (const [name, source] of [['SGD', cleanGrad], ['SAM', sam({ ρ: 0.05 })], ['RWP', rwp({ σ: 0.01, λ: 0.5 })]] as const) {
  const opt = optimizer(source, sgd(0.05, { momentum: 0.9, weightDecay: 1e-4 }));
  const r = await train(opt, loss, init, batches, { epochs: 10, key: key(0) });
  console.log(`${name}  ${describe(source)}\n     loss ${r.losses[0]!.toFixed(3)} → ${r.losses.at(-1)!.toFixed(4)} in ${r.gradEvals} gradient evaluations`);
  disposeTree([r.params, r.state]);
  if (!(r.losses.at(-1)! < r.losses[0]! / 10)) {
    console.error(`${name} did not train: the last loss is not below a tenth of the first`);
    process.exitCode = 1;
  }
}
disposeTree([init, x, y, ...batches]);
