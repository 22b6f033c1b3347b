import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import { key } from '../src/random.js';
import type { Params } from '../src/tree.js';
import {
  crossEntropy,
  evaluate,
  flops,
  mlp,
  modelFromSpec,
  models,
  paramLayout,
  resnetSmall,
  smallCnn,
  type LabeledArrays,
  type ZooModel,
} from '../src/models/index.js';

await ready({ backend: 'cpu' });

const CLASSES = 3;
const N = 6;
const LABELS = [0, 1, 2, 0, 1, 2];

/** Tiny configurations of every model, for fast gradient tests on cpu. */
const tiny = (): ZooModel[] => [
  mlp({ inputShape: [8, 8, 1], hidden: [16], classes: CLASSES }),
  smallCnn({ inputShape: [8, 8, 1], channels: [4, 8], classes: CLASSES }),
  resnetSmall({ inputShape: [8, 8, 1], width: 4, blocks: 2, classes: CLASSES }),
];

/** A fixed synthetic batch: x ~ N(0,1) seeded, with a class-dependent offset so it is learnable; y one-hot. */
function tinyBatch(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const noise = tf.randomNormal([N, 8, 8, 1], 0, 1, 'float32', 7);
    const offset = tf.reshape(tf.tensor1d(LABELS.map((l) => l - 1), 'float32'), [N, 1, 1, 1]);
    return {
      x: tf.add(noise, offset) as tf.Tensor4D,
      y: tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), CLASSES), 'float32') as tf.Tensor2D,
    };
  });
}

function valueAndGrad(model: ZooModel, params: Params, batch: { x: tf.Tensor; y: tf.Tensor }): { value: tf.Scalar; grads: Params } {
  const names = Object.keys(params);
  const f = (...ts: tf.Tensor[]): tf.Scalar => {
    const p: Record<string, tf.Tensor> = {};
    names.forEach((n, i) => (p[n] = ts[i] as tf.Tensor));
    return model.loss(p, batch);
  };
  const { value, grads } = tf.valueAndGrads(f)(names.map((n) => params[n] as tf.Tensor));
  const g: Record<string, tf.Tensor> = {};
  names.forEach((n, i) => (g[n] = grads[i] as tf.Tensor));
  return { value, grads: g };
}

const dispose = (t: Params): void => Object.values(t).forEach((x) => x.dispose());
const shapes = (t: Params): Array<[string, number[]]> => Object.entries(t).map(([n, x]) => [n, x.shape]);

test('output shapes of the default models: [n, 10]', () => {
  const x = tf.zeros([2, 28, 28, 1]);
  for (const make of [mlp, smallCnn, resnetSmall]) {
    const model = make();
    const params = model.init(key(0));
    const logits = model.logits(params, x);
    assert.deepEqual(logits.shape, [2, 10], model.name);
    assert.equal(logits.dtype, 'float32');
    logits.dispose();
    dispose(params);
  }
  assert.throws(() => mlp().logits({}, x), /missing parameter 'hidden1\/kernel'/);
  const p = smallCnn().init(key(0));
  assert.throws(() => smallCnn().logits(p, tf.zeros([2, 28, 28, 3])), /expected input of shape \[n, 28, 28, 1\]/);
  dispose(p);
  x.dispose();
});

