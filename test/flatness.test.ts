import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import { key, split } from '../src/random.js';
import { disposeTree, type Params } from '../src/tree.js';
import type { LossFn } from '../src/model.js';
import {
  expectedPerturbedLoss,
  filterNormalizedDirection,
  hessianVectorProduct,
  lossSlice1D,
  lossSlice2D,
  samSharpness,
  topHessianEigenvalue,
} from '../src/flatness/index.js';
import { contourSegments, contourSvg, lineChartSvg } from '../src/plot/index.js';

await ready({ backend: 'cpu' });

// ---------------------------------------------------------------------------------------------
// Known-answer fixture: L(w) = ½ (w − c)ᵀ A (w − c), A = Q Λ Qᵀ with a fixed orthogonal Q.

const LAMBDA = [5, 2, 1, 0.5, 0.1];
const N = LAMBDA.length;

/** Householder reflection Q = I − 2uuᵀ/‖u‖²: symmetric and orthogonal. */
function householder(u: number[]): number[][] {
  const s = u.reduce((a, x) => a + x * x, 0);
  return u.map((ui, i) => u.map((uj, j) => (i === j ? 1 : 0) - (2 * ui * uj) / s));
}
const Q = householder([1, -2, 0.5, 3, -1]);
const A: number[][] = Q.map((_, i) => Q.map((__, j) => LAMBDA.reduce((acc, l, k) => acc + (Q[i]![k]! * l * Q[j]![k]!), 0)));
const matVec = (M: number[][], v: number[]): number[] => M.map((row) => row.reduce((a, x, j) => a + x * v[j]!, 0));
const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const quad = (M: number[][], v: number[]): number => 0.5 * dot(v, matVec(M, v));
const norm = (v: number[]): number => Math.sqrt(dot(v, v));

type QuadBatch = { readonly A: tf.Tensor2D; readonly c: tf.Tensor1D };
/** ½(w − c)ᵀA(w − c) over the single leaf `w` (any shape; flattened in row-major order). */
const quadLoss: LossFn<QuadBatch> = (params, batch) =>
  tf.tidy(() => {
    const w = tf.reshape(params['w']!, [-1]);
    const e = tf.sub(w, batch.c);
    return tf.mul(0.5, tf.dot(e, tf.dot(batch.A, e))) as tf.Scalar;
  });

