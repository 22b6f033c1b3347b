// The wasm gradient kernels registered by src/kernels agree with tfjs's cpu backend.
//
// Accuracy measure: max_i |wasm_i − cpu_i| / max(max_i |cpu_i|, 1e-6). Both backends sum in
// float32 but in different orders (XNNPACK blocks and vectorises its GEMM), so each element
// differs by a few ulps of the *largest partial sums*, not of the element itself: an element
// that cancels to ~0 can have a large relative error while being exact to float32 precision.
// Normalising by the largest magnitude measures that error scale-free; the floor only matters
// for an all-zero reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import { registerWasmGradientKernels, wasmGradientKernels, wasmKernelSettings, wasmReplacementKernels } from '../src/kernels/index.js';
import { conv2DBackpropFilter } from '../src/kernels/conv2DBackpropFilter.js';

await ready({ backend: 'wasm' });

type Backend = 'wasm' | 'cpu';
type Shape = readonly number[];

/** Deterministic uniform values in [-1, 1) (mulberry32), the same on every backend. */
function randomValues(shape: Shape, seed: number): Float32Array {
  let a = (seed * 2654435761) >>> 0;
  const size = shape.reduce((p, d) => p * d, 1);
  return Float32Array.from({ length: size }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  });
}

/** Runs `f` on one backend inside a tidy and returns its outputs as plain arrays. */
async function on(backend: Backend, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()));
  });
}

/** Max abs difference normalised by the reference's max magnitude (see the header). */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-6);
}

/** Asserts that `f` gives the same values on wasm as on cpu, to `tolerance`. */
async function assertSameOnBackends(label: string, f: () => tf.Tensor | tf.Tensor[], tolerance: number): Promise<void> {
  const expected = await on('cpu', f);
  const actual = await on('wasm', f);
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    const err = relativeError(a, expected[i]!);
    assert.ok(err <= tolerance, `${label} [output ${i}]: relative error ${err.toExponential(2)} > ${tolerance}`);
  });
}

interface ConvCase {
  readonly x: Shape; // NHWC (or NCHW when dataFormat is 'NCHW')
  readonly filter: readonly [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const convCases: readonly ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  { x: [1, 10, 10, 4], filter: [3, 3, 4, 2], strides: 2, pad: 'same' },
  { x: [2, 11, 6, 1], filter: [5, 2, 1, 3], strides: [2, 1], pad: 'same' },
  { x: [2, 8, 9, 3], filter: [2, 4, 3, 3], strides: [1, 3], pad: 'valid' },
  { x: [2, 6, 6, 2], filter: [1, 1, 2, 6], strides: 1, pad: 'valid' },
  { x: [2, 6, 7, 2], filter: [3, 3, 2, 4], strides: 2, pad: 1 },
  { x: [2, 7, 7, 2], filter: [3, 3, 2, 4], strides: 2, pad: 0, dimRoundingMode: 'ceil' },
  { x: [2, 7, 6, 3], filter: [3, 2, 3, 4], strides: [2, 1], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
  { x: [2, 3, 7, 6], filter: [3, 3, 3, 4], strides: 1, pad: 'same', dataFormat: 'NCHW' },
  { x: [2, 3, 9, 8], filter: [3, 3, 3, 2], strides: 2, pad: 'valid', dataFormat: 'NCHW' },
];

/** Output shape of the forward conv2d, via the backend-independent shape helper. */
function convOutShape(c: ConvCase): number[] {
  const format = c.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast';
  return tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number], [...c.filter], c.strides, 1, c.pad, c.dimRoundingMode, false, format).outShape;
}

test('Conv2DBackpropFilter on wasm matches cpu (strides 1/2, same/valid/numeric/explicit padding, odd sizes, NCHW)', async () => {
  for (const [k, c] of convCases.entries()) {
    const dyShape = convOutShape(c);
    const xValues = randomValues(c.x, 10 + k);
    const dyValues = randomValues(dyShape, 100 + k);
    await assertSameOnBackends(`conv case ${k} ${JSON.stringify(c)}`, () => {
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', dimRoundingMode: c.dimRoundingMode, filterShape: c.filter };
      const inputs = { x: tf.tensor(xValues, [...c.x]), dy: tf.tensor(dyValues, dyShape) };
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      assert.deepEqual(dw.shape, [...c.filter]);
      return dw;
    }, 1e-5);
  }
});