test('param names and shapes of the default models, in layer order', () => {
  const expected: Record<string, Array<[string, number[]]>> = {
    mlp: [
      ['hidden1/kernel', [784, 128]],
      ['hidden1/bias', [128]],
      ['dense/kernel', [128, 10]],
      ['dense/bias', [10]],
    ],
    smallCnn: [
      ['conv1/kernel', [3, 3, 1, 16]],
      ['conv1/bias', [16]],
      ['conv2/kernel', [3, 3, 16, 32]],
      ['conv2/bias', [32]],
      ['dense/kernel', [7 * 7 * 32, 10]],
      ['dense/bias', [10]],
    ],
    resnetSmall: [
      ['stem/kernel', [3, 3, 1, 16]],
      ['stem/bias', [16]],
      ...[1, 2].flatMap((b): Array<[string, number[]]> => [
        [`block${b}/conv_a/kernel`, [3, 3, 16, 16]],
        [`block${b}/norm_a/scale`, [16]],
        [`block${b}/norm_a/shift`, [16]],
        [`block${b}/conv_b/kernel`, [3, 3, 16, 16]],
        [`block${b}/norm_b/scale`, [16]],
        [`block${b}/norm_b/shift`, [16]],
        ...(b === 1
          ? ([
              ['down1/kernel', [3, 3, 16, 16]],
              ['down1/bias', [16]],
            ] as Array<[string, number[]]>)
          : []),
      ]),
      ['dense/kernel', [16, 10]],
      ['dense/bias', [10]],
    ],
  };
  for (const make of Object.values(models)) {
    const model = make();
    const params = model.init(key(1));
    assert.deepEqual(shapes(params), expected[model.name], model.name);
    assert.deepEqual(
      paramLayout(model.spec).map((p) => [p.name, [...p.shape]]),
      expected[model.name],
      `${model.name} layout`,
    );
    dispose(params);
  }
  // more stages / blocks extend the naming scheme
  const names = Object.keys(resnetSmall({ blocks: 3, downsample: false }).init(key(0)));
  assert.ok(names.includes('block3/norm_b/shift') && !names.some((n) => n.startsWith('down')));
  assert.deepEqual(
    paramLayout({ kind: 'mlp', options: { hidden: [5, 6] } }).map((p) => p.name),
    ['hidden1/kernel', 'hidden1/bias', 'hidden2/kernel', 'hidden2/bias', 'dense/kernel', 'dense/bias'],
  );
});

test('init: deterministic in the key, per-name seeds, He-normal scale, zero biases, unit scales', () => {
  for (const model of tiny()) {
    const a = model.init(key(42));
    const b = model.init(key(42));
    const c = model.init(key(43));
    for (const name of Object.keys(a)) {
      const av = a[name]!.dataSync();
      assert.deepEqual(av, b[name]!.dataSync(), `${model.name} ${name} same key`);
      if (name.endsWith('/kernel')) assert.notDeepEqual(av, c[name]!.dataSync(), `${model.name} ${name} different key`);
      if (name.endsWith('/bias') || name.endsWith('/shift')) assert.ok(av.every((v) => v === 0), `${name} zero`);
      if (name.endsWith('/scale')) assert.ok(av.every((v) => v === 1), `${name} one`);
    }
    [a, b, c].forEach(dispose);
  }
  // A parameter's init depends only on (key, name): changing another layer leaves it unchanged.
  const p1 = mlp({ hidden: [32], classes: 10 }).init(key(5));
  const p2 = mlp({ hidden: [32], classes: 4 }).init(key(5));
  assert.deepEqual(p1['hidden1/kernel']!.dataSync(), p2['hidden1/kernel']!.dataSync());
  // He-normal: std ≈ √(2/fan_in), mean ≈ 0 (784·128 samples).
  const k = p1['hidden1/kernel']!;
  const std = Math.sqrt(tf.tidy(() => tf.mean(tf.square(k)).dataSync()[0]!));
  const mean = tf.tidy(() => tf.mean(k).dataSync()[0]!);
  assert.ok(Math.abs(std / Math.sqrt(2 / 784) - 1) < 0.02, `std ${std}`);
  assert.ok(Math.abs(mean) < 0.002, `mean ${mean}`);
  const conv = smallCnn().init(key(5));
  const cstd = Math.sqrt(tf.tidy(() => tf.mean(tf.square(conv['conv2/kernel']!)).dataSync()[0]!));
  assert.ok(Math.abs(cstd / Math.sqrt(2 / (9 * 16)) - 1) < 0.05, `conv std ${cstd}`);
  [p1, p2, conv].forEach(dispose);
});

