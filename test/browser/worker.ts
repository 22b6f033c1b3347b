// The module Web Worker of test/browser.test.ts: the wasm backend and the library inside a worker, training the same
// workload as the page and as Node (RWP included); it posts { ok, backend, runs } (or { ok: false, error }) once.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ready } from 'optimix';
import { workload } from './workload.js';

const post = (globalThis as unknown as { postMessage: (m: unknown) => void }).postMessage;
setWasmPaths('/wasm/');
ready()
  .then(async (backend) => ({ ok: true, backend, runs: await workload() }))
  .catch((e: Error) => ({ ok: false, error: `${e.name}: ${e.message}` }))
  .then((r) => post(r));