function makeBatch(M: number[][], c: number[]): QuadBatch {
  return { A: tf.tensor2d(M), c: tf.tensor1d(c) };
}
const relClose = (actual: number, expected: number, rel: number, msg = ''): void =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${msg} expected ${expected}, got ${actual} (rel ${rel})`);
const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

// ---------------------------------------------------------------------------------------------

test('filterNormalizedDirection: per-filter norms match the weights (last axis), rank-1 zero/normalize, deterministic', () => {
  const W = tf.tensor2d([[1, 2, 0.5, -1], [3, -1, 0.5, 2], [0, 1, 0.5, 4]]); // [in 3, out 4]
  const b = tf.tensor1d([0.3, -0.4]);
  const params: Params = { W, b };
  const d = filterNormalizedDirection(params, key(1));
  const colNorms = (t: tf.Tensor): number[] => arr(tf.tidy(() => tf.sqrt(tf.sum(tf.square(t), 0))));
  colNorms(d['W']!).forEach((x, i) => relClose(x, colNorms(W)[i]!, 1e-5, `filter ${i}`));
  assert.deepEqual(arr(d['b']!), [0, 0], "biases: 'zero' is the default");
  const d2 = filterNormalizedDirection(params, key(1), { biases: 'normalize' });
  assert.deepEqual(arr(d2['W']!), arr(d['W']!), 'same key, same direction');
  relClose(norm(arr(d2['b']!)), 0.5, 1e-5, 'rank-1 normalized by the whole-vector norm');
  const d3 = filterNormalizedDirection(params, key(2));
  assert.notDeepEqual(arr(d3['W']!), arr(d['W']!), 'another key, another direction');
  const d4 = filterNormalizedDirection(params, key(1), { axis: 0 });
  const rowNorms = (t: tf.Tensor): number[] => arr(tf.tidy(() => tf.sqrt(tf.sum(tf.square(t), 1))));
  rowNorms(d4['W']!).forEach((x, i) => relClose(x, rowNorms(W)[i]!, 1e-5, `row filter ${i}`));
  assert.throws(() => filterNormalizedDirection(params, key(1), { axis: 2 }), /axis/);
  assert.throws(() => filterNormalizedDirection(params, key(1), { biases: 'keep' as never }), /biases/);
  for (const t of [d, d2, d3, d4]) disposeTree(t);
  disposeTree(params);
});

test('hessianVectorProduct ≈ A·v (finite difference and autodiff)', () => {
  const c = [0.3, -0.2, 0.1, 0.4, -0.5];
  const batch = makeBatch(A, c);
  const params: Params = { w: tf.tensor1d([1, -2, 0.5, 3, 0.25]) };
  const vArr = [0.2, 1, -0.7, 0.1, 0.5];
  const v: Params = { w: tf.tensor1d(vArr) };
  const expected = matVec(A, vArr);
  for (const method of ['finiteDifference', 'autodiff'] as const) {
    const hv = hessianVectorProduct(quadLoss, params, batch, v, { method });
    arr(hv['w']!).forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) <= 1e-3 * norm(expected), `${method} [${i}] ${x} vs ${expected[i]}`));
    disposeTree(hv);
  }
  const zero = hessianVectorProduct(quadLoss, params, batch, { w: tf.zeros([5]) });
  assert.deepEqual(arr(zero['w']!), [0, 0, 0, 0, 0]);
  assert.throws(() => hessianVectorProduct(quadLoss, params, batch, { u: tf.zeros([5]) }), RangeError);
  assert.throws(() => hessianVectorProduct(quadLoss, params, batch, { w: tf.zeros([4]) }), /v\.w/);
  assert.throws(() => hessianVectorProduct(quadLoss, params, batch, v, { step: 0 }), /step/);
  disposeTree(zero);
  disposeTree([params, v, batch]);
});

test('tfjs 4.22 second-order autodiff drops terms of ops whose gradient uses their output (why finite differences are the default)', () => {
  // L(w) = Σ exp(w) + Σ w²: H = diag(exp(w) + 2); H·e₁ at w = (0.5, −1) is (e^0.5 + 2, 0).
  const loss: LossFn = (p) => tf.tidy(() => tf.add(tf.sum(tf.exp(p['w']!)), tf.sum(tf.square(p['w']!))) as tf.Scalar);
  const params: Params = { w: tf.tensor1d([0.5, -1]) };
  const v: Params = { w: tf.tensor1d([1, 0]) };
  const truth = Math.exp(0.5) + 2;
  const fd = hessianVectorProduct(loss, params, {}, v);
  relClose(arr(fd['w']!)[0]!, truth, 1e-3, 'finite difference');
  const ad = hessianVectorProduct(loss, params, {}, v, { method: 'autodiff' });
  assert.ok(Math.abs(arr(ad['w']!)[0]! - truth) > 0.5, `tfjs autodiff HVP now includes exp's term (${arr(ad['w']!)[0]}); revisit the HvpMethod doc`);
  disposeTree([fd, ad, params, v]);
});

