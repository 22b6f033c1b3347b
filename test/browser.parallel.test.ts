// The parallel interpreter in a real browser: test/browser/parallelPage.ts and optimix's browser worker entry
// (src/interpret/browserWorker.ts, served where the default `new URL('../interpret/browserWorker.js', import.meta.url)`
// finds it) are bundled by esbuild for the browser, served on 127.0.0.1 with the wasm files, a hanging loss module and
// a few broken worker scripts, and run in Debian's Chromium: module Web Workers give the same numbers as the page's
// sequential interpreter and as Node's, bit for bit; timeouts, bad scripts and close() fail with a WorkerError.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, type Chromium } from './helpers/chromium.js';
import { bundleForPage, js, pageHtml, servePages } from './helpers/testPages.js';
import { parallel, ready } from 'optimix';
import { parallelWorkload } from './browser/parallelWorkload.js';
import type { Run } from './browser/workload.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Failure {
  readonly name: string;
  readonly message: string;
  readonly ms: number;
  readonly isWorkerError: boolean;
}
interface ParallelResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly docs: Omit<Run, 'name'>;
  readonly kinds: { sequential: Omit<Run, 'name'>; parallel: Omit<Run, 'name'> };
  readonly sequential: Run[];
  readonly parallel: Run[];
  readonly variants: Run[];
  readonly drawnAhead: number;
  readonly trainAuto: Omit<Run, 'name'>;
  readonly memory: Array<{ numTensors: number; numBytes: number; heapUsed?: number; wasmHeapBytes?: number }>;
  readonly perStep: number[];
  readonly timeout: { before: number; hung: Failure; after: number; live: number };
  readonly close: { pending: Failure; later: Failure };
  readonly busyPage: Failure;
  readonly scripts: { silent: Failure; missing: Failure; html: Failure; crossOrigin: Failure };
  readonly made: Failure;
  readonly badOption: Failure;
  readonly tensorsAtEnd: number;
}

let close: (() => Promise<void>) | undefined;
let browser: BrowserContext | undefined;
let chromium: Chromium | undefined;
let origin = '';
let result: ParallelResult | undefined;
const consoleErrors: string[] = [];
const served: string[] = [];
after(async () => {
  await chromium?.close();
  await close?.();
});

let inNode: Promise<{ sequential: Run[]; parallel: Run[] }> | undefined;
/** nodeRuns(): the workload in this process on wasm, sequential and (for the sharded SGD) on Node's parallel interpreter. */
const nodeRuns = (): Promise<{ sequential: Run[]; parallel: Run[] }> =>
  (inNode ??= (async () => {
    await ready({ backend: 'wasm' });
    const { model } = await import('./browser/parallelWorkload.js');
    const sequential = await parallelWorkload(() => undefined);
    const sharded = parallel({ workers: 1, model, shards: 2 });
    try {
      return { sequential, parallel: await parallelWorkload((name) => (name === 'SGD, 2 shards' ? sharded : undefined)) };
    } finally {
      await sharded.close();
    }
  })());

before(async () => {
  const code = async (file: string): Promise<string> => (await bundleForPage(join(root, file))).code;
  const pages = await servePages(
    {
      '/': ['text/html', pageHtml('/page.js')],
      '/page.js': js(await code('test/browser/parallelPage.ts')),
      '/interpret/browserWorker.js': js(await code('src/interpret/browserWorker.ts')),
      '/kindsWorker.js': js(await code('test/browser/kindsWorker.ts')),
      '/hang.js': js(await code('test/fixtures/browserHang.ts')),
      '/silent.js': js('// a worker that never answers\naddEventListener("message", () => {});'),
    },
    { onRequest: (u) => served.push(u) },
  );
  ({ origin, close } = pages);
  chromium = await launchChromium();
  browser = chromium.browser;
  const tab = await browser.newPage();
  tab.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  tab.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await tab.goto(`${origin}/`);
  await tab.waitForFunction(() => 'optimixParallel' in globalThis, undefined, { timeout: 120_000 });
  result = (await tab.evaluate(() => (globalThis as unknown as { optimixParallel: unknown }).optimixParallel)) as ParallelResult;
});

