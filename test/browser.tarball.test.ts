// The published package in a user's own page (issue #15's "bundle the published package into a page of my own and
// train with it in Chromium"): optimix is built, packed and installed into a fresh project, and one page
// (test/browser/tarball/) is bundled three ways — esbuild as docs/browser.md shows it, `vite build`, and Vite's dev
// server with the config docs/browser.md gives — then run in Debian's Chromium. Each trains SGD, SAM and RWP and RWP on
// one Web Worker; the losses must equal this process's (Node, wasm) bit for bit, with no console error and no tensor left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, type Chromium } from './helpers/chromium.js';
import * as tf from '@tensorflow/tfjs-core';
import { cleanGrad, key, optimizer, ready, rwp, sam, sgd, train } from 'optimix';
import { mlp } from 'optimix/models';
import { serveStatic } from './helpers/playground.js';
import { installTarball, type Installed } from './helpers/tarball.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const pageDir = join(root, 'test/browser/tarball');
let installed: Installed | undefined;
let chromium: Chromium | undefined;
let browser: BrowserContext | undefined;
const closers: Array<() => Promise<void>> = [];

before(async () => {
  installed = await installTarball('in-a-page', ['@tensorflow/tfjs-core@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0']);
  await cp(pageDir, join(installed.app, 'src'), { recursive: true });
  chromium = await launchChromium();
  browser = chromium.browser;
});
after(async () => {
  await chromium?.close();
  for (const c of closers) await c();
  await installed?.cleanUp();
});

interface Result {
  readonly ok: boolean;
  readonly error?: string;
  readonly backend: string;
  readonly losses: Record<string, number[]>;
  readonly tensors: number;
}

/** inPage(url): open it, wait for the page's optimixResult, and return it with the console errors the page printed. */
async function inPage(url: string): Promise<{ result: Result; errors: string[] }> {
  const tab = await browser!.newPage();
  const errors: string[] = [];
  tab.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  tab.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await tab.goto(url);
  await tab.waitForFunction('"optimixResult" in globalThis', undefined, { timeout: 90_000 });
  const result = (await tab.evaluate('globalThis.optimixResult')) as Result;
  await tab.close();
  return { result, errors };
}

let expected: Promise<Record<string, number[]>> | undefined;
/** The same training in this process (Node, wasm, the sequential interpreter): what every page must print. */
const inNode = (): Promise<Record<string, number[]>> =>
  (expected ??= (async () => {
    assert.equal(await ready({ backend: 'wasm' }), 'wasm');
    const model = mlp({ inputShape: [6], hidden: [12], classes: 3 });
    const x = tf.randomNormal([64, 6], 0, 1, 'float32', 1);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 3), 'int32'), 3));
    const init = model.init(key(1));
    const batches = [0, 1, 2, 3].map((i) => ({ x: tf.slice(x, i * 16, 16), y: tf.slice(y, i * 16, 16) }));
    const losses: Record<string, number[]> = {};
    for (const [name, source] of [['SGD', cleanGrad], ['SAM', sam({ ρ: 0.05 })], ['RWP', rwp({ σ: 0.05 })]] as const) {
      const r = await train(optimizer(source, sgd(0.1, { momentum: 0.9 })), model, init, batches, { epochs: 3, key: key(7) });
      losses[name] = [...r.losses];
      tf.dispose([r.params, r.state] as never);
    }
    losses['RWP on a worker'] = losses['RWP']!;
    tf.dispose([x, y, batches, init] as never);
    return losses;
  })());

/** check(name, r): the page trained on wasm, every loss equal to Node's, nothing left, nothing printed to the console. */
async function check(name: string, { result, errors }: { result: Result; errors: string[] }): Promise<void> {
  assert.ok(result.ok, `${name}: the page failed: ${result.error}`);
  assert.equal(result.backend, 'wasm', name);
  assert.deepEqual(result.losses, await inNode(), `${name}: the losses equal Node's, bit for bit (and RWP on a worker equals RWP)`);
  assert.ok(result.losses['SGD']!.at(-1)! < result.losses['SGD']![0]!, `${name}: the loss falls`);
  assert.equal(result.tensors, 0, `${name}: tensors left`);
  assert.deepEqual(errors, [], `${name}: console errors`);
}

test('the packed package in a page bundled by esbuild (docs/browser.md): SGD, SAM, RWP and RWP on a Web Worker, bit for bit Node', async () => {
  const app = installed!.app;
  const site = join(app, 'site-esbuild');
  await mkdir(join(site, 'wasm'), { recursive: true });
  const wasm = join(app, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) await copyFile(join(wasm, f), join(site, 'wasm', f));
  const common = { bundle: true, platform: 'browser', format: 'esm', absWorkingDir: app, logLevel: 'silent' } as const;
  await esbuild({ ...common, entryPoints: ['src/esbuild.js'], outfile: join(site, 'page.js') });
  await esbuild({ ...common, entryPoints: ['node_modules/optimix/dist/interpret/browserWorker.js'], outfile: join(site, 'optimix-worker.js') });
  await writeFile(join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./page.js"></script>');
  const s = await serveStatic(site);
  closers.push(() => new Promise((r) => s.server.close(() => r())));
  await check('esbuild', await inPage(`${s.origin}/`));
});

test('the packed package in a page built by `vite build` (no config; the default worker script): bit for bit Node', async () => {
  const app = installed!.app;
  const { build } = await import('vite');
  const html = join(app, 'index.html');
  await writeFile(html, '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./src/vite.js"></script>');
  await build({ root: app, configFile: false, base: './', logLevel: 'silent', build: { outDir: join(app, 'site-vite'), target: 'es2022' } });
  const s = await serveStatic(join(app, 'site-vite'));
  closers.push(() => new Promise((r) => s.server.close(() => r())));
  await check('vite build', await inPage(`${s.origin}/`));
});

test("the packed package on Vite's dev server, with the optimizeDeps that docs/browser.md gives: bit for bit Node", async () => {
  const app = installed!.app;
  const { createServer } = await import('vite');
  const server = await createServer({ root: app, configFile: join(app, 'src/vite.config.js'), logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: false } });
  closers.push(() => server.close());
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  assert.ok(url !== undefined, 'the dev server has a URL');
  await check('vite dev', await inPage(url));
});

test("the dev-server config names every fp-ts module optimix imports (a worker's CommonJS imports are not found by Vite's scan)", async () => {
  const config = await readFile(join(pageDir, 'vite.config.js'), 'utf8');
  const docs = await readFile(join(root, 'docs/browser.md'), 'utf8');
  const used = [...new Set(execFileSync('grep', ['-rhoE', "from 'fp-ts/lib/[A-Za-z]+\\.js'", join(root, 'src')], { encoding: 'utf8' }).match(/fp-ts\/lib\/[A-Za-z]+\.js/g) ?? [])].sort();
  assert.ok(used.length > 0);
  for (const m of used) {
    assert.ok(config.includes(`'${m}'`), `test/browser/tarball/vite.config.js includes ${m}`);
    assert.ok(docs.includes(`'${m}'`), `docs/browser.md's Vite config includes ${m}`);
  }
});
