// Parallel without a hand-written worker module: zoo models, tfjs-layers models, user modules (.ts, .mjs, relative
// paths, URLs), through parallel() and train({ workers }); each bit-identical to sequential for the same key.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { disposeTree, fromModel, key, lossFrom, ModelRefError, optimizer, ready, rwp, sgd, train, workerCount } from '../src/index.js';
import { mlp } from '../src/models/index.js';
import { loss as fixtureLoss } from './fixtures/regressionModel.js';
import { bitsEqual, regression } from './helpers/problems.js';

before(async () => {
  await ready();
});

const opt = optimizer(rwp({ σ: 0.05 }), sgd(0.05, { momentum: 0.9 }));

async function sameAsSequential(model: Parameters<typeof train>[1], params: Record<string, tf.Tensor>, batch: Record<string, tf.Tensor>, epochs = 3): Promise<void> {
  const a = await train(opt, model, params, [batch], { epochs, key: key(21) });
  const b = await train(opt, model, params, [batch], { epochs, key: key(21), workers: 1 });
  assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
  assert.deepEqual(a.losses, b.losses);
  disposeTree([a.params, a.state, b.params, b.state]);
}

test('a zoo model (mlp): train({ workers: 1 }) = sequential, bit for bit', async () => {
  const model = mlp({ inputShape: [4, 4, 1], hidden: [8], classes: 3 });
  const params = model.init(key(1));
  const batch = { x: tf.randomUniform([16, 4, 4, 1], 0, 1, 'float32', 3), y: tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3) };
  await sameAsSequential(model, params, batch);
  disposeTree([params, batch]);
});

test('a user TypeScript module by URL, and by a path relative to the working directory (lossFrom)', async () => {
  const url = new URL('./fixtures/regressionModel.ts', import.meta.url);
  const rel = relative(process.cwd(), fileURLToPath(url));
  assert.ok(!rel.startsWith('/'), 'a relative path');
  for (const loss of [await lossFrom(url, { export: 'loss' }), await lossFrom(rel, { export: 'loss' }), await lossFrom(`./${rel}`, { export: 'loss' })]) {
    const { params, batch } = regression(2, 6, 4, 32);
    await sameAsSequential(loss, params, batch);
    disposeTree([params, batch]);
  }
});

test('a plain .mjs loss module', async () => {
  const loss = await lossFrom(new URL('./fixtures/userProject/loss.mjs', import.meta.url), { export: 'loss' });
  const { params, batch } = regression(3, 6, 4, 32);
  await sameAsSequential(loss, params, batch);
  disposeTree([params, batch]);
});

test('a tfjs-layers model (fromModel): its topology, weights and loss rebuilt in the worker', async () => {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [6], units: 5, activation: 'relu' }), tfl.layers.dense({ units: 3 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const adapter = fromModel(model);
  assert.ok(adapter.worker !== undefined);
  const batch = { x: tf.randomNormal([32, 6], 0, 1, 'float32', 5), y: tf.randomNormal([32, 3], 0, 1, 'float32', 6) };
  await sameAsSequential(adapter, adapter.params, batch);
  await sameAsSequential(adapter.loss, adapter.params, batch, 1);
  disposeTree([adapter.params, batch]);
  model.dispose();
});

test('a layers model whose loss is a function cannot go to workers: the error says why and what to do', async () => {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b) });
  const adapter = fromModel(model);
  assert.equal(adapter.worker, undefined);
  const batch = { x: tf.ones([4, 2]), y: tf.ones([4, 1]) };
  await assert.rejects(() => train(opt, adapter, adapter.params, [batch], { workers: 1 }), (e: Error) => e instanceof ModelRefError && /loss is a function/.test(e.message) && /lossFrom/.test(e.message));
  disposeTree([adapter.params, batch]);
  model.dispose();
});

test('a plain closure with workers: a clear error naming the three ways; workers and interpreter together refused', async () => {
  const { params, batch } = regression(4);
  const closure = (p: Record<string, tf.Tensor>, b: Record<string, tf.Tensor>) => fixtureLoss(p, b);
  await assert.rejects(
    () => train(opt, closure, params, [batch], { workers: 'auto' }),
    (e: Error) => e instanceof ModelRefError && /plain function/.test(e.message) && /\(1\) a model-zoo model/.test(e.message) && /\(2\) a tfjs-layers model through fromModel/.test(e.message) && /\(3\) your own loss module/.test(e.message),
  );
  await assert.rejects(() => train(opt, closure, params, [batch], { workers: 1, interpreter: { name: 'x', step: () => { throw new Error('no'); } } }), /either workers or interpreter/);
  await assert.rejects(() => train(opt, closure, params, [batch], { workers: 0 }), /workers must be an integer ≥ 1 or 'auto', got 0/);
  disposeTree([params, batch]);
});

test("workers: 'auto' is the free cores (availableParallelism − 1), at least 1", async () => {
  const { availableParallelism } = await import('node:os');
  assert.equal(workerCount('auto'), Math.max(1, availableParallelism() - 1));
  assert.equal(workerCount(3), 3);
});

test('a loss module that is not there: the error names the resolved URL and the working directory', async () => {
  await assert.rejects(() => lossFrom('./no/such/model.mjs'), (e: Error) => e instanceof ModelRefError && e.message.includes(process.cwd()) && /no\/such\/model\.mjs/.test(e.message));
});

test('moduleUrl: a URL, a file: URL string, an absolute path and a path relative to the working directory give one file URL', async () => {
  const { moduleUrl, toModelRef } = await import('../src/interpret/modelRef.js');
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const href = pathToFileURL(resolve(process.cwd(), 'a/model.ts')).href;
  assert.equal(moduleUrl(new URL(href)), href);
  assert.equal(moduleUrl(href), href);
  assert.equal(moduleUrl(resolve(process.cwd(), 'a/model.ts')), href);
  assert.equal(moduleUrl('a/model.ts'), href);
  assert.equal(moduleUrl('./a/model.ts'), href);
  assert.deepEqual(toModelRef({ module: './a/model.ts', export: 'loss' }, 'x'), { module: href, export: 'loss' });
  assert.deepEqual(toModelRef(mlp({ hidden: [4] }), 'x'), { zoo: mlp({ hidden: [4] }).spec });
  assert.throws(() => moduleUrl(''), /model.module must be a URL or a path/);
});