test('browser parallel: on module Web Workers, SGD, RWP, SAM and m-RWP equal the page\'s sequential interpreter and Node\'s, bit for bit (also with drawAhead); SGD on 2 shards equals Node\'s 2 shards (on 1 and 2 workers)', async () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const node = await nodeRuns();
  assert.deepEqual(result.sequential, node.sequential, 'the page\'s sequential runs = Node\'s');
  for (const [i, r] of result.parallel.entries()) {
    const want = r.name === 'SGD, 2 shards' ? node.parallel[i]! : node.sequential[i]!;
    assert.deepEqual(r.losses, want.losses, `${r.name}: losses`);
    assert.deepEqual(r.params, want.params, `${r.name}: parameters`);
    if (r.name !== 'SGD, 2 shards') assert.deepEqual(r, result.sequential[i], `${r.name}: = the page's sequential`);
  }
  // drawAhead (the worker draws the page's next noise, which the page takes by event only) and 2 workers for the shards.
  for (const [i, r] of result.variants.entries()) assert.deepEqual(r, r.name === 'SGD, 2 shards' ? node.parallel[i] : node.sequential[i], `${r.name} (drawAhead; 2 workers for the shards)`);
  assert.ok(result.drawnAhead > 0, 'some noise was drawn ahead by the worker');
  const sgd = result.sequential.find((r) => r.name === 'SGD')!;
  assert.notDeepEqual(result.parallel.at(-1)!.params, sgd.params, '2 shards round differently from 1 (the check can fail)');
  assert.ok(served.includes('/interpret/browserWorker.js'), 'the default worker URL (beside dist/host/, ../interpret/browserWorker.js) was used');
});

test('browser parallel: train({ workers: \'auto\' }) and the docs snippet (train({ workers: 1 })) equal sequential RWP, bit for bit', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const rwp = result.sequential.find((r) => r.name === 'RWP')!;
  assert.deepEqual(result.trainAuto, { losses: rwp.losses, params: rwp.params });
  assert.deepEqual(result.docs, { losses: rwp.losses, params: rwp.params });
  const page = readFileSync(join(root, 'test/browser/parallelPage.ts'), 'utf8');
  const lines = /\/\/ docs:parallel-begin\n([\s\S]*?)\s*\/\/ docs:parallel-end/.exec(page)![1]!.split('\n').map((l) => l.trim());
  const docs = readFileSync(join(root, 'docs/browser.md'), 'utf8');
  for (const l of lines) assert.ok(docs.includes(l), `docs/browser.md shows the snippet's line: ${l}`);
});

test('browser parallel: custom kinds (definePerturbation, defineSource) on a worker entry that imports their module: = sequential, bit for bit', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  assert.deepEqual(result.kinds.parallel, result.kinds.sequential);
  assert.ok(served.includes('/kindsWorker.js'), 'the page\'s own worker entry ran');
  // The kinds' module URL is the page's bundle (their import.meta.url): the worker, which has them, did not import it.
  assert.equal(served.filter((u) => u === '/page.js').length, 1, 'the worker did not import the defining module by URL (its kinds were defined)');
});

test('browser parallel: tensors on the page are flat over steps and none is left; a worker reports its memory (heapUsed where Chromium tells it)', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  assert.equal(new Set(result.perStep).size, 1, `tensors after each step: ${result.perStep.join(', ')}`);
  assert.equal(result.tensorsAtEnd, 0, 'tensors left by the page');
  assert.equal(result.memory.length, 1);
  const heap = result.memory[0]!.heapUsed;
  assert.ok(heap === undefined || heap > 0, `heapUsed: ${heap}`);
  assert.equal(result.memory[0]!.numTensors, 0, 'the worker holds no tensor between steps');
  assert.ok(result.memory[0]!.wasmHeapBytes! > 0, 'the worker runs on wasm');
});