test('crossEntropy: hand-computed value, numerically stable for huge logits', () => {
  const v = tf.tidy(() =>
    crossEntropy(
      tf.tensor2d([
        [1, 2, 3],
        [0, 0, 0],
      ]),
      tf.tensor2d([
        [0, 0, 1],
        [1, 0, 0],
      ]),
    ).dataSync()[0]!,
  );
  // row 1: −log(e³/(e+e²+e³)) = log(1 + e⁻¹ + e⁻²); row 2: log 3.
  const expected = (Math.log(1 + Math.exp(-1) + Math.exp(-2)) + Math.log(3)) / 2;
  assert.ok(Math.abs(v - expected) < 1e-6, `${v} vs ${expected}`);
  const big = tf.tidy(() => crossEntropy(tf.tensor2d([[1000, 0, -1000]]), tf.tensor2d([[0, 1, 0]])).dataSync()[0]!);
  assert.ok(Math.abs(big - 1000) < 1e-3, `stable: ${big}`);
  const zero = tf.tidy(() => crossEntropy(tf.tensor2d([[1000, 0]]), tf.tensor2d([[1, 0]])).dataSync()[0]!);
  assert.ok(zero === 0, String(zero)); // (may be −0)
  assert.throws(() => crossEntropy(tf.zeros([2, 3]), tf.zeros([2, 4])), /must both be \[n, classes\]/);
});

/**
 * Reference forward passes written with plain (unfused) tfjs ops, straight from the documented architectures:
 * they pin down what each model computes and give an independent gradient to compare with.
 */
function referenceLogits(model: ZooModel, P: Params, x: tf.Tensor): tf.Tensor {
  const p = (n: string) => P[n]!;
  const dense = (h: tf.Tensor, n: string) => tf.add(tf.matMul(h as tf.Tensor2D, p(`${n}/kernel`) as tf.Tensor2D), p(`${n}/bias`));
  const conv = (h: tf.Tensor, n: string, stride = 1) => tf.conv2d(h as tf.Tensor4D, p(`${n}/kernel`) as tf.Tensor4D, stride, 'same');
  const spec = model.spec;
  if (spec.kind === 'mlp') {
    let h: tf.Tensor = tf.reshape(x, [x.shape[0]!, -1]);
    for (let i = 1; i <= (spec.options.hidden ?? []).length; i++) h = tf.relu(dense(h, `hidden${i}`));
    return dense(h, 'dense');
  }
  if (spec.kind === 'smallCnn') {
    let h = x;
    for (let i = 1; i <= (spec.options.channels ?? []).length; i++) {
      h = tf.maxPool(tf.relu(tf.add(conv(h, `conv${i}`), p(`conv${i}/bias`))) as tf.Tensor4D, [2, 2], [2, 2], 'valid');
    }
    return dense(tf.reshape(h, [x.shape[0]!, -1]), 'dense');
  }
  const blocks = spec.options.blocks ?? 0;
  const norm = (z: tf.Tensor, n: string) => tf.add(tf.mul(z, p(`${n}/scale`)), p(`${n}/shift`));
  let h = tf.relu(tf.add(conv(x, 'stem'), p('stem/bias')));
  for (let b = 1; b <= blocks; b++) {
    const a = tf.relu(norm(conv(h, `block${b}/conv_a`), `block${b}/norm_a`));
    h = tf.relu(tf.add(h, norm(conv(a, `block${b}/conv_b`), `block${b}/norm_b`)));
    if (spec.options.downsample && b < blocks) h = tf.relu(tf.add(conv(h, `down${b}`, 2), p(`down${b}/bias`)));
  }
  return dense(tf.mean(h, [1, 2]), 'dense');
}

