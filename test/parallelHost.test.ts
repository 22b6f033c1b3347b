// The parallel interpreter's host options under Node: workerScript (a worker_threads entry by URL; a function is for
// a page) and wasmPaths (validated; recorded by ready({ wasmPaths })). The browser side: test/browser.parallel.test.ts.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { disposeTree, key, optimizer, parallel, ready, rwp, sgd, train } from '../src/index.js';
import { loss } from './fixtures/regressionModel.js';
import { bitsEqual, regression } from './helpers/problems.js';

const model = { module: new URL('./fixtures/regressionModel.ts', import.meta.url).href, export: 'loss' };
before(async () => {
  await ready();
});

test('workerScript under Node: a URL of the worker entry runs it (= sequential, bit for bit); a function is refused, naming the option', async () => {
  const { params, batch } = regression(3, 6, 4, 32);
  const opt = optimizer(rwp(), sgd(0.05));
  const own = parallel({ model, workerScript: new URL('../src/interpret/worker.ts', import.meta.url) });
  try {
    const a = await train(opt, loss, params, [batch], { epochs: 3, key: key(4) });
    const b = await train(opt, loss, params, [batch], { epochs: 3, key: key(4), interpreter: own });
    assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
    assert.deepEqual(a.losses, b.losses);
    disposeTree([a.params, a.state, b.params, b.state]);
  } finally {
    await own.close();
  }
  const fn = parallel({ model, workerScript: () => undefined });
  try {
    await assert.rejects(() => fn.ready(), { name: 'TypeError', message: 'parallel: under Node, workerScript must be a file URL or a path (a function that makes a Worker is for a page)' });
  } finally {
    await fn.close();
  }
  disposeTree([params, batch]);
});

test('workerScript and wasmPaths: wrong types are refused at once, naming the option', async () => {
  assert.throws(() => parallel({ workerScript: '' }), { name: 'TypeError', message: 'parallel: workerScript must be a URL, a non-empty string or a function returning a Worker, got ' });
  assert.throws(() => parallel({ workerScript: 3 as unknown as string }), /workerScript must be a URL, a non-empty string or a function returning a Worker, got 3/);
  assert.throws(() => parallel({ wasmPaths: '' }), { name: 'TypeError', message: "parallel: wasmPaths must be a URL prefix (a non-empty string such as '/wasm/') or a URL per .wasm file, got ''" });
  await assert.rejects(() => ready({ wasmPaths: 7 as unknown as string }), { name: 'TypeError', message: "ready: wasmPaths must be a URL prefix (a non-empty string such as '/wasm/') or a URL per .wasm file ({ 'tfjs-backend-wasm-simd.wasm': url, … }), got 7" });
  // A URL per file (what Vite's `?url` imports give): the names must be tfjs-backend-wasm's, the URLs non-empty.
  assert.throws(() => parallel({ wasmPaths: { 'tfjs-backend-wasm-simd.wasm': '/a.wasm', 'backend-simd.wasm': '/b.wasm' } as never }), { name: 'TypeError', message: "parallel: wasmPaths: 'backend-simd.wasm' is not one of tfjs-backend-wasm's files ('tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm')" });
  assert.throws(() => parallel({ wasmPaths: { 'tfjs-backend-wasm-simd.wasm': '' } }), /parallel: wasmPaths\['tfjs-backend-wasm-simd.wasm'\] must be a non-empty URL string, got $/);
  assert.throws(() => parallel({ wasmPaths: {} }), /parallel: wasmPaths: a URL per .wasm file needs at least one file/);
  assert.throws(() => parallel({ wasmPaths: ['/wasm/'] as never }), /got an array/);
  const ok = parallel({ wasmPaths: { 'tfjs-backend-wasm-simd.wasm': '/assets/simd-1a2b.wasm' } });
  await ok.close();
});
