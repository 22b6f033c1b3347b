// Batch shards: every method on all threads. Per-shard gradients weighted by shard size and summed in shard order:
// deterministic for a shard count, equal to the full batch's up to rounding, and exactly the hand-composed sum.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyGradients, arwp, cleanGrad, disposeReplaced, disposeTree, key, mRwp, optimizer, ready, rwp, sam, sgd, train, valueAndGrad, type Tree } from '../src/index.js';
import { parallel, type ParallelInterpreter } from '../src/interpret/parallel.js';
import { shardBatch } from '../src/interpret/shardBatch.js';
import { loss } from './fixtures/regressionModel.js';
import { bitsEqual, maxRelDiff, regression } from './helpers/problems.js';

const model = { module: new URL('./fixtures/regressionModel.ts', import.meta.url), export: 'loss' };
let two: ParallelInterpreter;

before(async () => {
  await ready();
  two = parallel({ model, shards: 2 });
});
after(async () => {
  await two.close();
});

test('shardBatch: contiguous shards, the first n mod k one longer, weights nᵢ/n; never more shards than examples', () => {
  const batch = { x: tf.tensor2d([[0], [1], [2], [3], [4]]) };
  const shards = shardBatch(batch, 2);
  assert.deepEqual(shards.map((s) => Array.from((s.batch['x'] as tf.Tensor).dataSync())), [[0, 1, 2], [3, 4]]);
  assert.deepEqual(shards.map((s) => s.weight), [3 / 5, 2 / 5]);
  assert.equal(shardBatch(batch, 9).length, 5);
  disposeTree([batch, shards.map((s) => s.batch)]);
});

test('SGD on 2 shards = 0.5·∇L(B₁) + 0.5·∇L(B₂) composed by hand, bit for bit; ≈ the full batch', async () => {
  const { params, batch } = regression(31, 6, 4, 64);
  const opt = optimizer(cleanGrad, sgd(0.1));
  const state = opt.init(params, key(1));
  const r = await two.step(opt, loss, params, batch, state); // the first step: both shards in the worker
  const r2 = await two.step(opt, loss, params, batch, state); // then one here, one in the worker
  const [b1, b2] = shardBatch(batch, 2).map((s) => s.batch) as [Tree, Tree];
  const g1 = valueAndGrad(loss, params, b1);
  const g2 = valueAndGrad(loss, params, b2);
  const g = Object.fromEntries(Object.keys(params).map((n) => [n, tf.add(tf.mul(g1.grads[n] as tf.Tensor, 0.5), tf.mul(g2.grads[n] as tf.Tensor, 0.5))]));
  const byHand = applyGradients(opt, g, state, params);
  assert.ok(bitsEqual(r.params, byHand.params), 'first step differs from the hand-composed sum');
  assert.ok(bitsEqual(r2.params, byHand.params), 'second step differs from the hand-composed sum');
  const full = applyGradients(opt, valueAndGrad(loss, params, batch).grads, state, params);
  assert.ok(maxRelDiff(r.params, full.params) < 1e-5, 'far from the full batch');
  disposeTree([r, r2, b1, b2, g1, g2, g, byHand, full, state, params, batch]);
});

for (const [name, source] of Object.entries({ sgd: cleanGrad, rwp: rwp({ σ: 0.05 }), mRwp: mRwp(), arwp: arwp({ steps: 5 }), sam: sam() })) {
  test(`2 shards, ${name}: the same run twice (deterministic), near the unsharded run over 5 steps`, async () => {
    const { params, batch } = regression(32, 6, 4, 64);
    const opt = optimizer(source, sgd(0.05, { momentum: 0.9 }));
    const a = await train(opt, loss, params, [batch], { epochs: 5, key: key(4), interpreter: two });
    const b = await train(opt, loss, params, [batch], { epochs: 5, key: key(4), interpreter: two });
    const c = await train(opt, loss, params, [batch], { epochs: 5, key: key(4) });
    assert.ok(bitsEqual(a.params, b.params), 'two runs differ');
    assert.deepEqual(a.losses, b.losses);
    // SAM's ε comes from each shard's own gradient (as in data-parallel SAM), so it moves further than rounding.
    assert.ok(maxRelDiff(a.params, c.params) < (name === 'sam' ? 1e-2 : 1e-4), `far from unsharded: ${maxRelDiff(a.params, c.params)}`);
    disposeTree([a.params, a.state, b.params, b.state, c.params, c.state, params, batch]);
  });
}

test("shards: 'auto' gives every thread work (SGD on 2 threads: 2 shards; RWP: 1 shard, = sequential bit for bit)", async () => {
  const auto = parallel({ model, shards: 'auto' });
  try {
    const { params, batch } = regression(33, 6, 4, 64);
    for (const [source, exact] of [[cleanGrad, false], [rwp(), true]] as const) {
      const opt = optimizer(source, sgd(0.05));
      const a = await train(opt, loss, params, [batch], { epochs: 3, key: key(5), interpreter: auto });
      const b = await train(opt, loss, params, [batch], { epochs: 3, key: key(5), interpreter: exact ? undefined : two });
      assert.ok(bitsEqual(a.params, b.params), `${exact ? 'sequential' : '2 shards'} differs`);
      disposeTree([a.params, a.state, b.params, b.state]);
    }
    disposeTree([params, batch]);
  } finally {
    await auto.close();
  }
});

test('sharded: tf.memory().numTensors is flat over 20 steps (SGD, ARWP)', async () => {
  for (const source of [cleanGrad, arwp({ steps: 5 })]) {
    const { params, batch } = regression(34, 6, 4, 64);
    const opt = optimizer(source, sgd(0.05, { momentum: 0.9 }));
    let state = opt.init(params, key(1));
    let p: Tree = params;
    let after1 = 0;
    for (let i = 0; i < 20; i++) {
      const r = await two.step(opt, loss, p, batch, state);
      if (p !== params) disposeReplaced(p, [r.params, r.state]);
      disposeReplaced(state, [r.state, r.params]);
      p = r.params;
      state = r.state;
      if (i === 1) after1 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, after1);
    disposeTree([p, state, params, batch]);
  }
});

test('bad shards option: a clear error', () => {
  assert.throws(() => parallel({ model, shards: 0 }), /shards must be an integer ≥ 1 or 'auto', got 0/);
  assert.throws(() => parallel({ model, shards: 1.5 }), /shards must be/);
});