test('gradients: same names/shapes as params, finite, equal to a plain-op reference, and match finite differences', () => {
  const batch = tinyBatch();
  for (const model of tiny()) {
    const params = model.init(key(3));
    const { value, grads } = valueAndGrad(model, params, batch);
    assert.deepEqual(shapes(grads), shapes(params), model.name);
    for (const [name, g] of Object.entries(grads)) {
      assert.ok(g.dataSync().every(Number.isFinite), `${model.name} ${name} finite`);
    }
    assert.ok(Number.isFinite(value.dataSync()[0]!));

    // The model (fused ops) agrees with the reference architecture, in value and in gradient.
    const refModel = { ...model, loss: (p: Params, b: { x: tf.Tensor; y: tf.Tensor }) => crossEntropy(referenceLogits(model, p, b.x), b.y) };
    const ref = valueAndGrad(refModel as ZooModel, params, batch);
    assert.ok(Math.abs(ref.value.dataSync()[0]! - value.dataSync()[0]!) < 1e-5, `${model.name} loss vs reference`);
    for (const n of Object.keys(params)) {
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(grads[n]!, ref.grads[n]!))).dataSync()[0]!);
      assert.ok(gap < 1e-5, `${model.name} ${n}: gradient differs from the reference by ${gap}`);
    }

    // (L(p + εd) − L(p − εd)) / 2ε ≈ ⟨g, d⟩ along a random direction d. ReLU kinks make central differences of a
    // deep ReLU net unreliable (a single unit near 0 shifts them by several %), so for the CNNs d only moves the head.
    const eps = 1e-3;
    const moved = model.name === 'mlp' ? Object.keys(params) : ['dense/kernel', 'dense/bias'];
    const d: Record<string, tf.Tensor> = {};
    moved.forEach((n, i) => (d[n] = tf.randomNormal(params[n]!.shape, 0, 1, 'float32', 100 + i)));
    const shifted = (s: number): number =>
      tf.tidy(() => {
        const p: Record<string, tf.Tensor> = { ...params };
        for (const n of moved) p[n] = tf.add(params[n]!, tf.mul(d[n]!, s * eps));
        return model.loss(p, batch).dataSync()[0]!;
      });
    const fd = (shifted(1) - shifted(-1)) / (2 * eps);
    const dot = tf.tidy(() => tf.addN(moved.map((n) => tf.sum(tf.mul(grads[n]!, d[n]!)))).dataSync()[0]!);
    assert.ok(Math.abs(fd - dot) <= 0.03 * Math.max(1, Math.abs(dot)), `${model.name}: finite difference ${fd} vs ⟨g,d⟩ ${dot}`);
    [params, grads, d, ref.grads].forEach(dispose);
    value.dispose();
    ref.value.dispose();
  }
  batch.x.dispose();
  batch.y.dispose();
});

test('plain gradient descent (w ← w − 0.1·g) reduces the loss on a tiny fixed batch, for every model', () => {
  const batch = tinyBatch();
  for (const model of tiny()) {
    let params = model.init(key(11));
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const { value, grads } = valueAndGrad(model, params, batch);
      losses.push(value.dataSync()[0]!);
      const next: Record<string, tf.Tensor> = {};
      for (const n of Object.keys(params)) next[n] = tf.tidy(() => tf.sub(params[n]!, tf.mul(grads[n]!, 0.1)));
      dispose(params);
      dispose(grads);
      value.dispose();
      params = next;
    }
    const final = tf.tidy(() => model.loss(params, batch).dataSync()[0]!);
    assert.ok(final < losses[0]! * 0.8, `${model.name}: ${losses.map((l) => l.toFixed(3)).join(' → ')} → ${final.toFixed(3)}`);
    dispose(params);
  }
  batch.x.dispose();
  batch.y.dispose();
});

