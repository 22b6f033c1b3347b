// The playground's "Live network" view: its MNIST subset assets are exactly what scripts/playground-data.ts makes from
// the mnist package, and in Chromium a short run from the URL trains SGD,
// SAM and RWP, each one's test accuracy rising well above its epoch-0 accuracy; RWP on the worker interpreter (one
// module Web Worker) gives the same test accuracies and losses as sequential, bit for bit; the table and the curves
// show them; every tensor is freed after a run and after a stopped run; no console error, no missing file.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { key } from 'optimix';
import { decodeDataset, encodeDataset, loadMnist } from 'optimix/data';
import { DEFAULTS, parseSettings } from '../playground/src/live/settings.ts';
import { playgroundSession, type PlaygroundSession } from './helpers/playground.js';

const asset = (split: 'train' | 'test'): string => fileURLToPath(new URL(`../playground/public/mnist-${split}.bin`, import.meta.url));

test('live view data: the shipped files are loadMnist(1000 train, 500 test, key(0)), bit for bit, under 1.5 MB together', () => {
  const ref = loadMnist({ trainSize: 1000, testSize: 500, key: key(0), normalize: 'unit' });
  let total = 0;
  for (const split of ['train', 'test'] as const) {
    const bytes = new Uint8Array(readFileSync(asset(split)));
    total += statSync(asset(split)).size;
    const got = decodeDataset(bytes);
    const want = ref[split];
    assert.equal(got.n, want.n);
    assert.deepEqual(got.shape, want.shape);
    assert.deepEqual(got.y, want.y);
    assert.deepEqual(got.index, want.index);
    assert.deepEqual(got.x, want.x);
    assert.deepEqual(encodeDataset(want), bytes, `${split}: the script's output is committed as it makes it`);
  }
  assert.ok(total <= 1.5e6, `${total} bytes`);
});

test('live view settings: the query string sets what it names; each bad entry is named and keeps its default', () => {
  const ok = parseSettings('?epochs=2&methods=rwp,SGD&mixes=workers&sigma=0.02&noise=0');
  assert.deepEqual(ok.problems, []);
  assert.deepEqual({ ...ok.settings }, { ...DEFAULTS, epochs: 2, methods: ['sgd', 'rwp'], mixes: 'workers', sigma: 0.02, noise: 0 });
  const bad = parseSettings('epochs=2.5&lr=-1&methods=sgd,adam&mixes=maybe&colour=red&rho=0.1');
  assert.deepEqual(bad.problems, [
    'epochs must be an integer in [1, 200], got 2.5',
    'lr must be a number in [0.001, 1], got -1',
    "methods must list some of sgd, sam, rwp, m-rwp, got 'sgd,adam'",
    "mixes must be one of sequential, workers, both, got 'maybe'",
    "unknown setting 'colour' (known: epochs, lr, batchSize, seed, sigma, rho, noise, hidden, model, methods, mixes)",
  ]);
  assert.deepEqual({ ...bad.settings }, { ...DEFAULTS, rho: 0.1 });
  // The small CNN takes its own default ρ, unless the URL gives one.
  assert.equal(parseSettings('model=cnn').settings.rho, 0.05);
  assert.equal(parseSettings('model=cnn&rho=0.3').settings.rho, 0.3);
});

let s: PlaygroundSession | undefined;
before(async () => {
  s = await playgroundSession();
});
after(async () => {
  await s?.close();
});

/** open(query): the playground at `#live?query`, with its console errors collected into the session's. */
async function open(session: PlaygroundSession, query: string): Promise<Page> {
  const tab = await session.browser.newPage();
  tab.on('console', (m) => {
    if (m.type() === 'error') session.errors.push(`live: ${m.text()}`);
  });
  tab.on('pageerror', (e) => session.errors.push(`live: page error: ${e.message}`));
  await tab.goto(`${session.origin}/#live?${query}`);
  await tab.waitForFunction(() => document.getElementById('view-live')?.dataset.state === 'ready', undefined, { timeout: 30_000 });
  return tab;
}

