// A new user's first hour (issue #12): every mistake gets a clear error, nothing the caller holds is disposed, nothing
// leaks; train owns what it holds on failure; a step at a non-finite loss is refused or skipped. Run on src/.
import * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as o from '../src/index.js';
import { loadMnist } from '../src/data/index.js';
import { lossSlice1D } from '../src/flatness/index.js';
import * as laws from '../src/laws/index.js';
import { mlp, smallCnn } from '../src/models/index.js';
import { lineChartSvg } from '../src/plot/index.js';
import { closest, editDistance } from '../src/validate.js';
import { afterReady, beforeReady, type Mistake } from './helpers/mistakes.js';

async function expectMistake(m: Mistake): Promise<void> {
  const before = tf.memory().numTensors;
  let thrown: unknown;
  try {
    await m.run();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof Error, `${m.name}: expected a ${m.error}, nothing was thrown`);
  assert.equal(thrown.name, m.error, `${m.name}: expected a ${m.error}, got ${thrown.name}: ${thrown.message}`);
  assert.match(thrown.message, m.message, m.name);
  assert.ok(thrown instanceof o.OptimixError, `${m.name}: an OptimixError`);
  assert.equal(tf.memory().numTensors, before, `${m.name}: no tensor leaked`);
}

// Node's test runner gives each file its own process, so this runs before anything has called ready().
test('before ready(): step, train and gradientOf say "call `await ready()` from optimix first", even after tf.ready()', async () => {
  await tf.ready(); // what tfjs's own message advises: it does not register the gradients
  for (const m of beforeReady(o, tf)) await expectMistake(m);
  await o.ready();
});

test('every mistake of the list gets its error class and message, and leaks no tensor', async () => {
  await o.ready();
  for (const m of afterReady(o, tf)) await expectMistake(m);
});