test('topHessianEigenvalue ≈ λ_max (rank-1 leaf and a flattened rank-2 leaf)', () => {
  const batch = makeBatch(A, [0.3, -0.2, 0.1, 0.4, -0.5]);
  const params: Params = { w: tf.tensor1d([1, -2, 0.5, 3, 0.25]) };
  const r = topHessianEigenvalue(quadLoss, params, batch, { key: key(3) });
  relClose(r.eigenvalue, 5, 1e-3, 'λ_max');
  assert.ok(r.converged && r.iterations <= 20, JSON.stringify(r));
  assert.deepEqual(topHessianEigenvalue(quadLoss, params, batch, { key: key(3) }), r, 'deterministic in the key');
  const ad = topHessianEigenvalue(quadLoss, params, batch, { key: key(4), method: 'autodiff', tol: 1e-6, iterations: 40 });
  relClose(ad.eigenvalue, 5, 1e-4, 'λ_max (autodiff)');
  const few = topHessianEigenvalue(quadLoss, params, batch, { key: key(3), iterations: 1 });
  assert.equal(few.iterations, 1);
  assert.equal(few.converged, false);

  // A 6×6 operator on a [2, 3] leaf, eigenvalues 3, 1.5, 1, 1, 0.2, 0.
  const L6 = [3, 1.5, 1, 1, 0.2, 0];
  const Q6 = householder([2, -1, 0.5, 1, 1, -3]);
  const A6 = Q6.map((_, i) => Q6.map((__, j) => L6.reduce((acc, l, k) => acc + Q6[i]![k]! * l * Q6[j]![k]!, 0)));
  const batch6 = makeBatch(A6, [0, 0, 0, 0, 0, 0]);
  const p6: Params = { w: tf.tensor2d([[1, 0.5, -1], [0.2, 2, 1]]) };
  relClose(topHessianEigenvalue(quadLoss, p6, batch6, { key: key(5), iterations: 60 }).eigenvalue, 3, 1e-3, 'rank-2 λ_max');
  assert.throws(() => topHessianEigenvalue(quadLoss, params, batch, { key: key(3), iterations: 0 }), /iterations/);
  assert.throws(() => topHessianEigenvalue(quadLoss, params, batch, { key: [1, 2, 3] as never }), /key/);
  disposeTree([params, batch, p6, batch6]);
});

test('samSharpness: ½ρ²λ_max at the minimum, the closed-form ball maximum elsewhere, SAM one-step at steps = 0', () => {
  const c = [0.3, -0.2, 0.1, 0.4, -0.5];
  const batch = makeBatch(A, c);
  const rho = 0.05;
  // At w = c the gradient is 0: random start, then ascent towards the top eigenvector.
  const atMin: Params = { w: tf.tensor1d(c) };
  const r0 = samSharpness(quadLoss, atMin, batch, { rho, key: key(7) });
  const exact0 = 0.5 * rho * rho * 5;
  assert.ok(r0.sharpness <= exact0 * (1 + 1e-3), `sharpness ${r0.sharpness} exceeds the maximum ${exact0}`);
  relClose(r0.sharpness, exact0, 0.02, 'at the minimum');
  assert.equal(r0.history.length, 6);
  assert.ok(Math.abs(r0.loss) < 1e-12);

  // Diagonal A, general w: max_{‖ε‖≤ρ} gᵀε + ½εᵀΛε, solved by the secular equation ε_i = g_i/(μ − λ_i), ‖ε‖ = ρ.
  const diag = [4, 1, 0.5];
  const D = diag.map((l, i) => diag.map((_, j) => (i === j ? l : 0)));
  const w0 = [0.01, 0.2, -0.3];
  const g = w0.map((x, i) => diag[i]! * x);
  const epsOf = (mu: number): number[] => g.map((gi, i) => gi / (mu - diag[i]!));
  let lo = Math.max(...diag) + 1e-12;
  let hi = Math.max(...diag) + 1e6;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (norm(epsOf(mid)) > rho) lo = mid;
    else hi = mid;
  }
  const epsStar = epsOf(hi);
  const exact = dot(g, epsStar) + quad(D, epsStar);
  const batchD = makeBatch(D, [0, 0, 0]);
  const pw: Params = { w: tf.tensor1d(w0) };
  const r = samSharpness(quadLoss, pw, batchD, { rho });
  assert.ok(r.sharpness <= exact * (1 + 1e-3), `${r.sharpness} > ${exact}`);
  relClose(r.sharpness, exact, 0.01, 'general w');
  for (let t = 1; t < r.history.length; t++) assert.ok(r.history[t]! >= r.history[t - 1]! - 1e-7, 'ascent on a convex loss');
  // steps = 0: SAM's one-step value ρ‖g‖ + ½ρ² ĝᵀAĝ.
  const gh = g.map((x) => x / norm(g));
  const one = samSharpness(quadLoss, pw, batchD, { rho, steps: 0 });
  relClose(one.sharpness, rho * norm(g) + rho * rho * quad(D, gh), 1e-3, 'one step');
  assert.ok(one.sharpness < r.sharpness);
  assert.equal(samSharpness(quadLoss, pw, batchD, { rho: 0 }).sharpness, 0);
  assert.throws(() => samSharpness(quadLoss, pw, batchD, { rho: -0.1 }), /rho/);
  assert.throws(() => samSharpness(quadLoss, pw, batchD, { rho, steps: 1.5 }), /steps/);
  disposeTree([atMin, batch, batchD, pw]);
});

