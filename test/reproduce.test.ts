// The reproduction's pieces that the end-to-end run (test/demo.test.ts) does not pin down by value: the statistics,
// the goal check, the lock around timed work and the saved weights.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import { mean, median, std, welchT } from '../scripts/reproduce/stats.js';
import { goalCheck, type Comparison } from '../scripts/reproduce/summary.js';
import { withLock } from '../scripts/reproduce/lock.js';
import { paramsToJson, readParams } from '../scripts/reproduce/paramsFile.js';
import { evalEvery } from '../scripts/reproduce/runs.js';

await ready();
const dir = mkdtempSync(join(tmpdir(), 'optimix-reproduce-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('stats: mean, sample std, median and Welch t, by hand', () => {
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.equal(std([1, 2, 3]), 1);
  assert.equal(std([5]), 0);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  // a = 1,2,3 and b = 4,5,6: both variances 1, se = √(1/3 + 1/3), t = −3/se = −3.674…
  assert.ok(Math.abs(welchT([1, 2, 3], [4, 5, 6]) - -3 / Math.sqrt(2 / 3)) < 1e-12);
  assert.ok(Number.isNaN(welchT([1], [2, 3])));
  assert.ok(Number.isNaN(welchT([1, 1], [2, 2])), 'zero spread: no t');
});

test('goalCheck: each criterion of the issue at its boundary', () => {
  const base: Comparison = { method: 'rwp', acc: { mean: 70, std: 0.2, n: 3 }, vsSgd: { delta: 1, t: 2.8 }, vsSam: { delta: -0.3, t: -1 }, timeVsSgd: 1.1, timeVsSam: 0.6, stepVsSgd: 1.1, stepVsSam: 0.6 };
  assert.deepEqual(goalCheck(base), { aboveSgd: true, levelWithSam: true, fasterRuns: true, fasterSteps: true, enoughSeeds: true });
  const miss = goalCheck({ ...base, acc: { ...base.acc, n: 2 }, vsSgd: { delta: 0.99, t: 5 }, vsSam: { delta: -0.31, t: 0 }, timeVsSam: 0.61, stepVsSam: undefined });
  assert.deepEqual(miss, { aboveSgd: false, levelWithSam: false, fasterRuns: false, fasterSteps: false, enoughSeeds: false });
  assert.equal(goalCheck({ ...base, vsSgd: { delta: 3, t: 2.79 } }).aboveSgd, false, 't below 2.8');
});

test('evalEvery: evaluation points spread over the epochs', () => {
  assert.equal(evalEvery(40, 4), 10);
  assert.equal(evalEvery(15, 4), 3);
  assert.equal(evalEvery(2, 4), 1);
});

test('withLock: two holders of one lock file run one after the other; no lock file = no waiting', async () => {
  const file = join(dir, 'bench.lock');
  writeFileSync(file, '');
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const a = withLock(file, async () => {
    events.push('a start');
    await gate;
    events.push('a end');
    return 'a';
  });
  // Let a take the lock before b asks for it.
  while (events.length === 0) await new Promise((r) => setTimeout(r, 10));
  const b = withLock(file, async () => {
    events.push('b start');
    return 'b';
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(events, ['a start'], 'b waits while a holds the lock');
  const c = await withLock(file, async () => 'c', { timeoutSeconds: 1, orWithout: true });
  assert.deepEqual([c.value, c.held], ['c', false], 'orWithout: after the timeout, c runs without the lock');
  assert.deepEqual(events, ['a start'], 'b still waits');
  release();
  assert.deepEqual([(await a).value, (await b).value, (await b).held], ['a', 'b', true]);
  assert.deepEqual(events, ['a start', 'a end', 'b start']);
  assert.equal((await withLock(undefined, async () => 7)).value, 7);
  await assert.rejects(withLock(join(dir, 'no-such-dir', 'x.lock'), async () => 1), /withLock: flock .* exited/);
});

test('saved weights: paramsToJson → readParams is bit-exact, and a damaged file is refused', () => {
  const params = { 'dense/kernel': tf.tensor2d([[1.5, -2], [Math.PI, 1e-30]]), 'dense/bias': tf.tensor1d([0, -0]) };
  const file = join(dir, 'p.json');
  writeFileSync(file, paramsToJson(params));
  const back = readParams(file);
  assert.deepEqual(Object.keys(back), ['dense/kernel', 'dense/bias']);
  assert.deepEqual(back['dense/kernel']?.shape, [2, 2]);
  assert.deepEqual([...(back['dense/kernel']?.dataSync() ?? [])], [...params['dense/kernel'].dataSync()]);
  assert.ok(Object.is(back['dense/bias']?.dataSync()[1], -0));
  writeFileSync(file, JSON.stringify({ shapes: { w: [3] }, data: Buffer.from(new Float32Array([1, 2]).buffer).toString('base64') }));
  assert.throws(() => readParams(file), /leaf 'w' runs past the 2 stored values/);
  tf.dispose([params['dense/kernel'], params['dense/bias'], ...Object.values(back)]);
});
