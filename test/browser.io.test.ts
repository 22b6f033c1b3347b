// Checkpoints and datasets in a real browser: test/browser/io.page.ts is bundled by esbuild for the browser
// (tsconfig.browser.json), served with a dataset file and the wasm binaries on 127.0.0.1 by node:http, and run in Debian's
// Chromium driven by playwright-core (a fresh profile). The page fetches the dataset (fetchDataset), trains, saves a
// checkpoint to IndexedDB and round-trips one through a Blob; the test reloads the page, which loads the checkpoint, trains
// on, and must end where the uninterrupted run of the first load ended, bit for bit — as must a module Web Worker resuming
// from IndexedDB, and this Node process resuming from the page's Blob.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, type Chromium } from './helpers/chromium.js';
import { bundleForPage, js, pageHtml, servePages } from './helpers/testPages.js';
import * as tf from '@tensorflow/tfjs-core';
import { disposeTree, fold, key, optimizer, ready, rwp, sgd, train, unpackCheckpoint, type Tree } from '../src/index.js';
import { batches, encodeDataset, makeDataset, type Dataset } from '../src/data/index.js';
import { mlp } from '../src/models/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The served dataset: 32 images of 4×4×1, class 1 where the pixels sum above 0 (both classes occur). */
function tiny(): Dataset {
  const x = Float32Array.from({ length: 32 * 16 }, (_, i) => Math.sin(i * 0.37 + (i >> 4)));
  const y = Int32Array.from({ length: 32 }, (_, r) => (x.subarray(r * 16, r * 16 + 16).reduce((a, b) => a + b, 0) > 0 ? 1 : 0));
  return makeDataset({ name: 'tiny/train', n: 32, shape: [4, 4, 1], classes: 2, classNames: ['low', 'high'], x, y, index: Int32Array.from({ length: 32 }, (_, i) => i), normalization: { kind: 'unit', mean: 0, std: 1 } });
}

interface Entry { name: string; count: number | null; meta: unknown; byteLength: number | null }
interface Thrown { name: string; message: string }
interface IoResult {
  ok: boolean;
  error?: string;
  phase: 'save' | 'resume';
  backend: string;
  dataset: { name: string; n: number; shape: number[]; x: number[]; y: number[] };
  stored: Entry[];
  tensorsAtEnd: number;
  // first load
  saved?: Entry;
  atomic?: { thrown: Thrown; afterThrow: Entry[]; aborted: Thrown; afterAbort: Entry[] };
  list?: Entry[];
  blobRoundTrip?: { bytes: number[]; type: string; size: number; same: boolean; meta: unknown };
  full?: { params: Record<string, number[]>; losses: number[] };
  first?: { losses: number[]; count: number };
  // second load
  meta?: unknown;
  rest?: { params: Record<string, number[]>; losses: number[]; count: number };
  worker?: { ok: boolean; error?: string; backend: string; rest: { meta: unknown; params: Record<string, number[]>; losses: number[]; count: number }; tensorsAtEnd: number };
  errors?: Record<string, Thrown>;
  listAfterDelete?: Entry[];
}

let close: (() => Promise<void>) | undefined;
let browser: BrowserContext | undefined;
let chromium: Chromium | undefined;
const consoleErrors: string[] = [];
const notFound: string[] = [];
let first: IoResult | undefined;
let second: IoResult | undefined;
after(async () => {
  await chromium?.close();
  await close?.();
});

/** result(tab): what the page leaves in window.optimixIoResult (waits up to 60 s). */
async function result(tab: Page): Promise<IoResult> {
  await tab.waitForFunction(() => 'optimixIoResult' in globalThis, undefined, { timeout: 60_000 });
  return (await tab.evaluate(() => (globalThis as unknown as { optimixIoResult: unknown }).optimixIoResult)) as IoResult;
}