test('lossSlice1D is the parabola of the quadratic; lossSlice2D matches the formula, rows follow β', () => {
  const c = [0.3, -0.2, 0.1, 0.4, -0.5];
  const batch = makeBatch(A, c);
  const w0 = [1, -2, 0.5, 3, 0.25];
  const params: Params = { w: tf.tensor1d(w0) };
  const k = key(11);
  const s = lossSlice1D(quadLoss, params, batch, { key: k, biases: 'normalize', span: 0.5, points: 11 });
  assert.equal(s.alphas.length, 11);
  assert.equal(s.alphas[0], -0.5);
  assert.equal(s.alphas[10], 0.5);
  const dT = filterNormalizedDirection(params, k, { biases: 'normalize' });
  const d = arr(dT['w']!);
  const at = (alpha: number, beta = 0, d2: number[] = [0, 0, 0, 0, 0]): number =>
    quad(A, w0.map((x, i) => x + alpha * d[i]! + beta * d2[i]! - c[i]!));
  s.alphas.forEach((a, i) => relClose(s.losses[i]!, at(a), 1e-4, `α = ${a}`));
  // Parabola: second differences are constant = Δα²·dᵀAd.
  const dd = 2 * quad(A, d) * 0.1 ** 2;
  for (let i = 1; i < 10; i++) relClose(s.losses[i - 1]! - 2 * s.losses[i]! + s.losses[i + 1]!, dd, 1e-2, 'second difference');
  // Default biases: 'zero' leaves a rank-1-only model unperturbed: a flat slice.
  const flat = lossSlice1D(quadLoss, params, batch, { key: k, points: 3 });
  assert.ok(flat.losses.every((x) => x === flat.losses[0]));

  const s2 = lossSlice2D(quadLoss, params, batch, { key: k, biases: 'normalize', span: 1, points: 5 });
  assert.equal(s2.losses.length, 5);
  assert.ok(s2.losses.every((row) => row.length === 5));
  const [k1, k2] = split(k, 2);
  const e1 = filterNormalizedDirection(params, k1!, { biases: 'normalize' });
  const e2 = filterNormalizedDirection(params, k2!, { biases: 'normalize' });
  const d1 = arr(e1['w']!);
  const d2 = arr(e2['w']!);
  const at2 = (a: number, b: number): number => quad(A, w0.map((x, i) => x + a * d1[i]! + b * d2[i]! - c[i]!));
  for (const [j, i] of [[0, 4], [4, 0], [2, 2], [1, 3]] as const) {
    relClose(s2.losses[j]![i]!, at2(s2.alphas[i]!, s2.betas[j]!), 1e-4, `losses[${j}][${i}]`);
  }
  assert.throws(() => lossSlice1D(quadLoss, params, batch, { key: k, points: 1 }), /points/);
  assert.throws(() => lossSlice2D(quadLoss, params, batch, { key: k, span: 0 }), /span/);
  disposeTree([params, batch, dT, e1, e2]);
});