test('evaluate matches a direct computation, for tensors and typed arrays, in uneven chunks', () => {
  const batch = tinyBatch();
  for (const model of tiny()) {
    const params = model.init(key(21));
    const [directLoss, directAcc] = tf.tidy(() => {
      const logits = model.logits(params, batch.x);
      const acc = tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.argMax(batch.y, -1)), 'float32'));
      return [crossEntropy(logits, batch.y).dataSync()[0]!, acc.dataSync()[0]!];
    });
    const before = tf.memory().numTensors;
    const byTensor = evaluate(model, params, batch.x, batch.y, 4);
    const xs = batch.x.dataSync() as Float32Array;
    const data: LabeledArrays = { x: xs, y: Int32Array.from(LABELS), n: N, shape: [8, 8, 1], classes: CLASSES };
    const byArrays = evaluate(model, params, data, 5);
    const byRaw = evaluate(model, params, xs, Int32Array.from(LABELS));
    const labels = tf.tensor1d(LABELS, 'int32');
    const byLabelTensor = evaluate(model, params, batch.x, labels, 1);
    labels.dispose();
    assert.equal(tf.memory().numTensors, before, `${model.name}: evaluate leaks`);
    for (const r of [byTensor, byArrays, byRaw, byLabelTensor]) {
      assert.equal(r.n, N);
      assert.ok(Math.abs(r.loss - directLoss!) < 1e-5, `${model.name}: ${r.loss} vs ${directLoss}`);
      assert.ok(Math.abs(r.accuracy - directAcc!) < 1e-6, `${model.name}: ${r.accuracy} vs ${directAcc}`);
    }
    assert.ok(!batch.x.isDisposed && !batch.y.isDisposed);
    dispose(params);
  }
  assert.throws(() => evaluate(tiny()[0]!, {}, batch.x, Int32Array.from([0, 1])), /x has 6 examples but y has 2/);
  batch.x.dispose();
  batch.y.dispose();
});

test('no tensor leaks: loss, logits and loss+grad leave tf.memory().numTensors flat; inputs are not disposed', () => {
  const batch = tinyBatch();
  for (const model of tiny()) {
    const params = model.init(key(4));
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { value, grads } = valueAndGrad(model, params, batch);
      value.dispose();
      dispose(grads);
      counts.push(tf.memory().numTensors);
    }
    assert.ok(counts.every((c) => c === counts[0]), `${model.name}: ${counts.join(', ')}`);
    const base = tf.memory().numTensors;
    const loss = model.loss(params, batch);
    const logits = model.logits(params, batch.x);
    assert.equal(tf.memory().numTensors, base + 2, `${model.name}: only the results survive`);
    loss.dispose();
    logits.dispose();
    assert.ok(Object.values(params).every((p) => !p.isDisposed) && !batch.x.isDisposed && !batch.y.isDisposed);
    dispose(params);
  }
  batch.x.dispose();
  batch.y.dispose();
});

test('flops: MLP against a hand count; fwd+bwd = 3 × forward; CNN dominated by conv multiply-adds', () => {
  // [4] → 3 → 2, batch 5: layer 1: 2·4·3 + 3 (bias) + 3 (relu) = 30; layer 2: 2·3·2 + 2 = 14; 44 per example.
  const f = flops({ kind: 'mlp', options: { inputShape: [4], hidden: [3], classes: 2 } }, 5);
  assert.deepEqual({ ...f }, { batchSize: 5, forwardPerExample: 44, forward: 220, backward: 440, forwardBackward: 660 });
  // default MLP: 2·784·128 + 128 + 128 + 2·128·10 + 10
  assert.equal(flops(mlp().spec, 1).forward, 2 * 784 * 128 + 256 + 2 * 128 * 10 + 10);
  const cnn = flops(smallCnn().spec, 1).forward;
  const macs = 28 * 28 * 9 * 1 * 16 + 14 * 14 * 9 * 16 * 32 + 7 * 7 * 32 * 10;
  assert.ok(cnn > 2 * macs && cnn < 2.1 * 2 * macs, `smallCnn ${cnn} vs 2·MACs ${2 * macs}`);
  const res = flops(resnetSmall().spec, 2);
  assert.equal(res.forwardBackward, 3 * res.forward);
  assert.ok(res.forward > flops(resnetSmall({ blocks: 1 }).spec, 2).forward);
  assert.throws(() => flops(mlp().spec, 0), /positive integer/);
});

