// Runs optimix from its built JavaScript (npm run build) under plain `node`, no TypeScript loader:
// fits a linear regression on generated data with SGD and with RWP, and checks that both reach a low loss.
import * as tf from '@tensorflow/tfjs-core';
import { ready, optimizer, cleanGrad, rwp, sgd, train, key, describe, disposeTree } from '../dist/index.js';

const backend = await ready();
const trueW = tf.tensor2d([[2], [-3], [0.5]]);
const x = tf.randomNormal([256, 3], 0, 1, 'float32', 7);
const y = tf.matMul(x, trueW);
const batches = [0, 64, 128, 192].map((s) => ({ x: tf.slice(x, s, 64), y: tf.slice(y, s, 64) }));
const loss = (p, b) => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b.x, p.w), p.b), b.y))));
const init = { w: tf.zeros([3, 1]), b: tf.zeros([1]) };

for (const [name, source] of [['sgd', cleanGrad], ['rwp', rwp({ σ: 0.01 })]]) {
  const opt = optimizer(source, sgd(0.1, { momentum: 0.9 }));
  const r = await train(opt, loss, init, batches, { epochs: 20, key: key(1) });
  const final = r.losses.at(-1);
  console.log(`${backend} ${name.padEnd(4)} ${describe(source).padEnd(52)} loss ${r.losses[0].toFixed(3)} → ${final.toExponential(2)}`);
  if (!(final < 1e-2)) throw new Error(`${name} did not converge: final loss ${final}`);
  disposeTree([r.params, r.state]);
}
console.log('plain-node example: ok');