test('expectedPerturbedLoss = ½r²·E[dᵀAd] at the minimum: exact for A = 3I, bounded and r²-scaled in general, deterministic in the key', () => {
  const c = [1, -2, 0.5, 3, 0.25];
  const cn2 = dot(c, c);
  const params: Params = { w: tf.tensor1d(c) }; // at the minimum w = c
  const iso = makeBatch(A.map((row, i) => row.map((_, j) => (i === j ? 3 : 0))), c);
  const e = expectedPerturbedLoss(quadLoss, params, iso, { radii: [0.01, 0.1], samples: 4, key: key(1), biases: 'normalize' });
  relClose(e.mean[0]!, 0.5 * 0.01 ** 2 * 3 * cn2, 1e-3, 'r = 0.01');
  relClose(e.mean[1]!, 0.5 * 0.1 ** 2 * 3 * cn2, 1e-4, 'r = 0.1');
  assert.ok(e.std[1]! <= 1e-4 * e.mean[1]!, 'isotropic: every direction gives the same value');

  const batch = makeBatch(A, c);
  const opts = { radii: [0.05, 0.1, -0.1], samples: 200, key: key(2), biases: 'normalize' } as const;
  const r = expectedPerturbedLoss(quadLoss, params, batch, opts);
  const tr = LAMBDA.reduce((a, x) => a + x, 0);
  assert.ok(r.deltas.flat().every((x) => x > 0), 'a minimum: every perturbation raises the loss');
  assert.ok(r.mean[1]! >= 0.5 * 0.01 * 0.1 * cn2 && r.mean[1]! <= 0.5 * 0.01 * 5 * cn2, 'between λ_min and λ_max');
  relClose(r.mean[1]!, 0.5 * 0.01 * cn2 * (tr / N), 0.15, 'E[uᵀAu] = tr(A)/n for u uniform on the sphere');
  relClose(r.mean[1]! / r.mean[0]!, 4, 1e-3, 'scales as r²');
  relClose(r.mean[2]!, r.mean[1]!, 1e-4, 'even in r at the minimum');
  assert.ok(r.std[1]! > 0);
  assert.deepEqual(expectedPerturbedLoss(quadLoss, params, batch, opts), r, 'same key, same numbers');
  const other = expectedPerturbedLoss(quadLoss, params, batch, { ...opts, key: key(3) });
  assert.notDeepEqual(other.mean, r.mean);

  // A rank-2 leaf with the default biases: 'zero' (no rank-1 leaves): Σ_i ‖d_i‖² = ‖W‖², exact for A = 2I.
  const W = [[1, 0.5, -1], [0.2, 2, 1]];
  const pW: Params = { w: tf.tensor2d(W) };
  const I2 = makeBatch(Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (__, j) => (i === j ? 2 : 0))), W.flat());
  const eW = expectedPerturbedLoss(quadLoss, pW, I2, { radii: [0.1], samples: 3, key: key(4) });
  relClose(eW.mean[0]!, 0.5 * 0.01 * 2 * dot(W.flat(), W.flat()), 1e-4, 'rank-2, filter-normalized');

  assert.throws(() => expectedPerturbedLoss(quadLoss, params, batch, { radii: [], key: key(1) }), /radii/);
  assert.throws(() => expectedPerturbedLoss(quadLoss, params, batch, { radii: [Number.NaN], key: key(1) }), /radii\[0\]/);
  assert.throws(() => expectedPerturbedLoss(quadLoss, params, batch, { radii: [0.1], samples: 0, key: key(1) }), /samples/);
  disposeTree([params, iso, batch, pW, I2]);
});

test('no tensor leaks, inputs neither disposed nor changed', () => {
  const c = [0.3, -0.2, 0.1, 0.4, -0.5];
  const batch = makeBatch(A, c);
  const params: Params = { w: tf.tensor1d([1, -2, 0.5, 3, 0.25]), W: tf.tensor2d([[1, 2], [3, 4]]) };
  // A loss using both leaves (W enters through a small extra term).
  const loss: LossFn<QuadBatch> = (p, b) => tf.tidy(() => tf.add(quadLoss({ w: p['w']! }, b), tf.mul(0.1, tf.sum(tf.square(p['W']!)))) as tf.Scalar);
  const v: Params = { w: tf.onesLike(params['w']!), W: tf.onesLike(params['W']!) };
  const atMin: Params = { w: tf.tensor1d(c), W: tf.zeros([2, 2]) }; // ∇L = 0: samSharpness's random start
  const calls: Record<string, () => unknown> = {
    filterNormalizedDirection: () => disposeTree(filterNormalizedDirection(params, key(1), { biases: 'normalize' })),
    expectedPerturbedLoss: () => expectedPerturbedLoss(loss, params, batch, { radii: [0.1, 0.2], samples: 2, key: key(1) }),
    samSharpness: () => samSharpness(loss, params, batch, { rho: 0.05, steps: 2 }),
    'samSharpness (random start)': () => samSharpness(loss, atMin, batch, { rho: 0.05, steps: 1 }),
    hessianVectorProduct: () => disposeTree(hessianVectorProduct(loss, params, batch, v)),
    'hessianVectorProduct (autodiff)': () => disposeTree(hessianVectorProduct(loss, params, batch, v, { method: 'autodiff' })),
    topHessianEigenvalue: () => topHessianEigenvalue(loss, params, batch, { key: key(1), iterations: 3 }),
    lossSlice1D: () => lossSlice1D(loss, params, batch, { key: key(1), points: 3 }),
    lossSlice2D: () => lossSlice2D(loss, params, batch, { key: key(1), points: 3 }),
  };
  const wBefore = arr(params['w']!);
  for (const [name, call] of Object.entries(calls)) {
    call(); // warm-up (lazily created backend constants)
    const before = tf.memory().numTensors;
    call();
    call();
    assert.equal(tf.memory().numTensors, before, `${name} leaks tensors`);
  }
  assert.ok(!params['w']!.isDisposed && !params['W']!.isDisposed && !batch.A.isDisposed && !batch.c.isDisposed);
  assert.deepEqual(arr(params['w']!), wBefore);
  disposeTree([params, batch, v, atMin]);
});