test('Conv2DBackpropInput on wasm (conv2d of dy with the flipped filter) matches cpu (strides 1/2/3, same/valid/numeric/explicit padding, odd sizes, NCHW fallback)', async () => {
  const cases: readonly ConvCase[] = [
    ...convCases,
    { x: [2, 10, 11, 3], filter: [3, 3, 3, 2], strides: 3, pad: 'same' },
    { x: [2, 10, 11, 3], filter: [4, 4, 3, 2], strides: [3, 2], pad: 'valid' },
    { x: [1, 8, 8, 2], filter: [3, 3, 2, 2], strides: 2, pad: [[0, 0], [0, 2], [1, 0], [0, 0]] },
    { x: [64, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
    { x: [8, 28, 28, 16], filter: [3, 3, 16, 16], strides: 2, pad: 'same' },
  ];
  for (const [k, c] of cases.entries()) {
    const dyShape = convOutShape(c);
    const dyValues = randomValues(dyShape, 500 + k);
    const filterValues = randomValues(c.filter, 600 + k);
    await assertSameOnBackends(`conv input case ${k} ${JSON.stringify(c)}`, () => {
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', dimRoundingMode: c.dimRoundingMode, inputShape: c.x };
      const inputs = { dy: tf.tensor(dyValues, dyShape), filter: tf.tensor(filterValues, [...c.filter]) };
      const dx = tf.engine().runKernel('Conv2DBackpropInput', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      assert.deepEqual(dx.shape, [...c.x]);
      return dx;
    }, 1e-5);
  }
});

test('MaxPoolGrad on wasm matches cpu exactly: tiling pools (2×2/2, 3×3/3, 2×3/(2,3), odd sizes), ties, values ≤ 0; overlapping pools fall back', async () => {
  const cases: ReadonlyArray<{ x: Shape; k: number | [number, number]; s: number | [number, number]; pad: 'valid' | 'same' | number; values?: 'ties' | 'positive' }> = [
    { x: [2, 8, 8, 3], k: 2, s: 2, pad: 'valid' },
    { x: [3, 7, 9, 2], k: 2, s: 2, pad: 'valid' },
    { x: [2, 9, 9, 2], k: 3, s: 3, pad: 'valid' },
    { x: [2, 8, 9, 2], k: [2, 3], s: [2, 3], pad: 'same' },
    { x: [2, 6, 6, 4], k: 2, s: 2, pad: 0 },
    { x: [4, 28, 28, 16], k: 2, s: 2, pad: 'valid' },
    { x: [2, 8, 8, 3], k: 2, s: 2, pad: 'valid', values: 'ties' },
    { x: [2, 9, 9, 2], k: 3, s: 2, pad: 'valid', values: 'positive' }, // overlapping: wasm's own kernel
    { x: [2, 7, 7, 2], k: 2, s: 2, pad: 'same', values: 'positive' }, // padded windows: wasm's own kernel
  ];
  for (const [k, c] of cases.entries()) {
    const raw = randomValues(c.x, 700 + k);
    // 'ties': four distinct values, so many windows hold equal maxima (zeros, as after a relu) or only negatives.
    const xValues = c.values === 'ties' ? raw.map((v) => (v < -0.5 ? -1 : v < 0.3 ? 0 : v < 0.7 ? 0.5 : 1))
      : c.values === 'positive' ? raw.map((v) => v + 2) : raw;
    await assertSameOnBackends(`maxPool grad case ${k} ${JSON.stringify(c)}`, () =>
      tf.grad((x: tf.Tensor) => {
        const y = tf.maxPool(x as tf.Tensor4D, c.k, c.s, c.pad);
        return tf.sum(tf.mul(y, tf.tensor(randomValues(y.shape, 800 + k), y.shape)));
      })(tf.tensor(xValues, [...c.x])), 0);
  }
});

test('the fast replacements can be turned off (wasm\'s own kernels come back) and on again', async () => {
  await tf.setBackend('wasm');
  const conv = () => tf.tidy(() => Float32Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, tf.tensor4d(randomValues([3, 3, 2, 3], 901), [3, 3, 2, 3]), 1, 'same')))(tf.tensor4d(randomValues([2, 6, 6, 2], 902), [2, 6, 6, 2])).dataSync()));
  const fast = conv();
  assert.deepEqual(wasmKernelSettings(), { fastConvInput: true, fastMaxPoolGrad: true });
  registerWasmGradientKernels({ fastConvInput: false, fastMaxPoolGrad: false });
  try {
    for (const config of wasmReplacementKernels) assert.notEqual(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelFunc);
    registerWasmGradientKernels(); // e.g. ready() again: the choice persists
    assert.deepEqual(wasmKernelSettings(), { fastConvInput: false, fastMaxPoolGrad: false });
    assert.ok(relativeError(conv(), fast) <= 1e-5);
  } finally {
    registerWasmGradientKernels({ fastConvInput: true, fastMaxPoolGrad: true });
  }
  for (const config of wasmReplacementKernels) assert.equal(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelFunc);
});

