// k forward+backward passes of a zoo model on a fixed MNIST-shaped random batch (shared by the benchmark's
// main thread and its scaling worker, so that both run exactly the same work).
import * as tf from '@tensorflow/tfjs-core';
import { valueAndGrad } from '../src/interpret/valueAndGrad.js';
import type { Batch } from '../src/model.js';
import { modelFromSpec, type ModelKind, type ModelSpec } from '../src/models/index.js';
import { key } from '../src/random.js';

/** MNIST-shaped random data: x ~ U[0, 1) of shape [n, 28, 28, 1], y one-hot over 10 classes. Fixed seeds. */
export function randomBatch(n: number, seed: number): Batch {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed),
    y: tf.oneHot(tf.cast(tf.floor(tf.randomUniform([n], 0, 10, 'float32', seed + 1)), 'int32') as tf.Tensor1D, 10),
  }));
}

/** gradientRunner(kind, batch): `run(k)` runs k forward+backward passes (each read back to the host); `dispose()` frees its tensors. */
export function gradientRunner(kind: ModelKind, batchSize: number): { readonly run: (k: number) => void; readonly dispose: () => void } {
  const model = modelFromSpec({ kind, options: {} } as ModelSpec);
  const params = model.init(key(0));
  const batch = randomBatch(batchSize, 7);
  return {
    run: (k) => {
      for (let i = 0; i < k; i++) {
        tf.tidy(() => {
          const { value, grads } = valueAndGrad(model.loss, params, batch);
          for (const g of Object.values(grads)) g.dataSync();
          value.dataSync();
        });
      }
    },
    dispose: () => tf.dispose([...Object.values(params), ...Object.values(batch)]),
  };
}
