// Statistics of RWP's filter noise, observed through the public API: with L(w) = ½‖w − w₀‖² and w₀ = w,
// the perturbed gradient ∇L(w + ε) = ε, so gradientOf(perturbedGrad(filterNoise(σ))) returns the noise itself.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { disposeTree, filterNoise, fold, gradientOf, key, perturbedGrad, ready, type LossFn, type Tree } from '../src/index.js';

before(async () => {
  await ready();
});

/** L(w) = ½ Σ ‖w_n − w₀_n‖², with w₀ the parameters themselves: its gradient at w + ε is ε. */
const anchored = (w0: Tree): LossFn => (p) =>
  tf.tidy(() => tf.addN(Object.keys(w0).map((n) => tf.mul(0.5, tf.sum(tf.square(tf.sub(p[n] as tf.Tensor, w0[n] as tf.Tensor)))))) as tf.Scalar);

function draws(params: Tree, sigma: number, n: number, options: { axis?: number } = {}): Record<string, Float32Array[]> {
  const src = perturbedGrad(filterNoise(sigma, options));
  const loss = anchored(params);
  const out: Record<string, Float32Array[]> = Object.fromEntries(Object.keys(params).map((k) => [k, []]));
  for (let i = 0; i < n; i++) {
    const { grads } = gradientOf(src, loss, params, {}, { key: fold(key(42), i) });
    for (const k of Object.keys(params)) out[k]!.push((grads[k] as tf.Tensor).dataSync() as Float32Array);
    disposeTree(grads);
  }
  return out;
}

// The sample std s of m i.i.d. N(0, s₀²) values has relative standard error ≈ 1/√(2m). With m = 100 draws × 36
// elements = 3,600 per filter, that is 1.18%; the bound below is 5 standard errors (5.9%): a false failure has
// probability ≈ 6e-7 per filter, and the keys are fixed, so the test is deterministic.
const DRAWS = 100;

test('rank-4 conv kernel: each output filter (last axis) has sample std σ·‖W_i‖ within 5 standard errors', () => {
  const C = 6;
  // Filters of very different norms: filter i is scaled by 2^i.
  const kernel = tf.tidy(() => tf.mul(tf.randomNormal([3, 3, 4, C], 0, 1, 'float32', 5), tf.reshape(tf.pow(2, tf.range(0, C)), [1, 1, 1, C])));
  const params = { kernel };
  const sigma = 0.01;
  const data = kernel.dataSync();
  const norms = Array.from({ length: C }, (_, i) => Math.sqrt(Array.from(data).filter((_, j) => j % C === i).reduce((a, v) => a + v * v, 0)));
  const eps = draws(params, sigma, DRAWS).kernel!;
  const m = DRAWS * 36;
  const bound = 5 / Math.sqrt(2 * m);
  for (let i = 0; i < C; i++) {
    let ss = 0;
    let mean = 0;
    for (const e of eps) for (let j = i; j < e.length; j += C) { ss += (e[j] as number) ** 2; mean += e[j] as number; }
    const std = Math.sqrt(ss / m);
    const target = sigma * (norms[i] as number);
    assert.ok(Math.abs(std / target - 1) < bound, `filter ${i}: std ${std}, want ${target} (±${(bound * 100).toFixed(1)}%)`);
    // The mean is 0 within 5 standard errors of the mean, target/√m.
    assert.ok(Math.abs(mean / m) < (5 * target) / Math.sqrt(m), `filter ${i}: mean ${mean / m}`);
  }
  disposeTree(params);
});

test('filters are independent of each other: rescaling filter 0 changes only filter 0’s noise (by the same factor)', () => {
  const w = tf.randomNormal([5, 4], 0, 1, 'float32', 9);
  const scaled = tf.tidy(() => tf.mul(w, tf.tensor1d([10, 1, 1, 1])));
  const a = draws({ dense: w }, 0.05, 1).dense![0]!;
  const b = draws({ dense: scaled }, 0.05, 1).dense![0]!;
  for (let j = 0; j < a.length; j++) {
    if (j % 4 === 0) assert.ok(Math.abs((b[j] as number) - 10 * (a[j] as number)) <= 1e-5 * Math.abs(10 * (a[j] as number)) + 1e-9, `filter 0, element ${j}`);
    else assert.ok(Math.abs((b[j] as number) - (a[j] as number)) <= 1e-6 * Math.abs(a[j] as number) + 1e-9, `filter ${j % 4} changed: ${a[j]} → ${b[j]}`);
  }
  disposeTree([w, scaled]);
});

test('rank-1 tensors use the whole vector’s norm: std σ·(‖p‖ + 1e-16) for every element', () => {
  const bias = tf.randomNormal([64], 0, 3, 'float32', 11);
  const norm = Math.sqrt(Array.from(bias.dataSync()).reduce((a, v) => a + v * v, 0));
  const eps = draws({ bias }, 0.02, DRAWS).bias!;
  const m = DRAWS * 64;
  let ss = 0;
  for (const e of eps) for (const v of e) ss += v * v;
  const std = Math.sqrt(ss / m);
  assert.ok(Math.abs(std / (0.02 * norm) - 1) < 5 / Math.sqrt(2 * m), `std ${std} vs ${0.02 * norm}`);
  // Per element, not per entry: a small entry gets the same noise scale as a large one.
  const small = Array.from(bias.dataSync()).map((v, i) => [Math.abs(v), i] as const).sort((x, y) => x[0] - y[0]).slice(0, 16).map(([, i]) => i);
  let ssSmall = 0;
  for (const e of eps) for (const i of small) ssSmall += (e[i] as number) ** 2;
  const stdSmall = Math.sqrt(ssSmall / (DRAWS * 16));
  assert.ok(Math.abs(stdSmall / (0.02 * norm) - 1) < 5 / Math.sqrt(2 * DRAWS * 16), `small entries: ${stdSmall} vs ${0.02 * norm}`);
  bias.dispose();
});

test('a zero bias gets noise of std σ·1e-16 (the authors’ guard), never NaN', () => {
  const bias = tf.zeros([8]);
  const eps = draws({ bias }, 0.01, 1).bias![0]!;
  assert.ok(eps.every((v) => Number.isFinite(v) && Math.abs(v) < 1e-16), Array.from(eps).join(', '));
  bias.dispose();
});

test('axis option: with axis 0 the filters are the rows', () => {
  const w = tf.tidy(() => tf.mul(tf.randomNormal([3, 200], 0, 1, 'float32', 13), tf.tensor2d([[1], [10], [100]])));
  const rows = [0, 1, 2].map((r) => Math.sqrt(Array.from(w.dataSync().slice(r * 200, (r + 1) * 200)).reduce((a, v) => a + v * v, 0)));
  const eps = draws({ w }, 0.01, 20, { axis: 0 }).w!;
  const m = 20 * 200;
  for (let r = 0; r < 3; r++) {
    let ss = 0;
    for (const e of eps) for (let j = r * 200; j < (r + 1) * 200; j++) ss += (e[j] as number) ** 2;
    const std = Math.sqrt(ss / m);
    assert.ok(Math.abs(std / (0.01 * (rows[r] as number)) - 1) < 5 / Math.sqrt(2 * m), `row ${r}: ${std} vs ${0.01 * (rows[r] as number)}`);
  }
  w.dispose();
});
