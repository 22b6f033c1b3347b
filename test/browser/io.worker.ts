// The module Web Worker of test/browser.io.test.ts: in a worker (no window), fetch the dataset, load the checkpoint 'run'
// from IndexedDB and train on; it posts { ok, backend, rest, tensorsAtEnd } (or { ok: false, error }) once.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { disposeTree, ready } from 'optimix';
import { resume, setup } from './io.shared.js';

const post = (globalThis as unknown as { postMessage: (m: unknown) => void }).postMessage;
setWasmPaths('/wasm/');
ready()
  .then(async (backend) => {
    const before = tf.memory().numTensors;
    const s = await setup();
    const rest = await resume(s);
    disposeTree(s.init);
    return { ok: true, backend, rest, tensorsAtEnd: tf.memory().numTensors - before };
  })
  .catch((e: Error) => ({ ok: false, error: `${e.name}: ${e.message}` }))
  .then((r) => post(r));
