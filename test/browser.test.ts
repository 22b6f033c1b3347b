// optimix in a real browser: the library and a page (test/browser/page.ts) are bundled by esbuild for the browser
// (tsconfig.browser.json maps '#host/*' to the browser twins, as package.json's `imports` do for the published dist/),
// served on 127.0.0.1 by a tiny node:http server, and run in Debian's Chromium driven by playwright-core: SGD, SAM
// and RWP train on the wasm backend and give the same numbers as Node from the same key, with no console errors, and
// the Node-only features throw NotInBrowserError; a module Web Worker trains the same numbers too (the parallel
// interpreter on Web Workers: test/browser.parallel.test.ts). Also: the browser bundles of the entry points import no `node:` module
// and use no `process`.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, type Chromium } from './helpers/chromium.js';
import { bundleForPage, js, pageHtml, servePages } from './helpers/testPages.js';
import { ready } from 'optimix';
import { workload, type Run } from './browser/workload.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = ['index', 'laws/index', 'data/index', 'models/index', 'flatness/index', 'plot/index', 'interpret/browserWorker'];

/** Every import of a `node:` module (or a Node builtin by bare name) that a bundle's inputs make. */
const nodeImports = (m: Metafile): string[] =>
  Object.entries(m.inputs).flatMap(([file, i]) => i.imports.filter((x) => x.path.startsWith('node:') || x.external && !x.path.startsWith('@tensorflow/')).map((x) => `${file} → ${x.path}`));

test('browser: every entry point (main, laws, data, models, flatness, plot, and the parallel interpreter\'s worker) bundles for the browser with no node: import and no process', async () => {
  for (const e of ENTRIES) {
    const { code, metafile } = await bundleForPage(join(root, 'src', `${e}.ts`), ['@tensorflow/*']);
    assert.deepEqual(nodeImports(metafile), [], `${e}: imports of Node modules`);
    assert.doesNotMatch(code, /(?:from|import\(|require\()\s*["']node:/, `${e}: the bundle's code names a node: module`);
    assert.doesNotMatch(code, /\bprocess\s*\.\s*[a-z]/i, `${e}: the bundle uses Node's process`);
    assert.doesNotMatch(code, /tfjsResolveHook/, `${e}: the bundle refers to the Node module hook`);
    assert.ok(!Object.keys(metafile.inputs).some((f) => /\.node\.ts$/.test(f)), `${e}: a Node twin of src/host was bundled`);
  }
});

let close: (() => Promise<void>) | undefined;
let browser: BrowserContext | undefined;
let chromium: Chromium | undefined;
after(async () => {
  await chromium?.close();
  await close?.();
});

interface PageResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly backend: string;
  readonly runs: Run[];
  readonly leaked: number;
  readonly roundTrip: number[];
  readonly bytes: number;
  readonly shapes: number[][][];
  readonly tensorsAtEnd: number;
  readonly subpaths: { lawOk: boolean; sharpness: number; svg: boolean };
  readonly worker: { ok: boolean; error?: string; backend: string; runs: Run[] };
  readonly errors: Record<string, { name: string; message: string }>;
}
let result: PageResult | undefined;
const consoleErrors: string[] = [];
let inNode: Promise<Run[]> | undefined;
/** nodeRuns(): the workload's runs in this process, on wasm (computed once). */
const nodeRuns = (): Promise<Run[]> => (inNode ??= ready({ backend: 'wasm' }).then((b) => (assert.equal(b, 'wasm'), workload())));
const notFound: string[] = [];
const wasmServed: string[] = [];

before(async () => {
  const page = (await bundleForPage(join(root, 'test/browser/page.ts'))).code;
  const worker = (await bundleForPage(join(root, 'test/browser/worker.ts'))).code;
  const served = await servePages({ '/': ['text/html', pageHtml('/page.js')], '/page.js': js(page), '/worker.js': js(worker) }, { onWasm: (f) => wasmServed.push(f), onMissing: (u) => notFound.push(u) });
  close = served.close;
  chromium = await launchChromium();
  browser = chromium.browser;
  const tab = await browser.newPage();
  tab.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  tab.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await tab.goto(`${served.origin}/`);
  await tab.waitForFunction(() => 'optimixResult' in globalThis, undefined, { timeout: 45_000 });
  result = (await tab.evaluate(() => (globalThis as unknown as { optimixResult: unknown }).optimixResult)) as PageResult;
});

test('browser: SGD, SAM and RWP train in Chromium on the wasm backend (loss falls), with no tensor leaked and no console error', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  assert.equal(result.backend, 'wasm');
  assert.deepEqual([...new Set(wasmServed)], ['tfjs-backend-wasm-simd.wasm'], 'the page (not cross-origin isolated) and its worker load the SIMD build');
  assert.deepEqual(result.runs.map((r) => r.name), ['SGD', 'SAM', 'RWP']);
  for (const r of result.runs) assert.ok(r.losses.at(-1)! < r.losses[0]! / 10, `${r.name}: loss ${r.losses[0]} → ${r.losses.at(-1)}`);
  assert.equal(result.leaked, 0, 'tensors left after training');
  assert.deepEqual(consoleErrors, [], `console errors (requests not found: ${notFound.join(', ')})`);
});

test('browser: the same key gives the same losses and parameters in Chromium as in Node, bit for bit (SGD, SAM, RWP)', async () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const node = await nodeRuns();
  for (const [i, r] of node.entries()) {
    assert.deepEqual(result.runs[i]!.losses, r.losses, `${r.name}: losses`);
    assert.deepEqual(result.runs[i]!.params, r.params, `${r.name}: parameters`);
  }
});

test('browser: in a module Web Worker the wasm backend trains SGD, SAM and RWP with the same numbers as Node, bit for bit', async () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  assert.ok(result.worker.ok, `the worker failed: ${result.worker.error}`);
  assert.equal(result.worker.backend, 'wasm');
  assert.deepEqual(result.worker.runs, await nodeRuns());
});

