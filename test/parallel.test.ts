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

test('the worker draws this thread\'s next normals ahead: every step uses them (RWP, σ scheduled, m-ARWP)', async () => {
  const { params, batch } = regression(4, 6, 4, 64);
  for (const [source, leaves] of [[rwp({ σ: cosineIncrease(0.01, 2, 6) }), 2], [mArwp(), 2]] as const) {
    // spin 1000: this thread waits up to 1 s for a draw on its way (on a loaded machine 20 ms can be too short).
    const interp2 = parallel({ model, spin: 1000, drawAhead: true });
    try {
      const opt = optimizer(source, sgd(0.05));
      const a = await train(opt, loss, params, [batch], { epochs: 6, key: key(5) });
      const b = await train(opt, loss, params, [batch], { epochs: 6, key: key(5), interpreter: interp2 });
      assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
      // The first step runs in the worker (this thread evaluates a loss only once a worker has); it draws the rest ahead.
      assert.deepEqual(interp2.noiseStats(), { drawnAhead: 5 * leaves, drawnHere: 0 });
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
  assert.throws(() => parallel({ model: (() => 0) as never }), /plain function.*\(1\) a model-zoo model.*\(2\).*fromModel.*\(3\).*lossFrom/);
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

const hanging = { module: new URL('./fixtures/regressionModel.ts', import.meta.url), export: 'hangIfHuge' };

test('stepTimeout: a worker that never answers is terminated (WorkerError naming it and the time) and replaced', async () => {
  const p = parallel({ model: hanging, stepTimeout: 2000 });
  const { params, batch } = regression(13, 6, 4, 16);
  const huge = { x: tf.fill([16, 6], 1e7), y: tf.zeros([16, 4]) };
  const opt = optimizer(rwp(), sgd(0.05));
  const state = opt.init(params, key(2));
  try {
    await assert.rejects(() => Promise.resolve(p.step(opt, loss, params, huge, state)), (e: Error) => e instanceof WorkerError && /worker 0 did not answer within (\d+) ms \(stepTimeout 2000 ms\); it was terminated and will be replaced/.test(e.message) && Number(/within (\d+)/.exec(e.message)?.[1]) >= 2000);
    // A new worker takes its place: the next step works, and equals sequential's.
    const a = step(opt, loss, params, batch, state);
    const b = await p.step(opt, loss, params, batch, state);
    assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
    disposeTree([a, b]);
  } finally {
    await p.close();
    disposeTree([params, batch, huge, state]);
  }
});

test('close() rejects a pending step; every step after close fails clearly (mixes and single branches)', async () => {
  const p = parallel({ model: hanging, stepTimeout: 0 });
  const { params, batch } = regression(14, 6, 4, 16);
  const huge = { x: tf.fill([16, 6], 1e7), y: tf.zeros([16, 4]) };
  const state = optimizer(rwp(), sgd(0.05)).init(params, key(2));
  disposeTree(await p.step(optimizer(rwp(), sgd(0.05)), loss, params, batch, state)); // the worker is up and evaluating
  const pending = Promise.resolve(p.step(optimizer(rwp(), sgd(0.05)), loss, params, huge, state));
  pending.catch(() => undefined); // checked below
  await new Promise((r) => setTimeout(r, 200));
  await p.close();
  await assert.rejects(pending, (e: Error) => e instanceof WorkerError && /closed/.test(e.message));
  for (const source of [rwp(), cleanGrad, sam()]) {
    const opt = optimizer(source, sgd(0.05));
    const s = opt.init(params);
    await assert.rejects(() => Promise.resolve(p.step(opt, loss, params, huge, s)), (e: Error) => e instanceof WorkerError && /closed/.test(e.message));
    disposeTree(s);
  }
  disposeTree([params, batch, huge, state]);
});

test('a loss that never returns: the step rejects, and the process exits by itself (child process)', async () => {
  const { spawnSync } = await import('node:child_process');
  const child = spawnSync(process.execPath, ['--import', 'tsx', new URL('./fixtures/hangChild.ts', import.meta.url).pathname], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.signal, null, `the child did not exit by itself: ${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /rejected after \d+ ms: WorkerError: parallel: worker 0 did not answer within \d+ ms \(stepTimeout 1000 ms\)/);
});

test('worker memory is bounded: no tensors held between steps, wasm heap unchanged from step 50 to 400 (RWP, 2 shards)', async () => {
  const p = parallel({ model, shards: 2 });
  const { params, batch } = regression(15, 6, 4, 64);
  const opt = optimizer(rwp(), sgd(0.01, { momentum: 0.9 }));
  let state = opt.init(params, key(1));
  let cur: Tree = params;
  let at50: Awaited<ReturnType<ParallelInterpreter['memory']>> = [];
  let main50 = 0;
  try {
    for (let i = 1; i <= 400; i++) {
      const r = await p.step(opt, loss, cur, batch, state);
      if (cur !== params) disposeReplaced(cur, [r.params, r.state]);
      disposeReplaced(state, [r.state, r.params]);
      cur = r.params;
      state = r.state;
      if (i === 50) [at50, main50] = [await p.memory(), tf.memory().numTensors];
    }
    const at400 = await p.memory();
    assert.equal(at400.length, 1);
    assert.equal(at400[0]?.numTensors, 0);
    assert.equal(at50[0]?.numTensors, 0);
    assert.equal(at400[0]?.wasmHeapBytes, at50[0]?.wasmHeapBytes);
    assert.equal(tf.memory().numTensors, main50);
  } finally {
    await p.close();
    disposeTree([cur, state, params, batch]);
  }
});

test('a reply that waits while this thread is busy past stepTimeout is taken, not judged late (spin 0)', async () => {
  const p = parallel({ model, stepTimeout: 1000, spin: 0 });
  const { params, batch } = regression(16, 6, 4, 32);
  const slow = (q: Tree, b: Tree): tf.Scalar => {
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      // this thread's branch takes longer than stepTimeout; the worker's does not
    }
    return loss(q, b);
  };
  const opt = optimizer(rwp(), sgd(0.05));
  try {
    const a = await train(opt, loss, params, [batch], { epochs: 2, key: key(8) });
    const b = await train(opt, slow, params, [batch], { epochs: 2, key: key(8), interpreter: p });
    assert.ok(bitsEqual(a.params, b.params), 'parameters differ');
    disposeTree([a.params, a.state, b.params, b.state]);
  } finally {
    await p.close();
    disposeTree([params, batch]);
  }
});