before(async () => {
  const page = (await bundleForPage(join(root, 'test/browser/io.page.ts'))).code;
  const worker = (await bundleForPage(join(root, 'test/browser/io.worker.ts'))).code;
  const datasetFile = encodeDataset(tiny());
  // The page's own fetch of /data/missing.bin is meant to find nothing.
  const served = await servePages(
    { '/': ['text/html', pageHtml('/io.js')], '/io.js': js(page), '/io.worker.js': js(worker), '/data/tiny.bin': ['application/octet-stream', datasetFile] },
    { onMissing: (u) => void (u !== '/data/missing.bin' && notFound.push(u)) },
  );
  close = served.close;
  chromium = await launchChromium();
  browser = chromium.browser;
  const tab = await browser.newPage();
  tab.on('console', (m) => {
    // The page's own fetch of /data/missing.bin answers 404, which Chromium logs as a console error.
    if (m.type() === 'error' && !/status of 404/.test(m.text())) consoleErrors.push(m.text());
  });
  tab.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await tab.goto(`${served.origin}/`);
  first = await result(tab);
  await tab.reload();
  second = await result(tab);
});

test('browser io: the page fetches the dataset file bit for bit, trains on wasm, and leaves no tensor and no console error', () => {
  assert.ok(first?.ok, `the first load failed: ${first?.error}`);
  assert.ok(second?.ok, `the second load failed: ${second?.error}`);
  const ds = tiny();
  for (const r of [first, second]) {
    assert.equal(r.backend, 'wasm');
    assert.deepEqual(r.dataset, { name: ds.name, n: 32, shape: [4, 4, 1], x: [...new Uint32Array(ds.x.buffer)], y: [...ds.y] });
    assert.equal(r.tensorsAtEnd, 0, `${r.phase}: tensors left by the page`);
  }
  assert.ok(first.full!.losses.at(-1)! < first.full!.losses[0]!, `the loss falls: ${first.full!.losses[0]} → ${first.full!.losses.at(-1)}`);
  assert.deepEqual(consoleErrors, [], `console errors (requests not found: ${notFound.join(', ')})`);
  assert.deepEqual(notFound, []);
});

test('browser io: save to IndexedDB, reload the page, load, train on: the same losses and parameters as the uninterrupted run, bit for bit', () => {
  assert.ok(first?.ok && second?.ok, `a load failed: ${first?.error ?? second?.error}`);
  assert.equal(first.phase, 'save');
  assert.deepEqual(first.stored, [], 'a fresh profile holds no checkpoint');
  assert.equal(first.first!.count, 8, '2 epochs of 4 batches');
  // Weights: the MLP's (16·8 + 8 + 8·2 + 2) = 154 floats, and as many of momentum, 4 bytes each.
  assert.deepEqual(first.saved, { name: 'run', count: 8, meta: { epoch: 2 }, byteLength: 154 * 4 * 2 });
  assert.deepEqual(first.list, [first.saved]);
  assert.equal(second.phase, 'resume', 'after the reload the page finds the checkpoint');
  assert.deepEqual(second.stored, [first.saved]);
  assert.deepEqual(second.meta, { epoch: 2 });
  assert.equal(second.rest!.count, 16);
  assert.deepEqual(second.rest!.losses, first.full!.losses.slice(8), 'the resumed losses');
  assert.deepEqual(first.first!.losses, first.full!.losses.slice(0, 8), 'the first half');
  assert.deepEqual(second.rest!.params, first.full!.params, 'the final parameters, bit for bit');
});

test('browser io: in a module Web Worker, fetchDataset and loadFromIndexedDB work too, and the resumed run ends where the page ends, bit for bit', () => {
  assert.ok(first?.ok && second?.ok, `a load failed: ${first?.error ?? second?.error}`);
  const w = second.worker!;
  assert.ok(w.ok, `the worker failed: ${w.error}`);
  assert.equal(w.backend, 'wasm');
  assert.deepEqual(w.rest, { meta: { epoch: 2 }, ...second.rest! });
  assert.deepEqual(w.rest.params, first.full!.params);
  assert.equal(w.tensorsAtEnd, 0, 'tensors left in the worker');
});