test('spec: JSON round trip through modelFromSpec rebuilds the same model (defaults filled in)', () => {
  for (const model of [...tiny(), mlp(), smallCnn(), resnetSmall()]) {
    const spec = JSON.parse(JSON.stringify(model.spec));
    const again = modelFromSpec(spec);
    assert.equal(again.name, model.name);
    assert.deepEqual(again.spec, model.spec);
  }
  assert.deepEqual(smallCnn().spec, { kind: 'smallCnn', options: { inputShape: [28, 28, 1], channels: [16, 32], classes: 10 } });
  assert.deepEqual(resnetSmall().spec.options, { inputShape: [28, 28, 1], width: 16, blocks: 2, classes: 10, downsample: true });
  const m = tiny()[2]!;
  const batch = tinyBatch();
  const p = m.init(key(9));
  const same = tf.tidy(() => tf.max(tf.abs(tf.sub(m.logits(p, batch.x), modelFromSpec(m.spec).logits(p, batch.x)))).dataSync()[0]);
  assert.equal(same, 0);
  assert.throws(() => modelFromSpec({ kind: 'vgg' } as never), /unknown model kind 'vgg'/);
  assert.throws(() => smallCnn({ inputShape: [2, 2, 1], channels: [4, 4] }), /too small/);
  assert.throws(() => mlp({ hidden: [0] }), /positive integer/);
  dispose(p);
  batch.x.dispose();
  batch.y.dispose();
});

test('wasm backend: logits agree with cpu; gradients on wasm (conv gradients only when src/kernels provides them)', async (t) => {
  const batch = tinyBatch();
  const cpu = tiny().map((m) => {
    const p = m.init(key(8));
    const { value, grads } = valueAndGrad(m, p, batch);
    const out = { logits: m.logits(p, batch.x).arraySync(), loss: value.dataSync()[0]!, grads: Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, Array.from(g.dataSync())])) };
    value.dispose();
    [p, grads].forEach(dispose);
    return out;
  });
  const xs = batch.x.arraySync();
  const ys = batch.y.arraySync();
  batch.x.dispose();
  batch.y.dispose();
  let fellBack = false;
  const backend = await ready({ backend: 'wasm', onFallback: () => (fellBack = true) });
  try {
    if (fellBack || backend !== 'wasm') {
      t.skip('wasm backend unavailable');
      return;
    }
    const kernelsIndex = new URL('../src/kernels/index.ts', import.meta.url);
    let convGrads = false;
    if (existsSync(kernelsIndex)) {
      const spec = '../src/kernels/index.js';
      const mod = (await import(spec)) as { registerWasmGradientKernels?: () => unknown };
      if (typeof mod.registerWasmGradientKernels === 'function') {
        mod.registerWasmGradientKernels();
        convGrads = true;
      }
    }
    const wb = { x: tf.tensor4d(xs), y: tf.tensor2d(ys) };
    tiny().forEach((m, i) => {
      const p = m.init(key(8));
      const logits = m.logits(p, wb.x).arraySync() as number[][];
      (cpu[i]!.logits as number[][]).forEach((row, r) =>
        row.forEach((v, c) => assert.ok(Math.abs(v - logits[r]![c]!) < 1e-4, `${m.name} logits[${r}][${c}] ${v} vs ${logits[r]![c]}`)),
      );
      if (m.name === 'mlp' || convGrads) {
        const { value, grads } = valueAndGrad(m, p, wb);
        assert.ok(Math.abs(value.dataSync()[0]! - cpu[i]!.loss) < 1e-4);
        for (const [n, g] of Object.entries(grads)) {
          const ref = cpu[i]!.grads[n]!;
          const got = g.dataSync();
          const scale = Math.max(1e-3, ...ref.map(Math.abs));
          ref.forEach((v, j) => assert.ok(Math.abs(v - got[j]!) < 1e-3 * scale, `${m.name} ${n}[${j}] cpu ${v} vs wasm ${got[j]}`));
        }
        value.dispose();
        dispose(grads);
      }
      dispose(p);
    });
    wb.x.dispose();
    wb.y.dispose();
    t.diagnostic(
      convGrads
        ? 'wasm: logits of all models and gradients of all models match cpu (conv gradients via src/kernels)'
        : 'src/kernels/index.ts has no registerWasmGradientKernels yet: only MLP gradients checked on wasm',
    );
  } finally {
    await ready({ backend: 'cpu' });
  }
});
