// A user's page (test/browser.tarball.test.ts copies it into a fresh project that installed the packed optimix): it
// trains RWP, SAM and SGD on the zoo's MLP with the sequential interpreter, then RWP again with one Web Worker (the
// parallel interpreter), and reports the losses, so the test can compare them bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import { cleanGrad, key, optimizer, ready, rwp, sam, sgd, train } from 'optimix';
import { mlp } from 'optimix/models';

export async function run(wasmPaths, workerScript) {
  try {
    const backend = await ready({ wasmPaths });
    const model = mlp({ inputShape: [6], hidden: [12], classes: 3 });
    const x = tf.randomNormal([64, 6], 0, 1, 'float32', 1);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 3), 'int32'), 3));
    const init = model.init(key(1));
    const batches = [0, 1, 2, 3].map((i) => ({ x: tf.slice(x, i * 16, 16), y: tf.slice(y, i * 16, 16) }));
    const losses = {};
    for (const [name, source] of [['SGD', cleanGrad], ['SAM', sam({ ρ: 0.05 })], ['RWP', rwp({ σ: 0.05 })]]) {
      const opt = optimizer(source, sgd(0.1, { momentum: 0.9 }));
      const r = await train(opt, model, init, batches, { epochs: 3, key: key(7) });
      losses[name] = r.losses;
      tf.dispose([r.params, r.state]);
    }
    const opt = optimizer(rwp({ σ: 0.05 }), sgd(0.1, { momentum: 0.9 }));
    const parallel = { startTimeout: 30000, ...(workerScript === undefined ? {} : { workerScript }) };
    const r = await train(opt, model, init, batches, { epochs: 3, key: key(7), workers: 1, parallel });
    losses['RWP on a worker'] = r.losses;
    tf.dispose([r.params, r.state, x, y, batches, init]);
    globalThis.optimixResult = { ok: true, backend, losses, tensors: tf.memory().numTensors };
  } catch (e) {
    globalThis.optimixResult = { ok: false, error: `${e.name}: ${e.message}` };
  }
}