test('UnsortedSegmentSum on wasm matches cpu (duplicates, empty segments, out-of-range ids, ranks 1–3)', async () => {
  const cases: ReadonlyArray<{ x: Shape; ids: number[]; numSegments: number }> = [
    { x: [6], ids: [0, 2, 0, 2, 2, 1], numSegments: 4 },
    { x: [5, 3], ids: [4, 4, 0, 1, 4], numSegments: 6 },
    { x: [7, 2, 3], ids: [1, 0, 1, 1, 2, 0, 1], numSegments: 3 },
    { x: [6, 4], ids: [-1, 2, 5, 0, 9, 2], numSegments: 3 },
    { x: [40, 8], ids: Array.from({ length: 40 }, (_, i) => (i * 7) % 11), numSegments: 11 },
  ];
  for (const [k, c] of cases.entries()) {
    const xValues = randomValues(c.x, 200 + k);
    await assertSameOnBackends(`segment case ${k}`, () => {
      const out = tf.unsortedSegmentSum(tf.tensor(xValues, [...c.x]), tf.tensor1d(c.ids, 'int32'), c.numSegments);
      assert.deepEqual(out.shape, [c.numSegments, ...c.x.slice(1)]);
      return out;
    }, 1e-6);
  }
  await tf.setBackend('wasm');
  const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 7], 'int32'), 2);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(Array.from(ints.dataSync()), [3, 3]);
  ints.dispose();
});

test('the gradient of gather on wasm matches cpu', async () => {
  const params = randomValues([5, 3, 4], 300);
  const weights = randomValues([3, 2, 3, 4], 301);
  await assertSameOnBackends('gather grad', () => {
    const indices = tf.tensor2d([[0, 4], [4, 4], [2, 0]], [3, 2], 'int32');
    const grad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, indices), tf.tensor(weights, [3, 2, 3, 4]))));
    return grad(tf.tensor(params, [5, 3, 4]));
  }, 1e-6);
});

type Params = Record<string, tf.Tensor>;

/** Softmax cross-entropy, mean over the batch, written with core ops. */
function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1)));
}

/** The small CNN: conv3×3·16 + bias, relu, maxPool 2, conv3×3·32 + bias, relu, maxPool 2, dense 10. */
function cnnLoss(p: Params, x: tf.Tensor4D, labels: tf.Tensor): tf.Scalar {
  let h = tf.maxPool(tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(x, p['w1'] as tf.Tensor4D, 1, 'same'), p['b1']!)), 2, 2, 'valid');
  h = tf.maxPool(tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(h, p['w2'] as tf.Tensor4D, 1, 'same'), p['b2']!)), 2, 2, 'valid');
  const flat = tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D;
  return crossEntropy(tf.add(tf.matMul(flat, p['w3'] as tf.Tensor2D), p['b3']!), labels);
}

const cnnShapes: Record<string, Shape> = {
  w1: [3, 3, 1, 16], b1: [16], w2: [3, 3, 16, 32], b2: [32], w3: [7 * 7 * 32, 10], b3: [10],
};

