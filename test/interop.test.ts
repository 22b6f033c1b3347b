import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ready } from '../src/backend.js';
import { key } from '../src/random.js';
import { disposeTree, type Tree } from '../src/tree.js';
import type { Batch } from '../src/model.js';
import { optimizer, step, type Optimizer } from '../src/optimizer.js';
import { train } from '../src/train.js';
import { sgd, adam } from '../src/transform/index.js';
import { arwp, cleanGrad, mRwp, rwp, sam } from '../src/source/index.js';
import { StructureError } from '../src/errors.js';
import { asTfOptimizer, fromModel, InteropError, OptimixTfOptimizer, variableLoss } from '../src/interop/index.js';

await ready({ backend: 'wasm' });

const N = 32;
const BATCH = 8;
const x = tf.randomNormal([N, 4], 0, 1, 'float32', 3);
const y = tf.randomNormal([N, 3], 0, 1, 'float32', 4);
/** The batches `fit(x, y, { batchSize: 8, shuffle: false })` makes, as optimix batches (borrowed by train). */
const batches: Batch[] = Array.from({ length: N / BATCH }, (_, i) => ({ x: tf.slice(x, i * BATCH, BATCH), y: tf.slice(y, i * BATCH, BATCH) }));

const makeModel = (regularize = false): tfl.Sequential =>
  tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 8, inputShape: [4], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), ...(regularize ? { kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }) } : {}) }),
      tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });

const bytes = (t: tf.Tensor): Buffer => {
  const d = t.dataSync() as Float32Array;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};
/** Every trainable weight of the model equals the same-named leaf of params, bit for bit. */
const assertModelEquals = (model: tfl.LayersModel, params: Tree, what: string): void => {
  assert.deepEqual(model.trainableWeights.map((w) => w.name).sort(), Object.keys(params).sort(), `${what}: names`);
  for (const w of model.trainableWeights) assert.ok(bytes(w.read()).equals(bytes(params[w.name] as tf.Tensor)), `${what}: '${w.name}' differs`);
};

const sources: Record<string, () => Optimizer> = {
  rwp: () => optimizer(rwp({ sigma: 0.05 }), sgd(0.1, { momentum: 0.9, weightDecay: 1e-3 })),
  sam: () => optimizer(sam({ rho: 0.05 }), sgd(0.1, { momentum: 0.9 })),
  arwp: () => optimizer(arwp({ sigma: 0.05, steps: 12 }), sgd(0.1, { momentum: 0.9 })),
  adam: () => optimizer(cleanGrad, adam(0.01)),
};

test('fit with asTfOptimizer(optimizer(rwp, sgd)) reaches bitwise the weights of train with the same key and batches', async () => {
  for (const [name, make] of Object.entries(sources)) {
    const model = makeModel(name === 'rwp');
    const opt = make();
    const tfOpt = asTfOptimizer(opt, { key: key(5) });
    model.compile({ optimizer: tfOpt, loss: 'meanSquaredError', metrics: ['mse'] });
    const fm = fromModel(model); // copies of the initial weights, and the compiled loss as a LossFn
    const logged: number[] = [];
    const onBatchEnd = async (_: number, logs?: tfl.Logs): Promise<void> => void logged.push(logs?.['loss'] as number);
    await model.fit(x, y, { batchSize: BATCH, epochs: 3, shuffle: false, verbose: 0, callbacks: { onBatchEnd } });
    const r = await train(opt, fm.loss, fm.params, batches, { epochs: 3, key: key(5) });
    assertModelEquals(model, r.params, name);
    assert.deepEqual(logged, r.losses, `${name}: the loss fit logs for each batch is the loss train reports`);
    assert.equal(tfOpt.iterations, 12);
    assert.equal(tfOpt.state?.count, 12);
    disposeTree([r.params, r.state, fm.params]);
    tfOpt.dispose();
    model.dispose();
  }
});