// ---------------------------------------------------------------------------------------------
// SVG

/** Checks well-formedness the way an XML parser would at the tag level: balanced, properly nested tags, escaped text. */
function assertWellFormedSvg(svg: string): void {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), 'starts with <svg xmlns=…');
  assert.ok(!/NaN|Infinity|undefined/.test(svg), 'no NaN / Infinity / undefined');
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(svg)) !== null) {
    const text = svg.slice(last, m.index);
    assert.ok(!/[<>]/.test(text), `stray markup in text: ${JSON.stringify(text.slice(0, 80))}`);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(text), `unescaped & in text: ${JSON.stringify(text.slice(0, 80))}`);
    for (const [, val] of m[3]!.matchAll(/="([^"]*)"/g)) assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(val!), `unescaped & in attribute ${val}`);
    last = tagRe.lastIndex;
    const [, close, name, , self] = m;
    if (self === '/') continue;
    if (close === '/') assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name!);
  }
  assert.ok(!/[<>]/.test(svg.slice(last)), 'trailing markup');
  assert.deepEqual(stack, [], 'every tag closed');
  for (const [, val] of svg.matchAll(/ (?:x|y|x1|y1|x2|y2|cx|cy|width|height|r)="([^"]*)"/g)) {
    assert.ok(Number.isFinite(Number(val)), `coordinate ${val}`);
  }
}

test('lineChartSvg: valid SVG, series names (escaped), distinct colours, NaN points skipped', () => {
  const svg = lineChartSvg({
    title: 'test accuracy vs wall-clock <CIFAR & co>',
    xLabel: 'seconds',
    yLabel: 'accuracy',
    series: [
      { name: 'SGD', xs: [0, 10, 20, 30], ys: [0.1, 0.5, 0.7, 0.8] },
      { name: 'SAM "ρ=0.05"', xs: [0, 20, 40, 60], ys: [0.1, 0.55, Number.NaN, 0.85] },
      { name: 'RWP & m-RWP', xs: [0, 11, 22], ys: [0.1, 0.52, 0.74] },
    ],
  });
  assertWellFormedSvg(svg);
  assert.ok(svg.includes('SGD') && svg.includes('SAM &quot;ρ=0.05&quot;') && svg.includes('RWP &amp; m-RWP'));
  assert.ok(svg.includes('&lt;CIFAR &amp; co&gt;'));
  const strokes = new Set([...svg.matchAll(/<g class="series" fill="(#[0-9a-f]{6})"/g)].map((x) => x[1]));
  assert.equal(strokes.size, 3, 'one colour per series');
  // The NaN breaks SAM's line into two pieces.
  assert.ok(/<path d="M[^"]*M[^"]*"/.test(svg));
  const log = lineChartSvg({ title: 'loss', series: [{ name: 'loss', xs: [1, 2, 3], ys: [10, 1, 0.01] }], logY: true, width: 300, height: 200 });
  assertWellFormedSvg(log);
  assert.ok(log.includes('>0.01<') && log.includes('>10<'));
  // A log axis over one decade still has more than three labelled ticks (1-2-5 within the decade).
  const narrow = lineChartSvg({ title: 'slice', series: [{ name: 's', xs: [0, 1, 2], ys: [0.3, 0.5, 2.5] }], logY: true });
  const yLabels = [...narrow.matchAll(/text-anchor="end" stroke="none">([^<]+)</g)].map((x) => x[1]);
  assert.deepEqual(yLabels, ['0.1', '0.2', '0.5', '1', '2', '5', '10']);
  // A band (mean ± std): one polygon per unbroken run, and it widens the y range.
  const banded = lineChartSvg({ title: 'band', series: [{ name: 'b', xs: [1, 2, 3, 4], ys: [5, 6, 7, 8], band: { lo: [4, 5, Number.NaN, 7], hi: [6, 7, 8, 20] } }] });
  assertWellFormedSvg(banded);
  assert.equal([...banded.matchAll(/<polygon class="band"/g)].length, 1, 'the NaN leaves one run of two points and a single point (no polygon)');
  assert.ok(banded.includes('>20<'), 'the band reaches y = 20');
  assert.throws(() => lineChartSvg({ title: 't', series: [{ name: 'a', xs: [1, 2], ys: [1, 2], band: { lo: [1], hi: [2, 3] } }] }), /series\[0\]\.band/);
  assertWellFormedSvg(lineChartSvg({ title: 'empty', series: [] }));
  assertWellFormedSvg(lineChartSvg({ title: 'flat', series: [{ name: 'c', xs: [0, 1], ys: [2, 2] }] }));
  assert.throws(() => lineChartSvg({ title: 't', series: [{ name: 'a', xs: [1, 2], ys: [1] }] }), /series\[0\]\.ys/);
  assert.throws(() => lineChartSvg({ title: 't', series: [], width: 0 }), /width/);
});

