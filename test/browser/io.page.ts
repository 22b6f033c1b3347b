// The page of test/browser.io.test.ts (bundled by esbuild for the browser). It fetches a dataset file from the test server
// (fetchDataset) and trains a small MLP with RWP + momentum on it. On its first load (no checkpoint 'run' in IndexedDB) it
// trains 4 epochs uninterrupted, then 2 epochs which it saves to IndexedDB, and round-trips a checkpoint through a Blob; the
// test then reloads the page, and on that second load it loads 'run' from IndexedDB and trains the last 2 epochs, has a module
// Web Worker (test/browser/io.worker.ts) do the same, then tries the failure paths (a missing name, deleting twice, an
// HTTP 404). Everything lands in `window.optimixIoResult`.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { deleteFromIndexedDB, disposeTree, fromBlob, key, listIndexedDB, loadFromIndexedDB, saveToIndexedDB, ready, toBlob, train, type OptimizerState, type Tree } from 'optimix';
import { fetchDataset } from 'optimix/data';
import { bits, resume, setup } from './io.shared.js';
import { inWorker, thrown } from './pageTools.js';

/** The page's IndexedDB object store prototype (typed here: the project type-checks without the DOM library). */
declare const IDBObjectStore: { prototype: { name: string; transaction: { abort(): void }; put(value: unknown, key?: unknown): unknown } };

/**
 * overwriteFailing(how, run): save `run` over 'run' while the weights' put fails — it throws ('throw'), or it is queued and
 * then the transaction is aborted ('abort', as a full disk does) — after the manifest's put went through: what save threw.
 */
async function overwriteFailing(how: 'throw' | 'abort', run: { params: Tree; state: OptimizerState }): Promise<{ name: string; message: string }> {
  const proto = IDBObjectStore.prototype;
  const put = proto.put;
  proto.put = function (this: typeof proto, value: unknown, k?: unknown) {
    if (this.name !== 'weights') return put.call(this, value, k);
    if (how === 'throw') throw new DOMException('injected failure', 'DataError');
    const r = put.call(this, value, k);
    this.transaction.abort();
    return r;
  };
  try {
    return await thrown(() => saveToIndexedDB('run', { params: run.params, state: run.state, meta: { epoch: 4 } }));
  } finally {
    proto.put = put;
  }
}

async function main(): Promise<unknown> {
  setWasmPaths('/wasm/');
  const backend = await ready();
  const before = tf.memory().numTensors;
  const setupDone = await setup();
  const { ds, model, opt, data, init } = setupDone;
  const dataset = { name: ds.name, n: ds.n, shape: [...ds.shape], x: [...new Uint32Array(ds.x.buffer, ds.x.byteOffset, ds.x.length)], y: [...ds.y] };
  const stored = await listIndexedDB();
  let out: Record<string, unknown>;
  if (!stored.some((e) => e.name === 'run')) {
    const full = await train(opt, model, init, data, { epochs: 4, key: key(9) });
    const first = await train(opt, model, init, data, { epochs: 2, key: key(9) });
    const saved = await saveToIndexedDB('run', { params: first.params, state: first.state, opt, meta: { epoch: 2 } });
    const atomic = { thrown: await overwriteFailing('throw', full), afterThrow: await listIndexedDB(), aborted: await overwriteFailing('abort', full), afterAbort: await listIndexedDB() };
    const blob = toBlob({ params: first.params, state: first.state, opt, meta: { epoch: 2 } });
    const back = await fromBlob(blob, { params: init, opt });
    const blobRoundTrip = { bytes: [...new Uint8Array(await blob.arrayBuffer())], type: blob.type, size: blob.size, same: JSON.stringify(bits(back.params)) === JSON.stringify(bits(first.params)) && back.state.count === first.state.count, meta: back.meta };
    out = { phase: 'save', stored, saved, atomic, blobRoundTrip, list: await listIndexedDB(), full: { params: bits(full.params), losses: full.losses }, first: { losses: first.losses, count: first.state.count } };
    disposeTree([full.params, full.state, first.params, first.state, back.params, back.state]);
  } else {
    const { meta, ...rest } = await resume(setupDone);
    const worker = await inWorker('/io.worker.js', 60_000);
    const other = { w: tf.zeros([1]) };
    const errors = {
      missing: await thrown(() => loadFromIndexedDB('nope')),
      wrongParams: await thrown(() => loadFromIndexedDB('run', { params: other })),
      deleted: await thrown(() => deleteFromIndexedDB('run')),
      deletedTwice: await thrown(() => deleteFromIndexedDB('run')),
      fetch404: await thrown(() => fetchDataset('/data/missing.bin')),
    };
    out = { phase: 'resume', stored, meta, rest, worker, errors, listAfterDelete: await listIndexedDB() };
    disposeTree(other);
  }
  disposeTree(init);
  return { backend, dataset, ...out, tensorsAtEnd: tf.memory().numTensors - before };
}

main().then(
  (r) => Object.assign(globalThis, { optimixIoResult: { ok: true, ...(r as object) } }),
  (e: Error) => Object.assign(globalThis, { optimixIoResult: { ok: false, error: `${e.name}: ${e.message}\n${e.stack ?? ''}` } }),
);