/** A small ResNet-style net: conv, residual block with per-channel scale/shift, strided conv, avgPool, spatial mean, dense. */
function resnetLoss(p: Params, x: tf.Tensor4D, labels: tf.Tensor): tf.Scalar {
  const h = tf.relu(tf.conv2d(x, p['w1'] as tf.Tensor4D, 1, 'same'));
  const r = tf.add(tf.mul(tf.conv2d(tf.relu(tf.conv2d(h, p['w2'] as tf.Tensor4D, 1, 'same')), p['w3'] as tf.Tensor4D, 1, 'same'), p['scale']!), p['shift']!);
  const block = tf.relu(tf.add<tf.Tensor4D>(h, r));
  const down = tf.relu(tf.conv2d(block, p['w4'] as tf.Tensor4D, 2, 'same'));
  const pooled = tf.mean(tf.avgPool(down, 3, 2, 'same'), [1, 2]);
  return crossEntropy(tf.add(tf.matMul(pooled as tf.Tensor2D, p['w5'] as tf.Tensor2D), p['b5']!), labels);
}

const resnetShapes: Record<string, Shape> = {
  w1: [3, 3, 3, 8], w2: [3, 3, 8, 8], w3: [3, 3, 8, 8], scale: [8], shift: [8], w4: [3, 3, 8, 16], w5: [16, 10], b5: [10],
};

/** The gradient of `loss` with respect to every parameter, on the current backend. */
function gradients(loss: (p: Params, x: tf.Tensor4D, y: tf.Tensor) => tf.Scalar, shapes: Record<string, Shape>, xShape: Shape): tf.Tensor[] {
  const names = Object.keys(shapes);
  const params = names.map((n, i) => tf.mul(tf.tensor(randomValues(shapes[n]!, 400 + i), [...shapes[n]!]), 0.3));
  const x = tf.tensor4d(randomValues(xShape, 499), [...xShape] as [number, number, number, number]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: xShape[0]! }, (_, i) => (i * 3) % 10), 'int32'), 10);
  const f = (...ts: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ts[i]!])), x, labels);
  return tf.grads(f)(params);
}

test('the small CNN gradient (conv-relu-maxPool ×2, dense, softmax cross-entropy) on wasm matches cpu', async () => {
  await assertSameOnBackends('cnn gradient', () => gradients(cnnLoss, cnnShapes, [3, 28, 28, 1]), 1e-4);
});

test('a small ResNet-style gradient (residual add, scale/shift, strided conv, avgPool, mean) on wasm matches cpu', async () => {
  await assertSameOnBackends('resnet gradient', () => gradients(resnetLoss, resnetShapes, [2, 9, 9, 3]), 1e-4);
});

test('no tensor or memory leak over 20 gradient computations on wasm', async () => {
  await tf.setBackend('wasm');
  const run = () => tf.tidy(() => { for (const g of gradients(cnnLoss, cnnShapes, [4, 28, 28, 1])) g.dataSync(); });
  run();
  const before = tf.memory();
  for (let i = 0; i < 20; i++) {
    run();
    assert.equal(tf.memory().numTensors, before.numTensors, `numTensors after ${i + 1} runs`);
  }
  assert.equal(tf.memory().numBytes, before.numBytes);
});

test('registerWasmGradientKernels is idempotent, fills gaps and installs the replacements', () => {
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args); };
  try {
    registerWasmGradientKernels();
    registerWasmGradientKernels();
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
  for (const config of [...wasmGradientKernels, ...wasmReplacementKernels]) {
    assert.equal(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelFunc);
  }
  const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'UnsortedSegmentSum', 'MaxPoolGrad', 'AvgPoolGrad']) {
    assert.ok(wasm.has(name), `${name} is registered for wasm`);
  }
});

test('a kernel called with bare TensorInfo inputs (kernel-to-kernel) computes and frees nothing of its caller', async () => {
  await tf.setBackend('wasm');
  const x = tf.ones([1, 4, 4, 2]);
  const dy = tf.ones([1, 4, 4, 3]);
  const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  const before = tf.memory().numTensors;
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] };
  const dw = conv2DBackpropFilter({ inputs: { x: info(x), dy: info(dy) }, backend: tf.backend(), attrs }) as tf.Tensor;
  const values = dw.dataSync();
  assert.equal(values[0], 9); // corner offset: 3×3 valid positions of a 4×4 image
  assert.equal(values[(1 * 3 + 1) * 6], 16); // centre offset: all 16 positions
  dw.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(Array.from(x.dataSync()), new Array(32).fill(1));
  tf.dispose([x, dy]);
});
