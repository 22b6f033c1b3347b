// Runs optimix from its built JavaScript (npm run build) under plain `node`, no TypeScript loader:
// fits a linear regression on generated data with SGD and with RWP, checks that both reach a low loss, then runs RWP
// again with the parallel interpreter (its two gradients on two threads) and checks that it gives the same parameters,
// bit for bit. Exits non-zero if a check fails.
//   npm run build && node examples/plain-node.mjs
import * as tf from '@tensorflow/tfjs-core';
import { ready, optimizer, cleanGrad, rwp, sgd, train, key, describe, disposeTree, parallel } from 'optimix';
import { loss } from './plain-node-model.mjs';

const backend = await ready();
const trueW = tf.tensor2d([[2], [-3], [0.5]]);
const x = tf.randomNormal([256, 3], 0, 1, 'float32', 7);
const y = tf.matMul(x, trueW);
const batches = [0, 64, 128, 192].map((s) => ({ x: tf.slice(x, s, 64), y: tf.slice(y, s, 64) }));
const init = { w: tf.zeros([3, 1]), b: tf.zeros([1]) };

const results = {};
for (const [name, source] of [['sgd', cleanGrad], ['rwp', rwp({ σ: 0.01 })]]) {
  const opt = optimizer(source, sgd(0.1, { momentum: 0.9 }));
  const r = await train(opt, loss, init, batches, { epochs: 20, key: key(1) });
  const final = r.losses.at(-1);
  console.log(`${backend} ${name.padEnd(4)} ${describe(source).padEnd(52)} loss ${r.losses[0].toFixed(3)} → ${final.toExponential(2)}`);
  if (!(final < 1e-2)) throw new Error(`${name} did not converge: final loss ${final}`);
  results[name] = r;
}

// The parallel interpreter: worker threads import the loss from a model module, named by URL.
const interpreter = parallel({ workers: 1, model: { module: new URL('./plain-node-model.mjs', import.meta.url).href, export: 'loss' } });
let par;
try {
  par = await train(optimizer(rwp({ σ: 0.01 }), sgd(0.1, { momentum: 0.9 })), loss, init, batches, { epochs: 20, key: key(1), interpreter });
} finally {
  await interpreter.close();
}
const bits = (t) => Buffer.from(t.dataSync().buffer);
const same = Object.keys(init).every((n) => bits(par.params[n]).equals(bits(results.rwp.params[n])));
console.log(`${backend} rwp  parallel (${interpreter.workers} worker) ${same ? 'gives bitwise the parameters of' : 'DIFFERS from'} sequential; loss → ${par.losses.at(-1).toExponential(2)}`);
disposeTree([Object.values(results).map((r) => [r.params, r.state]), par.params, par.state, init, batches, x, y, trueW]);
if (!same) throw new Error('parallel and sequential RWP runs differ');
console.log('plain-node example: ok');