test('edit distance and the closest known key (hand-computed)', () => {
  assert.equal(editDistance('sgima', 'sigma'), 1, 'a swap of neighbours is one edit');
  assert.equal(editDistance('momentom', 'momentum'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(closest('epoch', ['epochs', 'key', 'state']), 'epochs');
  assert.equal(closest('trainsize', ['trainSize', 'testSize']), 'trainSize', 'case-insensitive');
  assert.equal(closest('zzzzzz', ['epochs', 'key']), undefined, 'nothing close: no suggestion');
});

test('unknown option keys everywhere options are taken: rules, transforms, perturbations, presets, models, data, checkpoint, ready', async () => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => o.sgd(0.1, { weightdecay: 1e-4 } as never), /did you mean 'weightDecay'\?/],
    [() => o.adamw(0.1, { weight_decay: 1e-4 } as never), /did you mean 'weightDecay'\?/],
    [() => o.rmsprop(0.1, { centred: true } as never), /did you mean 'centered'\?/],
    [() => o.scaleByAdam({ b3: 0.9 } as never), /did you mean 'b1'\?/],
    [() => o.scaleByRms({ decy: 0.9 } as never), /did you mean 'decay'\?/],
    [() => o.trace({ decay: 0.9, nestrov: true } as never), /did you mean 'nesterov'\?/],
    [() => o.adaptiveFilterNoise({ betta: 0.9 } as never), /did you mean 'beta'\?/],
    [() => o.adversarial(0.05, { adaptiv: true } as never), /did you mean 'adaptive'\?/],
    [() => o.mRwp({ batch: 'same' } as never), /mRwp: .*unknown option 'batch'/s],
    [() => o.arwp({ steps: 10, inc: 15, lamda: 0.5 } as never), /unknown option 'lamda'/],
    [() => o.arwp({ steps: 10, λ: 0.5 }), /λ \(lambda\) is not an option of arwp, which uses the perturbed gradient only; mArwp mixes it/],
    [() => o.mArwp({ lamda: 0.5 } as never), /did you mean 'lambda'\?/],
    [() => o.asam({ eat: 0.01 } as never), /did you mean 'eta'\?/],
    [() => mlp({ hiden: [8] } as never), /mlp: .*did you mean 'hidden'\?/s],
    [() => smallCnn({ channel: [4] } as never), /did you mean 'channels'\?/],
    [() => loadMnist({ trainsize: 10 } as never), /unknown option 'trainsize'; did you mean 'trainSize'\?/],
    [() => o.registerWasmGradientKernels({ fastConv: true } as never), /unknown option 'fastConv'/],
    [() => laws.noLeak(o.sgd(0.1), 10, { warmUp: 1 } as never), /noLeak: .*unknown option 'warmUp'; did you mean 'warmup'\?/s],
    [() => laws.equivalent(o.sgd(0.1), o.sgd(0.1), { tolerence: 'exact' } as never), /did you mean 'tolerance'\?/],
    [() => laws.descendsOnQuadratic(o.sgd(0.1), { learningrate: 0.1 } as never), /did you mean 'learningRate'\?/],
    [() => laws.mixIsLinear(o.cleanGrad, o.rwp(), { rtl: 1e-3 } as never), /did you mean 'rtol'\?/],
    [() => lineChartSvg({ titel: 'x', series: [] } as never), /^lineChartSvg: invalid options:\n {2}- unknown option 'titel'; did you mean 'title'\?$/],
  ];
  for (const [f, re] of cases) assert.throws(f, (e: Error) => re.test(e.message), String(f));
  await assert.rejects(o.ready({ backnd: 'cpu' } as never), /did you mean 'backend'\?/);
  const p = { w: tf.ones([2]) };
  assert.throws(() => lossSlice1D((q) => tf.sum(q['w'] as tf.Tensor) as tf.Scalar, p, {}, { spans: 1 } as never), /did you mean 'span'\?/);
  assert.throws(() => o.gradientOf(o.cleanGrad, (q) => tf.sum(q['w'] as tf.Tensor) as tf.Scalar, p, {}, { seed: 1 } as never), /gradientOf: .*unknown option 'seed'/s);
  const opt = o.optimizer(o.cleanGrad, o.sgd(0.1));
  assert.throws(() => o.serialize({ params: p, state: opt.init(p), optimizer: opt } as never), /unknown option 'optimizer'/);
  o.disposeTree(p);
  // The Either API collects the unknown key with the other problems.
  const v = o.safe.sgd(-1, { momentun: 2 } as never);
  assert.ok(E.isLeft(v) && v.left.length === 2 && v.left.some((m) => /did you mean 'momentum'/.test(m)), JSON.stringify(v));
});

test("train owns what it holds: a step that throws leaks nothing (sgd, momentum, adam; first step, later step, onStep)", async () => {
  await o.ready();
  const make = () => ({ w: tf.fill([3, 2], 0.5), b: tf.zeros([2]) });
  const batch = { x: tf.ones([4, 3]), y: tf.zeros([4, 2]) };
  const data = [batch, batch, batch];
  const short = [batch, { x: batch.x, y: tf.slice(batch.y, 0, 3) }]; // its second batch has 3 rows of y for 4 of x
  const lossFailingAt = (k: number): o.LossFn => {
    let calls = 0;
    return (p, b) => {
      if (calls++ === k) throw new Error('user loss failed');
      return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['w'] as tf.Tensor2D), p['b'] as tf.Tensor), b['y'] as tf.Tensor))));
    };
  };
  const good = lossFailingAt(-1);
  for (const rule of [() => o.sgd(0.1), () => o.sgd(0.1, { momentum: 0.9 }), () => o.adam(0.01)]) {
    const params = make();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      for (const k of [0, 2]) await assert.rejects(o.train(o.optimizer(o.cleanGrad, rule()), lossFailingAt(k), params, data), /user loss failed/);
      await assert.rejects(o.train(o.optimizer(o.cleanGrad, rule()), good, params, data, { onStep: ({ step }) => { if (step === 1) throw new Error('onStep failed'); } }), /onStep failed/);
      await assert.rejects(o.train(o.optimizer(o.cleanGrad, rule()), good, params, short), /different numbers of examples/);
    }
    assert.equal(tf.memory().numTensors, before, 'flat: +0 tensors per failed call');
    for (const n of Object.keys(params)) assert.ok(!(params[n as 'w'] as tf.Tensor).isDisposed, 'the caller\'s params are never disposed');
    o.disposeTree(params);
  }
  o.disposeTree([batch, short]);
});