test('browser: Node-only features throw NotInBrowserError naming the feature; checkpoints round-trip as bytes; a Dataset from bytes batches', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const { save, mnist } = result.errors;
  assert.deepEqual(save, { name: 'NotInBrowserError', message: 'checkpoint save(dir) is not available in a browser: use saveToIndexedDB() / loadFromIndexedDB(), toBlob() / fromBlob(), or serialize() / deserialize() on bytes' });
  assert.deepEqual(mnist, { name: 'NotInBrowserError', message: "loading the 'mnist' dataset package is not available in a browser: fetch a dataset file with fetchDataset(url) (one encodeDataset wrote), or build the Dataset with makeDataset (both from 'optimix/data')" });
  assert.deepEqual(result.roundTrip, [1, 2, 3, 4, 0.5, -0.5]);
  assert.ok(result.bytes > 0);
  assert.deepEqual(result.shapes, [[[4, 2, 2, 1], [4, 2]], [[4, 2, 2, 1], [4, 2]]], 'a Dataset made from bytes, shuffled and batched');
  assert.equal(result.tensorsAtEnd, 0, 'tensors left by the page');
});

test('browser: optimix/laws, optimix/flatness and optimix/plot run in the page (a law holds, a sharpness by hand, a chart)', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  assert.equal(result.subpaths.lawOk, true, 'laws.deterministic(sgd) holds in Chromium');
  // L = ‖w‖², w = (1, 2), SAM's one step ε = ρ·w/‖w‖: L(w + ε) − L(w) = 2ρ‖w‖ + ρ² = 0.2·√5 + 0.01.
  assert.ok(Math.abs(result.subpaths.sharpness - (0.2 * Math.sqrt(5) + 0.01)) < 1e-5, `sharpness ${result.subpaths.sharpness}`);
  assert.equal(result.subpaths.svg, true, 'lineChartSvg draws an SVG with its series');
});