test('fit keeps tf.memory().numTensors flat across epochs with metrics compiled (the extra evaluations\' metric values are freed)', async () => {
  for (const make of [sources['rwp']!, sources['sam']!]) {
    const model = makeModel();
    const tfOpt = asTfOptimizer(make(), { key: key(1) });
    model.compile({ optimizer: tfOpt, loss: 'meanSquaredError', metrics: ['mse', 'mae'] });
    await model.fit(x, y, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
    const after1 = tf.memory().numTensors;
    await model.fit(x, y, { batchSize: BATCH, epochs: 3, shuffle: false, verbose: 0 });
    assert.equal(tf.memory().numTensors, after1);
    tfOpt.dispose();
    model.dispose();
  }
});

test('a perturbed evaluation assigns w + ε to the variables and then re-assigns the saved tensors exactly', () => {
  const model = makeModel();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const names = vars.map((v) => v.name);
  const before = vars.map(bytes);
  const original: Tree = Object.fromEntries(vars.map((v) => [v.name, tf.clone(v)]));
  const f = (): tf.Scalar => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar;
  const loss = variableLoss(f, vars, names, original);
  const perturbed: Tree = Object.fromEntries(vars.map((v) => [v.name, tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', 9))]));
  const fm = fromModel(model, { loss: (yt, yp) => tf.mean(tf.square(tf.sub(yp, yt))) });
  const viaVariables = tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, xs[i] as tf.Tensor])), {}))(names.map((n) => perturbed[n] as tf.Tensor)));
  const direct = tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => fm.loss(Object.fromEntries(names.map((n, i) => [n, xs[i] as tf.Tensor])), { x, y }))(names.map((n) => perturbed[n] as tf.Tensor)));
  vars.forEach((v, i) => assert.ok(bytes(v).equals(before[i] as Buffer), `${v.name} was not restored exactly`));
  viaVariables.forEach((g, i) => assert.ok(bytes(g).equals(bytes(direct[i] as tf.Tensor)), `gradient of ${names[i]}`));
  disposeTree([original, perturbed, viaVariables, direct, fm.params]);
  model.dispose();
});

test('only src/interop touches tfjs-layers, and only through objects the user passes in (no import but in a parallel worker\'s rebuildLayers)', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const files = (await readdir(new URL('../src/', import.meta.url), { recursive: true })).filter((f) => f.endsWith('.ts') && f !== 'interop/rebuildLayers.ts');
  for (const f of files) {
    const text = await readFile(new URL(`../src/${f}`, import.meta.url), 'utf8');
    assert.doesNotMatch(text, /from '@tensorflow\/tfjs-layers'|import\('@tensorflow\/tfjs-layers'\)|require\('@tensorflow\/tfjs-layers'\)/, f);
  }
});

test('sources that split the batch are refused with a clear error', () => {
  assert.throws(() => asTfOptimizer(optimizer(mRwp(), sgd(0.1))), (e: unknown) => e instanceof InteropError && /splits the batch/.test(e.message) && /fromModel/.test(e.message));
});

test('fromModel: copies keyed by variable name, a loss that leaves the model untouched, setWeights by name', () => {
  const model = makeModel();
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const fm = fromModel(model);
  assert.deepEqual(Object.keys(fm.params), model.trainableWeights.map((w) => w.name));
  for (const w of model.trainableWeights) assert.notEqual(fm.params[w.name], w.read());
  const before = model.trainableWeights.map((w) => bytes(w.read()));
  const opt = sources['rwp']!();
  const r = step(opt, fm.loss, fm.params, batches[0] as Batch, opt.init(fm.params, key(2)));
  model.trainableWeights.forEach((w, i) => assert.ok(bytes(w.read()).equals(before[i] as Buffer), 'the loss does not change the model'));
  fm.setWeights(r.params);
  assertModelEquals(model, r.params, 'setWeights');
  const { [fm.names[0] as string]: _dropped, ...missing } = r.params;
  assert.throws(() => fm.setWeights(missing), (e: unknown) => e instanceof StructureError && e.message.includes(`has no leaf '${fm.names[0]}'`));
  assert.throws(() => fromModel(makeModel()), (e: unknown) => e instanceof InteropError && /no compiled loss/.test(e.message));
  disposeTree([fm.params, r.params, r.state]);
  model.dispose();
});

