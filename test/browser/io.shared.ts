// What the page and the worker of test/browser.io.test.ts share: the dataset URL, the model, the optimizer, the data
// order, and resuming the checkpoint 'run' from IndexedDB for the last 2 epochs.
import * as tf from '@tensorflow/tfjs-core';
import { disposeTree, fold, key, loadFromIndexedDB, optimizer, rwp, sgd, train, type Tree } from 'optimix';
import { batches, fetchDataset, type Dataset } from 'optimix/data';
import { mlp } from 'optimix/models';

/** The float32 words of every parameter, by name (exact: NaN and −0 compare by bits). */
export const bits = (t: Tree): Record<string, number[]> => Object.fromEntries(Object.entries(t).map(([n, x]) => [n, [...new Uint32Array(Float32Array.from((x as tf.Tensor).dataSync()).buffer)]]));

/** setup(): the fetched dataset, an MLP 16 → 8 → 2, RWP (σ 0.01, λ 0.5) with sgd(0.1, momentum 0.9), the data of each epoch, the initial parameters. */
export async function setup() {
  const ds: Dataset = await fetchDataset('/data/tiny.bin');
  const model = mlp({ inputShape: [4, 4, 1], hidden: [8], classes: 2 });
  const opt = optimizer(rwp({ σ: 0.01, λ: 0.5 }), sgd(0.1, { momentum: 0.9 }));
  const data = (epoch: number) => batches(ds, 8, fold(key(5), epoch));
  return { ds, model, opt, data, init: model.init(key(1)) };
}

/** resume(s): load 'run' from IndexedDB (checked against the initial parameters and the optimizer) and train epochs 2 and 3. */
export async function resume(s: Awaited<ReturnType<typeof setup>>) {
  const loaded = await loadFromIndexedDB('run', { params: s.init, opt: s.opt });
  const rest = await train(s.opt, s.model, loaded.params, (e) => s.data(e + 2), { epochs: 2, state: loaded.state });
  const out = { meta: loaded.meta, params: bits(rest.params), losses: rest.losses, count: rest.state.count };
  disposeTree([loaded.params, rest.params, rest.state]);
  return out;
}
