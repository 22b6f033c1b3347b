// The browser parallel test's workload, run alike in Node (the test process) and in Chromium (test/browser/parallelPage.ts):
// SGD, RWP, SAM, m-RWP (a split mix) and SGD on 2 batch shards train the model zoo's mlp from one key, each on the
// interpreter `using(name)` gives; each run reports its losses and final parameters as numbers.
import * as tf from '@tensorflow/tfjs-core';
import { cleanGrad, disposeTree, key, mRwp, optimizer, rwp, sam, sgd, train, type Batch, type Interpreter, type Tree } from 'optimix';
import { mlp } from 'optimix/models';
import type { Run } from './workload.js';

/** The zoo model every run trains (workers rebuild it from its spec). */
export const model = mlp({ inputShape: [6], hidden: [12], classes: 3 });

/** The methods, in order; 'SGD, 2 shards' is the one a parallel interpreter with shards: 2 runs (and only it). */
export const METHODS = ['SGD', 'RWP', 'SAM', 'm-RWP', 'SGD, 2 shards'] as const;

const sources = { SGD: cleanGrad, RWP: rwp({ σ: 0.05 }), SAM: sam({ ρ: 0.05 }), 'm-RWP': mRwp({ σ: 0.05 }), 'SGD, 2 shards': cleanGrad };

/** data(): 4 batches of 16 examples (6 features, 3 classes), from fixed seeds. */
export function data(): Batch[] {
  return Array.from({ length: 4 }, (_, i) => ({
    x: tf.randomNormal([16, 6], 0, 1, 'float32', 10 + i),
    y: tf.tidy(() => tf.oneHot(tf.cast(tf.floor(tf.randomUniform([16], 0, 3, 'float32', 20 + i)), 'int32'), 3)),
  }));
}

/** parallelWorkload(using): every method for 3 epochs of the 4 batches, key(7), sgd(0.1, momentum 0.9), on `using(name)` (undefined: sequential). */
export async function parallelWorkload(using: (name: (typeof METHODS)[number]) => Interpreter | undefined): Promise<Run[]> {
  const batches = data();
  const init: Tree = model.init(key(1));
  const runs: Run[] = [];
  for (const name of METHODS) {
    const interpreter = using(name);
    const r = await train(optimizer(sources[name], sgd(0.1, { momentum: 0.9 })), model, init, batches, { epochs: 3, key: key(7), ...(interpreter !== undefined ? { interpreter } : {}) });
    const params = Object.keys(r.params).sort().flatMap((n) => [...(r.params[n] as tf.Tensor).dataSync()]);
    runs.push({ name, losses: [...r.losses], params });
    disposeTree([r.params, r.state]);
  }
  disposeTree([init, ...batches]);
  return runs;
}