test('a failing train leaves a given state to the caller, untouched, when it fails before replacing it', async () => {
  await o.ready();
  const params = { w: tf.ones([2]) };
  const opt = o.optimizer(o.cleanGrad, o.sgd(0.1, { momentum: 0.9 }));
  const state = opt.init(params);
  await assert.rejects(o.train(opt, () => { throw new Error('boom'); }, params, [{ x: tf.ones([1]) }], { state }), /boom/);
  for (const t of o.tensorsOf(state)) assert.ok(!t.isDisposed);
  o.disposeTree([params, state]);
});

test('a tensor, an array or undefined where a batch or the data was expected: a BatchError saying which', async () => {
  await o.ready();
  const params = { w: tf.ones([2]) };
  const x = tf.ones([4, 2]);
  const opt = o.optimizer(o.cleanGrad, o.sgd(0.1));
  const s = opt.init(params);
  const loss: o.LossFn = (p) => tf.sum(p['w'] as tf.Tensor) as tf.Scalar;
  assert.throws(() => o.step(opt, loss, params, x as never, s), (e: Error) => e instanceof o.BatchError && /batch must be one batch, a named tree of tensors such as \{ x, y \}, got a tensor/.test(e.message));
  assert.throws(() => o.step(opt, loss, params, [{ x }] as never, s), /got an array \(a list of batches\? step takes one batch/);
  await assert.rejects(o.train(opt, loss, params, x as never), /data must be an iterable of batches or a function epoch => batches, got a tensor/);
  await assert.rejects(o.train(opt, loss, params, undefined as never), /data must be an iterable of batches .*, got undefined/);
  await assert.rejects(o.train(opt, loss, params, () => ({ x }) as never), /data\(0\) must be an iterable of batches .* got a single batch/);
  o.disposeTree([params, x, s]);
});

test('train and step check what they will call, chain checks its members, params must be named', async () => {
  await o.ready();
  const params = { w: tf.ones([2]) };
  const opt = o.optimizer(o.cleanGrad, o.sgd(0.1));
  const loss: o.LossFn = (p) => tf.sum(p['w'] as tf.Tensor) as tf.Scalar;
  const before = tf.memory().numTensors;
  await assert.rejects(o.train(opt, 'mse' as never, params, []), /^HyperparameterError: train: invalid arguments:\n {2}- loss must be a function \(params, batch\) => scalar tensor or a model with a loss, got "mse"$/);
  await assert.rejects(o.train(opt, loss, params, [], { interpreter: 'parallel' as never, onStep: 1 as never }), (e: Error) => /interpreter must be sequential or parallel/.test(e.message) && /onStep must be a function, got number/.test(e.message));
  assert.throws(() => o.step(opt, undefined as never, params, {}, opt.init(params)), /step: loss must be a function/);
  assert.throws(() => o.chain(o.sgd(0.1), 5 as never), /chain: argument 2 must be a gradient transformation \{ init, update \}, got 5/);
  assert.throws(() => opt.init([params.w] as never), /init: invalid parameters:\n {2}- params must be a named tree of tensors, got an array \(name the tensors: \{ w, b \}\)/);
  assert.throws(() => o.step(opt, loss, params, { x: [[1, 2]] } as never, opt.init(params)), /batch\['x'\] is not a tensor \(got an array; make it one with tf\.tensor\(…\)\)/);
  assert.equal(tf.memory().numTensors, before);
  o.disposeTree(params);
});

test('epochs: 0 and empty data return copies of the params, never the caller\'s tensors', async () => {
  await o.ready();
  const params = { w: tf.tensor1d([1, 2]) };
  const opt = o.optimizer(o.cleanGrad, o.sgd(0.1));
  const loss: o.LossFn = (p) => tf.sum(p['w'] as tf.Tensor) as tf.Scalar;
  for (const [data, epochs] of [[[{ x: tf.ones([1]) }], 0], [[], 3], [() => [], 2]] as const) {
    const r = await o.train(opt, loss, params, data as o.TrainData, { epochs });
    assert.notEqual(r.params, params);
    assert.notEqual(r.params['w'], params['w']);
    assert.deepEqual(Array.from((r.params['w'] as tf.Tensor).dataSync()), [1, 2]);
    assert.deepEqual(r.losses, []);
    o.disposeTree([r.params, r.state]);
    assert.ok(!(params['w'] as tf.Tensor).isDisposed, 'disposing the result leaves the caller\'s params alive');
    for (const b of Array.isArray(data) ? data : []) o.disposeTree(b);
  }
  o.disposeTree(params);
});

test('a non-finite loss with a finite gradient is skipped (and counted) under applyIfFinite; ±Inf is refused like NaN', async () => {
  await o.ready();
  const params = { w: tf.tensor1d([1, 2]) };
  const nanLoss: o.LossFn = (p) => tf.add(tf.sum(p['w'] as tf.Tensor), NaN) as tf.Scalar;
  const infLoss: o.LossFn = (p) => tf.add(tf.sum(p['w'] as tf.Tensor), Infinity) as tf.Scalar;
  const plain = o.optimizer(o.cleanGrad, o.sgd(0.1));
  const s0 = plain.init(params);
  assert.throws(() => o.step(plain, infLoss, params, {}, s0), (e: Error) => e instanceof o.NonFiniteError && /the loss is Infinity at step 0/.test(e.message));
  const guarded = o.optimizer(o.cleanGrad, o.applyIfFinite(o.sgd(0.1, { momentum: 0.9 })));
  const s = guarded.init(params);
  const r = o.step(guarded, nanLoss, params, {}, s);
  assert.deepEqual(Array.from((r.params['w'] as tf.Tensor).dataSync()), [1, 2], 'the step is skipped');
  assert.equal((r.state.transform as o.ApplyIfFiniteState).skipped, 1);
  assert.ok(Number.isNaN(r.value));
  o.disposeTree([params, s0, s, r.params, r.state]);
});

test('a state check names the problem before any gradient: a missing parameter, a param the state lacks, another rule', async () => {
  await o.ready();
  const params = { w: tf.ones([2, 2]), b: tf.zeros([2]) };
  let lossCalls = 0;
  const loss: o.LossFn = (p) => {
    lossCalls++;
    return tf.sum(tf.add(p['w'] as tf.Tensor, p['b'] as tf.Tensor)) as tf.Scalar;
  };
  const adamOpt = o.optimizer(o.cleanGrad, o.adam(0.01));
  const sgdOpt = o.optimizer(o.cleanGrad, o.sgd(0.1));
  const momentum = o.optimizer(o.cleanGrad, o.sgd(0.1, { momentum: 0.9 }));
  const sAdam = adamOpt.init(params);
  const sSgd = sgdOpt.init(params);
  const sW = momentum.init({ w: params.w });
  // adam's state given to plain sgd (whose own state is only a count): the extra parts are named.
  assert.throws(() => o.step(sgdOpt, loss, params, {}, sAdam), (e: Error) => e instanceof o.StateError && e instanceof o.StructureError && /state\.transform\/0\/mu is not part of this optimizer's state/.test(e.message));
  // sgd's state given to adam: what adam needs is missing.
  assert.throws(() => o.step(adamOpt, loss, params, {}, sSgd), /state\.transform\/0\/mu is missing \(expected object\)/);
  // a state made for { w } given with params { w, b }: b's momentum is missing.
  assert.throws(() => o.step(momentum, loss, params, {}, sW), /state\.transform\/0\/momentum\/b is missing \(expected float32\[2\]\)/);
  // adam's state for { w, b } given with params { w }: b is named, and the user's loss (which reads p.b) never ran.
  assert.throws(() => o.step(adamOpt, loss, { w: params.w }, {}, sAdam), /state\.transform\/0\/mu\/b is a state for a parameter 'b' that the params do not have \(params: 'w'\)/);
  assert.equal(lossCalls, 0, 'every check ran before the loss');
  // A rule whose state starts empty and grows (a history buffer) is still accepted.
  const hoarder: o.GradientTransformation<readonly o.State[]> = { init: () => [], update: (u, st) => [o.map(u, (x) => tf.neg(x)), [...st, st.length]] };
  const h = o.optimizer(o.cleanGrad, hoarder);
  const r1 = o.step(h, loss, params, {}, h.init(params));
  const r2 = o.step(h, loss, r1.params, {}, r1.state);
  assert.deepEqual(r2.state.transform, [0, 1]);
  o.disposeTree([params, sAdam, sSgd, sW, r1, r2]);
});

test('save removes a temporary file left by a save that was killed mid-write, and keeps a live process\'s', async () => {
  await o.ready();
  const dir = await mkdtemp(join(tmpdir(), 'optimix-stale-'));
  try {
    const params = { w: tf.ones([2]) };
    const opt = o.optimizer(o.cleanGrad, o.sgd(0.1));
    const state = opt.init(params);
    await o.save(dir, { params, state, opt });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout; // a pid that has exited
    const stale = [`${o.MANIFEST_FILE}.tmp-${dead}-0badf00d`, `weights-00000000-11111111.bin.tmp-${dead}-deadbeef`];
    const live = `${o.MANIFEST_FILE}.tmp-${process.pid}-12345678`;
    for (const f of [...stale, live]) await writeFile(join(dir, f), 'partial');
    await o.save(dir, { params, state, opt });
    const files = await readdir(dir);
    for (const f of stale) assert.ok(!files.includes(f), `${f} removed`);
    assert.ok(files.includes(live), 'a temporary file of a running process (a save in progress) is kept');
    const loaded = await o.load(dir, { params, opt });
    o.disposeTree([params, state, loaded.params, loaded.state]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the checkpoint checksum: an untouched manifest loads, any edit is detected, a missing checksum is named', async () => {
  await o.ready();
  const params = { w: tf.ones([2]) };
  const opt = o.optimizer(o.cleanGrad, o.sgd(0.1, { momentum: 0.9 }));
  const state = opt.init(params);
  const { manifest, weights } = o.serialize({ params, state, opt, meta: { epoch: 3 } });
  const json = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  const ok = o.deserialize(json, weights);
  assert.equal(ok.state.count, 0);
  assert.throws(() => o.deserialize({ ...json, meta: { epoch: 4 } }, weights), /the manifest was edited or is corrupt/);
  const { checksum: _, ...bare } = json;
  assert.throws(() => o.deserialize(bare, weights), /the manifest has no checksum/);
  o.disposeTree([params, state, ok.params, ok.state]);
});

test("asTfOptimizer: model.dispose() leaves the adapter's state alive; tfOpt.dispose() frees it (docs/layers.md)", async () => {
  await o.ready();
  const tfl = await import('@tensorflow/tfjs-layers');
  const x = tf.ones([8, 4]);
  const y = tf.zeros([8, 3]);
  const before = tf.memory().numTensors;
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'ones' })] });
  const tfOpt = o.asTfOptimizer(o.optimizer(o.rwp(), o.sgd(0.1, { momentum: 0.9 })));
  model.compile({ optimizer: tfOpt, loss: 'meanSquaredError' });
  await model.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
  model.dispose();
  const stateTensors = o.tensorsOf(tfOpt.state).size;
  assert.equal(stateTensors, 2, 'momentum for the kernel and the bias');
  assert.ok(tf.memory().numTensors >= before + stateTensors, 'the state outlives the model');
  const held = tf.memory().numTensors;
  tfOpt.dispose();
  assert.equal(tf.memory().numTensors, held - stateTensors, 'dispose() frees the state');
  o.disposeTree([x, y]);
});