test('browser parallel: stepTimeout — a worker whose loss hangs is terminated (WorkerError within the timeout), replaced, and the next step works', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const { before: first, hung, after: next, live } = result.timeout;
  assert.ok(hung.isWorkerError, `${hung.name}: ${hung.message}`);
  assert.match(hung.message, /^parallel: worker 0 did not answer within \d+ ms \(stepTimeout 1500 ms\); it was terminated and will be replaced$/);
  assert.ok(hung.ms >= 1500 && hung.ms < 10_000, `rejected after ${hung.ms} ms`);
  assert.ok(typeof first === 'number' && first > 0, `the loss before: ${first}`);
  assert.equal(next, first, 'the step after the timeout, on a new worker, gives the same loss as before it');
  assert.equal(live, 1, 'one live worker (the replacement)');
});

test('browser parallel: a reply that arrives while the page is busy past stepTimeout is taken, not judged late', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  assert.equal(result.busyPage.name, 'none', `${result.busyPage.name}: ${result.busyPage.message}`);
  assert.ok(result.busyPage.ms >= 800, `the page was busy for ${result.busyPage.ms} ms (> stepTimeout 300 ms)`);
});

test('browser parallel: close() rejects the pending step and refuses later ones', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const { pending, later } = result.close;
  assert.ok(pending.isWorkerError && /the interpreter was closed while worker 0 was busy/.test(pending.message), pending.message);
  assert.ok(later.isWorkerError && /the interpreter is closed \(close\(\) was called\)/.test(later.message), later.message);
});

test('browser parallel: a worker script that never says ready, is not found, is not JavaScript or is on another origin fails with a WorkerError naming its URL and the fix; bad workerScript refused', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const { silent, missing, html } = result.scripts;
  assert.ok(silent.isWorkerError, silent.message);
  assert.match(silent.message, /^parallel: worker 0 did not start within \d+ ms \(startTimeout 1500 ms\); it was terminated \(worker script \/silent\.js; serve optimix's browser worker \(the package export 'optimix\/worker'/);
  assert.ok(silent.ms >= 1500 && silent.ms < 10_000, `silent: ${silent.ms} ms`);
  for (const [f, url] of [[missing, `${origin}/missing.js`], [html, '/']] as const) {
    assert.ok(f.isWorkerError, f.message);
    assert.ok(f.message.includes(`the worker script ${url} could not be loaded or run`), f.message);
    assert.match(f.message, /parallel\(\{ workerScript \}\)/);
    assert.ok(f.ms < 1500, `${url}: failed after ${f.ms} ms, before the start timeout`);
  }
  const { crossOrigin } = result.scripts;
  assert.ok(crossOrigin.isWorkerError, `${crossOrigin.name}: ${crossOrigin.message}`);
  assert.match(crossOrigin.message, /^parallel: worker 0 could not start: SecurityError: .*\(worker script http:\/\/localhost:9\/optimix-worker\.js\)$/);
  assert.equal(result.made.name, 'none', `workerScript: () => new Worker(…): ${result.made.message}`);
  assert.deepEqual([result.badOption.name, result.badOption.message], ['TypeError', 'parallel: workerScript must be a URL, a non-empty string or a function returning a Worker, got 42']);
});

test('browser parallel: no console error but the requests this test fails on purpose', () => {
  assert.ok(result?.ok, `the page failed: ${result?.error}`);
  const unexpected = consoleErrors.filter((e) => !/missing\.js|127\.0\.0\.1:\d+\/ \)|MIME type|404/.test(e));
  assert.deepEqual(unexpected, [], `console errors: ${consoleErrors.join('\n')}`);
  assert.ok(consoleErrors.length <= 2, `only the two failed loads: ${consoleErrors.join('\n')}`);
});