test('getWeights/setWeights carry the state: a fit resumed by a fresh optimizer equals the uninterrupted fit', async () => {
  // One model throughout: RWP's noise is keyed by parameter name, and a second model would get other variable names.
  const model = makeModel();
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const fm = fromModel(model);
  const whole = asTfOptimizer(sources['rwp']!(), { key: key(3) });
  model.compile({ optimizer: whole, loss: 'meanSquaredError' });
  await model.fit(x, y, { batchSize: BATCH, epochs: 3, shuffle: false, verbose: 0 });
  const uninterrupted: Tree = Object.fromEntries(model.trainableWeights.map((w) => [w.name, tf.clone(w.read())]));

  fm.setWeights(fm.params); // back to the initial weights
  const first = asTfOptimizer(sources['rwp']!(), { key: key(3) });
  model.compile({ optimizer: first, loss: 'meanSquaredError' });
  await model.fit(x, y, { batchSize: BATCH, epochs: 2, shuffle: false, verbose: 0 });
  const second = asTfOptimizer(sources['rwp']!()); // another key: the saved state's key wins
  await second.setWeights(await first.getWeights());
  first.dispose();
  model.compile({ optimizer: second, loss: 'meanSquaredError' });
  await model.fit(x, y, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
  assert.equal(second.iterations, 12);
  assertModelEquals(model, uninterrupted, 'resumed fit');

  // A state of another rule is refused on first use, naming the differences.
  const wrong = asTfOptimizer(sources['rwp']!());
  wrong.setState(sources['adam']!().init(fm.params));
  model.compile({ optimizer: wrong, loss: 'meanSquaredError' });
  await assert.rejects(model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 }), (e: unknown) => e instanceof InteropError && /does not fit/.test(e.message) && /missing state\.transform\[1\]\.momentum/.test(e.message));
  wrong.dispose();
  disposeTree([uninterrupted, fm.params]);
  whole.dispose();
  second.dispose();
  model.dispose();
});

test('applyGradients works for cleanGrad and is refused for perturbed sources; loss: "clean" reports L(w)', async () => {
  const model = makeModel();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const plain = asTfOptimizer(optimizer(cleanGrad, sgd(0.5)));
  const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
  const before = vars.map((v) => (v.dataSync() as Float32Array)[0] as number);
  plain.applyGradients(grads);
  vars.forEach((v, i) => assert.ok(Math.abs(((v.dataSync() as Float32Array)[0] as number) - ((before[i] as number) - 0.5)) < 1e-6));
  assert.throws(() => asTfOptimizer(sources['rwp']!()).applyGradients(grads), (e: unknown) => e instanceof InteropError && /call minimize/.test(e.message));
  disposeTree(grads.map((g) => g.tensor));
  plain.dispose();

  const tfOpt = asTfOptimizer(sources['arwp']!(), { loss: 'clean' });
  model.compile({ optimizer: tfOpt, loss: 'meanSquaredError' });
  const fm = fromModel(model);
  const clean = fm.loss(fm.params, batches[0] as Batch);
  const h = await model.fit(batches[0]!['x'] as tf.Tensor, batches[0]!['y'] as tf.Tensor, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
  assert.equal(h.history['loss']?.[0], (clean.dataSync() as Float32Array)[0]);
  disposeTree([clean, fm.params]);
  tfOpt.dispose();
  model.dispose();
});

test('model.save({ includeOptimizer: true }) stores the state; loadLayersModel rebuilds the optimizer from its config, or, when a part cannot be saved, gets a placeholder that refuses to train until recompiled', async () => {
  for (const savable of [true, false]) {
    const model = makeModel();
    const rule = savable ? sgd(0.1, { momentum: 0.9, weightDecay: 1e-3 }) : sgd((t: number) => 0.1 / (1 + t), { momentum: 0.9, weightDecay: 1e-3 });
    const tfOpt = asTfOptimizer(optimizer(rwp({ sigma: 0.05 }), rule), { key: key(4) });
    model.compile({ optimizer: tfOpt, loss: 'meanSquaredError' });
    await model.fit(x, y, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save({ save: async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) }, { includeOptimizer: true });
    assert.equal((artifacts?.trainingConfig?.optimizer_config as { class_name: string }).class_name, OptimixTfOptimizer.className);
    assert.ok(artifacts?.weightSpecs?.some((s) => s.name === 'optimix/state'));
    const loaded = await tfl.loadLayersModel({ load: async () => artifacts as tf.io.ModelArtifacts });
    if (savable) {
      assert.ok(loaded.optimizer instanceof OptimixTfOptimizer, 'a working optimizer');
      assert.equal(loaded.optimizer.iterations, 4);
      assert.equal(JSON.stringify(loaded.optimizer.getConfig()), JSON.stringify(tfOpt.getConfig()));
    } else {
      await assert.rejects(loaded.fit(x, y, { epochs: 1, verbose: 0 }), (e: unknown) => e instanceof InteropError && /Recompile it/.test(e.message));
    }
    const restored = asTfOptimizer(optimizer(rwp({ sigma: 0.05 }), rule));
    await restored.setWeights(await loaded.optimizer.getWeights());
    assert.equal(restored.state?.count, 4);
    restored.dispose();
    loaded.optimizer.dispose();
    loaded.dispose();
    tfOpt.dispose();
    model.dispose();
  }
});