test('browser io: a save whose weights fail (a throwing put, an aborted transaction) rolls back its manifest too: the old checkpoint stays', () => {
  assert.ok(first?.ok, `the first load failed: ${first?.error}`);
  const a = first.atomic!;
  assert.deepEqual(a.thrown, { name: 'CheckpointError', message: "saveToIndexedDB: the IndexedDB transaction on 'optimix' failed and was rolled back: DataError: injected failure" });
  assert.deepEqual(a.aborted, { name: 'CheckpointError', message: "saveToIndexedDB: the IndexedDB transaction on 'optimix' failed and was rolled back: the transaction was aborted" });
  assert.deepEqual(a.afterThrow, [first.saved], 'after the throwing put: the step-8 checkpoint, unchanged');
  assert.deepEqual(a.afterAbort, [first.saved], 'after the aborted transaction: the step-8 checkpoint, unchanged');
  assert.deepEqual(second!.stored, [first.saved], 'and so after the reload');
});

test('browser io: a checkpoint round-trips through a Blob in the page', () => {
  assert.ok(first?.ok, `the first load failed: ${first?.error}`);
  const b = first.blobRoundTrip!;
  assert.equal(b.type, 'application/x-optimix-checkpoint');
  assert.ok(b.size > first.saved!.byteLength!, 'header + manifest + weights');
  assert.ok(b.same, 'the parameters and step count read back from the Blob');
  assert.deepEqual(b.meta, { epoch: 2 });
});

test("browser io: the page's Blob, read under Node (wasm), resumes to the page's final parameters, bit for bit", async () => {
  assert.ok(first?.ok && second?.ok, `a load failed: ${first?.error ?? second?.error}`);
  assert.equal(await ready({ backend: 'wasm' }), 'wasm');
  // The page's model, optimizer and data order (test/browser/io.page.ts).
  const model = mlp({ inputShape: [4, 4, 1], hidden: [8], classes: 2 });
  const opt = optimizer(rwp({ σ: 0.01, λ: 0.5 }), sgd(0.1, { momentum: 0.9 }));
  const ds = tiny();
  const init = model.init(key(1));
  const loaded = unpackCheckpoint(Uint8Array.from(first.blobRoundTrip!.bytes), { params: init, opt });
  assert.deepEqual(loaded.meta, { epoch: 2 });
  const rest = await train(opt, model, loaded.params, (e) => batches(ds, 8, fold(key(5), e + 2)), { epochs: 2, state: loaded.state });
  const bits = (t: Tree) => Object.fromEntries(Object.entries(t).map(([n, x]) => [n, [...new Uint32Array(Float32Array.from((x as tf.Tensor).dataSync()).buffer)]]));
  assert.deepEqual(rest.losses, second.rest!.losses, 'losses');
  assert.deepEqual(bits(rest.params), first.full!.params, 'final parameters');
  disposeTree([init, loaded.params, rest.params, rest.state]);
});

test('browser io: a missing name, deleting twice, wrong params and an HTTP 404 are clear errors naming what is wrong', () => {
  assert.ok(second?.ok, `the second load failed: ${second?.error}`);
  const e = second.errors!;
  assert.deepEqual(e['missing'], { name: 'CheckpointError', message: `loadFromIndexedDB: no checkpoint named "nope" in IndexedDB database 'optimix' (it holds "run")` });
  assert.equal(e['wrongParams']!.name, 'CheckpointError');
  assert.match(e['wrongParams']!.message, /^loadFromIndexedDB: \d+ problems:/);
  assert.match(e['wrongParams']!.message, /missing parameter 'w' \[1\]: given, not in the checkpoint/);
  assert.deepEqual(e['deleted'], { name: 'none', message: '' });
  assert.deepEqual(e['deletedTwice'], { name: 'CheckpointError', message: `deleteFromIndexedDB: no checkpoint named "run" in IndexedDB database 'optimix' (it holds none)` });
  assert.deepEqual(second.listAfterDelete, []);
  assert.equal(e['fetch404']!.name, 'DatasetError');
  assert.match(e['fetch404']!.message, /^fetchDataset: GET \/data\/missing\.bin failed: HTTP 404 Not Found$/);
});
