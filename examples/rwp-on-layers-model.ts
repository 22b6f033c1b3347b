// RWP on a tfjs-layers model: model.compile({ optimizer: asTfOptimizer(optimizer(rwp(), sgd(…))) }) and model.fit, unchanged.
// Then the same training through optimix's own loop (fromModel + train) with the same key and batches: the same weights, bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { asTfOptimizer, fromModel, describe, disposeTree, key, optimizer, ready, rwp, sgd, train, type Batch } from 'optimix';

const backend = await ready();

// Generated data: 3 classes of points in 2-D, labels one-hot.
const N = 384;
const BATCH = 32;
const labels = tf.tensor1d(Array.from({ length: N }, (_, i) => i % 3), 'int32');
const centers = tf.tensor2d([[2, 0], [-1, 1.7], [-1, -1.7]]);
const x = tf.add(tf.gather(centers, labels), tf.randomNormal([N, 2], 0, 0.8, 'float32', 11));
const y = tf.cast(tf.oneHot(labels, 3), 'float32');

const model = tfl.sequential({
  layers: [
    tfl.layers.dense({ units: 16, inputShape: [2], activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: 1 }) }),
    tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
const opt = optimizer(rwp({ σ: 0.02 }), sgd(0.2, { momentum: 0.9 }));
model.compile({ optimizer: asTfOptimizer(opt, { key: key(7) }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const initial = fromModel(model); // copies of the initial weights and the compiled loss, for the comparison below

const EPOCHS = 8;
const history = await model.fit(x, y, { batchSize: BATCH, epochs: EPOCHS, shuffle: false, verbose: 0 });
const loss = history.history['loss'] as number[];
const acc = history.history['acc'] as number[];
console.log(`${backend}: ${describe(opt.source)}`);
console.log(`fit: loss ${loss[0]!.toFixed(3)} → ${loss.at(-1)!.toFixed(3)}, accuracy ${acc[0]!.toFixed(3)} → ${acc.at(-1)!.toFixed(3)}`);

// The same run with optimix's train: the batches fit made (no shuffling), the same key.
const batches: Batch[] = Array.from({ length: N / BATCH }, (_, i) => ({ x: tf.slice(x, i * BATCH, BATCH), y: tf.slice(y, i * BATCH, BATCH) }));
const r = await train(opt, initial.loss, initial.params, batches, { epochs: EPOCHS, key: key(7) });
const same = model.trainableWeights.every((w) => {
  const a = w.read().dataSync() as Float32Array;
  const b = (r.params[w.name] as tf.Tensor).dataSync() as Float32Array;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
});
console.log(`train(opt, fromModel(model).loss, …) reaches ${same ? 'bitwise the same weights as' : 'OTHER weights than'} fit`);

const learned = loss.at(-1)! < 0.5 * loss[0]! && acc.at(-1)! > 0.85;
disposeTree([r.params, r.state, initial.params, batches, x, y, labels, centers]);
model.dispose();
if (!same || !learned) {
  console.error(!same ? 'check failed: fit and train disagree' : 'check failed: the model did not learn');
  process.exit(1);
}
