// The parallel interpreter: the same numbers as sequential, bit for bit; no leaks; clear errors; clean shutdown.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { arwp, cleanGrad, cosineIncrease, disposeReplaced, disposeTree, key, mArwp, mix, mRwp, optimizer, ready, rwp, sam, sgd, step, train, type Tree } from '../src/index.js';
import { parallel, WorkerError, type ParallelInterpreter } from '../src/interpret/parallel.js';
import { loss } from './fixtures/regressionModel.js';
import { bitsEqual, regression } from './helpers/problems.js';

const model = { module: new URL('./fixtures/regressionModel.ts', import.meta.url).href, export: 'loss' };
let interp: ParallelInterpreter;

before(async () => {
  await ready();
  interp = parallel({ model });
});
after(async () => {
  await interp.close();
});

const sources = {
  sgd: cleanGrad,
  rwp: rwp(),
  mRwp: mRwp({ σ: 0.05 }),
  arwp: arwp({ steps: 10 }),
  mArwp: mArwp(),
  sam: sam(),
  'nested mix': mix(rwp({ σ: 0.02 }), mRwp(), 0.3),
  'mix of three levels': mix(mix(cleanGrad, mArwp(), 0.4, { batch: 'split' }), rwp(), 0.5),
};

for (const [name, source] of Object.entries(sources)) {
  test(`parallel = sequential, bit for bit, over 8 steps: ${name}`, async () => {
    const { params, batch } = regression(7, 6, 4, 64);
    const opt = optimizer(source, sgd(0.05, { momentum: 0.9, weightDecay: 1e-4 }));
    const a = await train(opt, loss, params, [batch], { epochs: 8, key: key(11) });
    const b = await train(opt, loss, params, [batch], { epochs: 8, key: key(11), interpreter: interp });
    assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
    assert.deepEqual(a.losses, b.losses);
    disposeTree([a.params, a.state, b.params, b.state, params, batch]);
  });
}

test('without polling (spin 0) and with two workers: still = sequential, bit for bit', async () => {
  const source = mix(mix(cleanGrad, mArwp(), 0.4, { batch: 'split' }), rwp(), 0.5);
  const { params, batch } = regression(5, 6, 4, 64);
  const opt = optimizer(source, sgd(0.05, { momentum: 0.9 }));
  const two = parallel({ model, workers: 2, spin: 0 });
  try {
    const a = await train(opt, loss, params, [batch], { epochs: 5, key: key(3) });
    const b = await train(opt, loss, params, [batch], { epochs: 5, key: key(3), interpreter: two });
    assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
    assert.deepEqual(a.losses, b.losses);
    disposeTree([a.params, a.state, b.params, b.state]);
  } finally {
    await two.close();
    disposeTree([params, batch]);
  }
});

test('the worker draws the next step\'s normals ahead: every step but the first uses them (RWP, σ scheduled, m-ARWP)', async () => {
  const { params, batch } = regression(4, 6, 4, 64);
  for (const [source, leaves] of [[rwp({ σ: cosineIncrease(0.01, 2, 6) }), 2], [mArwp(), 2]] as const) {
    const interp2 = parallel({ model });
    try {
      const opt = optimizer(source, sgd(0.05));
      const a = await train(opt, loss, params, [batch], { epochs: 6, key: key(5) });
      const b = await train(opt, loss, params, [batch], { epochs: 6, key: key(5), interpreter: interp2 });
      assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
      assert.deepEqual(interp2.noiseStats(), { drawnAhead: 5 * leaves, drawnHere: leaves });
      disposeTree([a.params, a.state, b.params, b.state]);
    } finally {
      await interp2.close();
    }
  }
  disposeTree([params, batch]);
});

test('parallel: tf.memory().numTensors is flat over 30 steps (RWP, m-ARWP)', async () => {
  for (const source of [rwp(), mArwp()]) {
    const { params, batch } = regression(8, 6, 4, 64);
    const opt = optimizer(source, sgd(0.05, { momentum: 0.9 }));
    let state = opt.init(params, key(1));
    let p: Tree = params;
    let after1 = 0;
    for (let i = 0; i < 30; i++) {
      const r = await interp.step(opt, loss, p, batch, state);
      if (p !== params) disposeReplaced(p, [r.params, r.state]);
      disposeReplaced(state, [r.state, r.params]);
      p = r.params;
      state = r.state;
      if (i === 0) after1 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, after1);
    disposeTree([p, state, params, batch]);
  }
});

test('a worker whose loss throws gives the caller a WorkerError naming the cause; inputs intact', async () => {
  const bad = parallel({ model: { ...model, export: 'broken' } });
  const { params, batch } = regression(9);
  const opt = optimizer(rwp(), sgd(0.1));
  const state = opt.init(params);
  // The main thread's loss works; the worker's (the module's `broken`) throws.
  await assert.rejects(() => Promise.resolve(bad.step(opt, loss, params, batch, state)), (e: Error) => e instanceof WorkerError && /this loss always fails/.test(e.message));
  for (const t of Object.values(params)) assert.ok(!t.isDisposed);
  await bad.close();
  disposeTree([params, batch, state]);
});

test('a model module without the named export fails clearly at the first step', async () => {
  const bad = parallel({ model: { ...model, export: 'nothing' } });
  const { params, batch } = regression(9);
  const opt = optimizer(rwp(), sgd(0.1));
  const state = opt.init(params);
  await assert.rejects(() => Promise.resolve(bad.step(opt, loss, params, batch, state)), /could not start: .*has no export 'nothing'/);
  await bad.close();
  disposeTree([params, batch, state]);
});

test('a closed interpreter refuses work; bad options are rejected', async () => {
  const p = parallel({ model });
  await p.close();
  const { params, batch } = regression(10);
  const opt = optimizer(rwp(), sgd(0.1));
  const state = opt.init(params);
  await assert.rejects(() => Promise.resolve(p.step(opt, loss, params, batch, state)), /closed/);
  assert.throws(() => parallel({ model, workers: 0 }), /workers must be an integer ≥ 1/);
  assert.throws(() => parallel({} as never), /model must be/);
  assert.throws(() => parallel({ model, spin: -1 }), /spin must be a number of milliseconds in \[0, 1000\], got -1/);
  assert.throws(() => parallel({ model, spin: NaN }), /spin must be/);
  disposeTree([params, batch, state]);
});

test('single-branch sources run on the main thread: step = sequential step', async () => {
  const { params, batch } = regression(12);
  const opt = optimizer(sam(), sgd(0.1));
  const s = opt.init(params);
  const a = step(opt, loss, params, batch, s);
  const b = await interp.step(opt, loss, params, batch, s);
  assert.ok(bitsEqual(a.params, b.params));
  disposeTree([a, b, s, params, batch]);
});