interface Report {
  readonly method: string;
  readonly interpreter: string;
  readonly seconds: number;
  readonly accuracies: number[];
  readonly losses: number[];
}
const data = (tab: Page, name: string): Promise<string | undefined> => tab.evaluate((n) => document.getElementById('view-live')?.dataset[n], name);

test('live view: a 3-epoch run trains SGD, SAM and RWP (sequential and on a worker); each test accuracy rises ≥ 30 points above epoch 0; RWP on the worker = sequential bit for bit; table and curves show them; tensors freed', async () => {
  const session = s as PlaygroundSession;
  const tab = await open(session, 'epochs=3&methods=sgd,sam,rwp&mixes=both');
  await tab.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.getElementById('view-live')?.dataset.run ?? ''), undefined, { timeout: 60_000 });
  assert.equal(await data(tab, 'run'), 'done', await tab.textContent('.live-status') ?? '');
  const reports = JSON.parse((await data(tab, 'report')) ?? '[]') as Report[];
  assert.deepEqual(reports.map((r) => [r.method, r.interpreter]), [['sgd', 'sequential'], ['sam', 'sequential'], ['rwp', 'sequential'], ['rwp', 'workers: 1']]);
  for (const r of reports) {
    assert.equal(r.accuracies.length, 4, `${r.method}: epoch 0 and 3 epochs`);
    assert.ok(r.accuracies[3]! > r.accuracies[0]! + 0.3, `${r.method}: ${r.accuracies.join(', ')}`);
    assert.ok(r.seconds > 0, `${r.method}: train time ${r.seconds}`);
  }
  const [, , seq, onWorker] = reports as [Report, Report, Report, Report];
  assert.deepEqual(onWorker.accuracies, seq.accuracies);
  assert.deepEqual(onWorker.losses, seq.losses);
  assert.notDeepEqual(seq.losses, reports[0]!.losses, 'RWP is not SGD');
  // Same init for all: the epoch-0 accuracies agree.
  assert.equal(new Set(reports.map((r) => r.accuracies[0])).size, 1);
  const rows = await tab.$$eval('.live-table tbody tr', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.method, (tr as HTMLElement).dataset.interpreter, tr.querySelector('[data-final]')?.getAttribute('data-final')]));
  assert.deepEqual(rows, reports.map((r) => [r.method, r.interpreter, String(r.accuracies[3])]));
  const lines = await tab.$$eval('.live-chart .line polyline', (ps) => ps.map((p) => [p.parentElement?.getAttribute('class'), p.getAttribute('points')?.split(' ').length]));
  assert.deepEqual(lines, [['line line-sgd', 4], ['line line-sam', 4], ['line line-rwp', 4], ['line line-rwp dashed', 4]]);
  assert.equal(await data(tab, 'tensorsAtEnd'), await data(tab, 'tensorsAtStart'));
  assert.equal(await data(tab, 'shot'), 'ready');

  // Stop mid-run: the run ends at the next epoch, the table keeps what finished, and every tensor is freed again.
  await tab.fill('input[name="epochs"]', '40');
  await tab.click('.live-train');
  await tab.waitForFunction(() => /epoch [1-9]/.test(document.querySelector('.live-status')?.textContent ?? ''), undefined, { timeout: 30_000 });
  assert.equal(await tab.textContent('.live-train'), 'Stop');
  await tab.click('.live-train');
  await tab.waitForFunction(() => document.getElementById('view-live')?.dataset.run === 'stopped', undefined, { timeout: 30_000 });
  assert.match(await tab.textContent('.live-status') ?? '', /Stopped \(sgd stopped after epoch \d+\)/);
  assert.equal(await tab.textContent('.live-train'), 'Train');
  assert.equal(await data(tab, 'tensorsAtEnd'), await data(tab, 'tensorsAtStart'));
  await tab.close();
  assert.deepEqual(session.errors, []);
  assert.deepEqual(session.notFound, []);
});