test('contourSvg: heat-map of a 2-D loss slice with a colour bar and contour lines', () => {
  const batch = makeBatch(A, [0.3, -0.2, 0.1, 0.4, -0.5]);
  const params: Params = { w: tf.tensor1d([1, -2, 0.5, 3, 0.25]) };
  const s = lossSlice2D(quadLoss, params, batch, { key: key(1), biases: 'normalize', points: 9 });
  const svg = contourSvg({ title: '2-D slice <w>', xs: s.alphas, ys: s.betas, z: s.losses, xLabel: 'α', yLabel: 'β', zLabel: 'loss', marker: { x: 0, y: 0 } });
  assertWellFormedSvg(svg);
  assert.equal([...svg.matchAll(/<g class="heatmap"/g)].length, 1);
  const heat = svg.slice(svg.indexOf('<g class="heatmap"'), svg.indexOf('</g>', svg.indexOf('<g class="heatmap"')));
  assert.equal([...heat.matchAll(/<rect /g)].length, 81, 'one cell per grid point');
  assert.ok(svg.includes('<g class="contours"'));
  assert.ok(svg.includes('2-D slice &lt;w&gt;'));
  const none = contourSvg({ title: 'no lines', xs: [0, 1], ys: [0, 1, 2], z: [[1, 2], [3, Number.NaN], [5, 6]], levels: 0 });
  assertWellFormedSvg(none);
  assert.ok(!none.includes('class="contours"') && none.includes('#cccccc'), 'NaN cell drawn grey');
  assertWellFormedSvg(contourSvg({ title: 'constant', xs: [0, 1], ys: [0, 1], z: [[2, 2], [2, 2]] }));
  assert.throws(() => contourSvg({ title: 't', xs: [0, 1], ys: [0, 1], z: [[1, 2]] }), /z must have one row per y/);
  assert.throws(() => contourSvg({ title: 't', xs: [1, 0], ys: [0, 1], z: [[1, 2], [3, 4]] }), /xs/);
  disposeTree([params, batch]);
});

test('contourSegments: the level set of x² + y² = 1 lies on the unit circle', () => {
  const g = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
  const z = g.map((y) => g.map((x) => x * x + y * y));
  const segs = contourSegments(g, g, z, 1);
  assert.ok(segs.length > 40);
  for (const [ax, ay, bx, by] of segs) {
    assert.ok(Math.abs(Math.hypot(ax, ay) - 1) < 0.01 && Math.abs(Math.hypot(bx, by) - 1) < 0.01);
  }
  // Saddle z = x·y at level 0 through the cell's centre: both diagonals' crossings, no crash.
  assert.equal(contourSegments([0, 1], [0, 1], [[1, -1], [-1, 1]], 0).length, 2);
});
