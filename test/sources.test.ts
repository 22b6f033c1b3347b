// Gradient sources: closed forms, describe(), reference loops written from the papers' formulas, serialization.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  adversarial, arwp, asam, cleanGrad, cosineIncrease, describe, disposeTree, equals, filterNoise, fold, foldName, fromJSON, gradientOf,
  key, mArwp, mix, mRwp, noiseKey, optimizer, perturbedGrad, ready, rwp, sam, sgd, step, toJSON, toSeed, type LossFn, type ResolvedPerturbation, type Tree,
} from '../src/index.js';
import { maxRelDiff, regression } from './helpers/problems.js';
import { normals, seedWords } from '../src/normal.js';

before(async () => {
  await ready();
});

const A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]];
/** L(w) = ½ wᵀAw, with A symmetric positive definite. */
const quadratic: LossFn = (p) =>
  tf.tidy(() => {
    const w = tf.reshape(p['w'] as tf.Tensor, [3, 1]);
    return tf.mul(0.5, tf.sum(tf.mul(w, tf.matMul(tf.tensor2d(A), w)))) as tf.Scalar;
  });
const Aw = (w: number[]): number[] => A.map((row) => row.reduce((s, a, j) => s + a * (w[j] as number), 0));

test('SAM on ½wᵀAw matches the closed form ∇L(w + ρ·Aw/‖Aw‖) = A(w + ρ·Aw/‖Aw‖)', () => {
  for (const [w, rho] of [[[1, -2, 0.5], 0.05], [[0.3, 0.1, -1], 0.5], [[2, 2, 2], 1.5]] as const) {
    const params = { w: tf.tensor1d(w as unknown as number[]) };
    const { grads, value, valueAt } = gradientOf(sam({ ρ: rho }), quadratic, params, {});
    const g = Aw(w as unknown as number[]);
    const norm = Math.hypot(...g);
    const expected = Aw((w as unknown as number[]).map((wi, i) => wi + (rho * (g[i] as number)) / norm));
    const got = Array.from((grads['w'] as tf.Tensor).dataSync());
    got.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) <= 1e-5 * Math.hypot(...expected), `w=${w} ρ=${rho}: ${got} vs ${expected}`));
    const l0 = 0.5 * (w as unknown as number[]).reduce((s, wi, i) => s + wi * (g[i] as number), 0);
    assert.equal(valueAt, 'w');
    assert.ok(Math.abs(value - l0) <= 1e-5 * l0, `value ${value} vs L(w) ${l0}`);
    disposeTree([params, grads]);
  }
});

test('ASAM on ½wᵀAw (weights as a [3,1] matrix, so T = |w| + η applies) matches ε = ρ·T²g/‖Tg‖', () => {
  const w = [1, -2, 0.5];
  const rho = 0.5;
  const eta = 0.01;
  const params = { w: tf.tensor2d(w, [3, 1]) };
  const { grads } = gradientOf(asam({ ρ: rho, η: eta }), quadratic, params, {});
  const g = Aw(w);
  const T = w.map((x) => Math.abs(x) + eta);
  const tg = g.map((gi, i) => gi * (T[i] as number));
  const n = Math.hypot(...tg);
  const expected = Aw(w.map((wi, i) => wi + (rho * (T[i] as number) * (tg[i] as number)) / n));
  const got = Array.from((grads['w'] as tf.Tensor).dataSync());
  got.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) <= 1e-5 * Math.hypot(...expected), `${got} vs ${expected}`));
  disposeTree([params, grads]);
});

test('SAM at a stationary point (g = 0) gives ε = 0 thanks to the 1e-12 guard: no NaN', () => {
  const params = { w: tf.zeros([3]) };
  const { grads } = gradientOf(sam(), quadratic, params, {});
  assert.deepEqual(Array.from((grads['w'] as tf.Tensor).dataSync()), [0, 0, 0]);
  disposeTree([params, grads]);
});

test('describe prints each preset as its formula', () => {
  assert.equal(describe(cleanGrad), '∇L(w)');
  assert.equal(describe(rwp()), '0.5·∇L(w) + 0.5·∇L(w+ε), ε_i ~ N(0,(0.01·‖w_i‖)²)');
  assert.equal(describe(rwp({ σ: 0.005, λ: 0.3 })), '0.7·∇L(w) + 0.3·∇L(w+ε), ε_i ~ N(0,(0.005·‖w_i‖)²)');
  assert.equal(describe(mRwp()), '0.5·∇L(w; B₁) + 0.5·∇L(w+ε; B₂), ε_i ~ N(0,(0.01·‖w_i‖)²)');
  assert.equal(describe(sam()), '∇L(w+ε), ε = 0.05·∇L(w)/‖∇L(w)‖');
  assert.equal(describe(asam()), '∇L(w+ε), ε = 0.5·T²∇L(w)/‖T∇L(w)‖, T = |w| + 0.01');
  assert.equal(
    describe(arwp({ steps: 1000 })),
    '∇L(w+ε), σ_t = cosineIncrease(0.01, 15, 1000), ε_i ~ N(0,(σ_t·‖w_i‖)²/(1 + 1·Σ_j F_ij)), F ← 0.9·F + ∇L(w+ε)²',
  );
  assert.equal(
    describe(mArwp()),
    '0.5·∇L(w; B₁) + 0.5·∇L(w+ε; B₂), ε_i ~ N(0,(0.01·‖w_i‖)²/(1 + 1·Σ_j F_ij)), F ← 0.9·F + ∇L(w+ε; B₂)²',
  );
  assert.equal(
    describe(mix(perturbedGrad(filterNoise(0.01)), sam(), 0.25)),
    '0.75·∇L(w+ε₁) + 0.25·∇L(w+ε₂), ε₁_i ~ N(0,(0.01·‖w_i‖)²), ε₂ = 0.05·∇L(w)/‖∇L(w)‖',
  );
});

test('bad hyperparameters: a clear error naming the parameter', () => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => filterNoise(-0.1), /σ \(sigma\) must be ≥ 0, got -0.1/],
    [() => rwp({ σ: -1 }), /σ \(sigma\) must be ≥ 0/],
    [() => adversarial(-0.05), /ρ \(rho\) must be ≥ 0, got -0.05/],
    [() => sam({ ρ: Number.NaN }), /ρ \(rho\) must be ≥ 0, got NaN/],
    [() => mix(cleanGrad, cleanGrad, 1.5), /λ \(lambda\) must be in \[0, 1\], got 1.5/],
    [() => rwp({ λ: -0.1 }), /λ \(lambda\) must be in \[0, 1\]/],
    [() => mArwp({ η: -1 }), /η \(eta\) must be ≥ 0, got -1/],
    [() => arwp({ steps: 10, β: 1 }), /β \(beta\) must be in \[0, 1\), got 1/],
    [() => mArwp({ β: -0.5 }), /β \(beta\) must be in \[0, 1\), got -0.5/],
    [() => asam({ η: -0.01 }), /η \(eta\) must be ≥ 0/],
    [() => arwp({}), /steps .* is required/],
    [() => mix(cleanGrad, { kind: 'nope' } as never), /b must be a gradient source/],
    [() => rwp({ sigma: 0.1, σ: 0.2 }), /both 'sigma' and 'σ'/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
  // every problem is listed, not only the first
  assert.throws(() => mix(cleanGrad, cleanGrad, 2, { batch: 'halves' as never }), (e: Error) => /λ \(lambda\)/.test(e.message) && /batch must be 'same' or 'split'/.test(e.message));
});

test('a schedule that leaves its range fails at the step where it does, naming the hyperparameter', () => {
  const { params, batch, loss } = regression(3);
  const opt = optimizer(rwp({ σ: (t: number) => 0.01 - 0.02 * t }), sgd(0.1));
  const s0 = opt.init(params);
  const r = step(opt, loss, params, batch, s0);
  assert.throws(() => step(opt, loss, r.params, batch, r.state), /σ \(sigma\) must be ≥ 0, but its schedule gave -0.01 at step 1/);
  disposeTree([params, batch, r, s0]);
});

test('sources serialize, deserialize and compare', () => {
  for (const s of [cleanGrad, rwp(), mRwp({ σ: 0.02 }), sam({ ρ: 0.1 }), asam(), arwp({ steps: 100 }), mArwp({ λ: 0.3 })]) {
    const back = fromJSON(JSON.parse(JSON.stringify(toJSON(s))));
    assert.ok(equals(s, back), describe(s));
    assert.equal(describe(back), describe(s));
  }
  assert.ok(!equals(rwp(), rwp({ σ: 0.02 })));
  assert.ok(!equals(rwp(), mRwp()));
  assert.ok(!equals(sam(), asam()));
  assert.throws(() => toJSON(rwp({ σ: (t: number) => t })), /custom function schedule/);
});

// ---- Reference loops: the algorithms written out from the formulas, compared with optimix over 20 steps. ----

const names = (t: Tree) => Object.keys(t);
function grad(loss: LossFn, w: Tree, batch: Record<string, tf.Tensor>): Tree {
  const ns = names(w);
  const g = tf.grads((...xs: tf.Tensor[]) => loss(Object.fromEntries(ns.map((n, i) => [n, xs[i] as tf.Tensor])), batch))(ns.map((n) => w[n] as tf.Tensor));
  return Object.fromEntries(ns.map((n, i) => [n, g[i] as tf.Tensor]));
}
/** σ·‖W_i‖ per output filter (last axis), σ·(‖p‖ + 1e-16) for vectors. */
function noiseStd(w: tf.Tensor, sigma: number): tf.Tensor {
  if (w.rank === 1) return tf.mul(sigma, tf.add(tf.norm(w), 1e-16));
  const axes = Array.from({ length: w.rank - 1 }, (_, i) => i);
  return tf.mul(sigma, tf.sqrt(tf.sum(tf.square(w), axes, true)));
}
/** The documented noise contract: leaf n of perturbation p at step t is the Philox normals of seed toSeed(foldName(noiseKey(fold(key, t), p), n)). */
const z = (k: ReturnType<typeof key>, t: number, p: ResolvedPerturbation, name: string, shape: number[]) =>
  tf.tensor(normals(seedWords(toSeed(foldName(noiseKey(fold(k, t), p), name))), shape.reduce((a, b) => a * b, 1)), shape);

function runOptimix(source: Parameters<typeof optimizer>[0], seed: number, steps: number): { ours: Tree; init: Tree; batch: Record<string, tf.Tensor>; loss: LossFn } {
  const { params, batch, loss } = regression(seed);
  const opt = optimizer(source, sgd(0.05, { momentum: 0.9, weightDecay: 1e-3 }));
  let state = opt.init(params, key(seed));
  let p = params;
  for (let t = 0; t < steps; t++) {
    const r = step(opt, loss, p, batch, state);
    if (p !== params) disposeTree(p);
    disposeTree(state);
    p = r.params;
    state = r.state;
  }
  disposeTree(state);
  return { ours: p, init: params, batch: batch as Record<string, tf.Tensor>, loss };
}

/** SGD with momentum 0.9 and coupled weight decay 1e-3, lr 0.05 (torch.optim.SGD), by hand. */
function sgdByHand(w: Tree, m: Record<string, tf.Tensor>, g: Tree): Tree {
  const out: Record<string, tf.Tensor> = {};
  for (const n of names(w)) {
    const d = tf.add(g[n] as tf.Tensor, tf.mul(w[n] as tf.Tensor, 1e-3));
    m[n] = tf.keep(tf.add(tf.mul(m[n] as tf.Tensor, 0.9), d));
    out[n] = tf.keep(tf.add(w[n] as tf.Tensor, tf.mul(m[n] as tf.Tensor, -0.05)));
  }
  return out;
}

test('RWP equals a hand-written loop of the paper’s update over 20 steps: g = ½∇L(w) + ½∇L(w + ε), ε_i ~ N(0,(σ‖W_i‖)²)', () => {
  const sigma = 0.05;
  const { ours, init, batch, loss } = runOptimix(rwp({ σ: sigma }), 1, 20);
  let w: Tree = init;
  const m: Record<string, tf.Tensor> = Object.fromEntries(names(init).map((n) => [n, tf.zerosLike(init[n] as tf.Tensor)]));
  for (let t = 0; t < 20; t++) {
    w = tf.tidy(() => {
      const g0 = grad(loss, w, batch);
      const wp = Object.fromEntries(names(w).map((n) => [n, tf.add(w[n] as tf.Tensor, tf.mul(z(key(1), t, { kind: 'filterNoise', sigma, axis: -1, names: names(w), draw: 0 }, n, (w[n] as tf.Tensor).shape), noiseStd(w[n] as tf.Tensor, sigma)))]));
      const g1 = grad(loss, wp, batch);
      const g = Object.fromEntries(names(w).map((n) => [n, tf.add(tf.mul(g0[n] as tf.Tensor, 0.5), tf.mul(g1[n] as tf.Tensor, 0.5))]));
      return sgdByHand(w, m, g);
    });
  }
  const diff = maxRelDiff(ours, w);
  assert.ok(diff <= 1e-5, `relative difference ${diff}`);
});

test('SAM equals a hand-written loop over 20 steps: g = ∇L(w + ρ·∇L(w)/‖∇L(w)‖)', () => {
  const rho = 0.1;
  const { ours, init, batch, loss } = runOptimix(sam({ ρ: rho }), 2, 20);
  let w: Tree = init;
  const m: Record<string, tf.Tensor> = Object.fromEntries(names(init).map((n) => [n, tf.zerosLike(init[n] as tf.Tensor)]));
  for (let t = 0; t < 20; t++) {
    w = tf.tidy(() => {
      const g0 = grad(loss, w, batch);
      const norm = tf.sqrt(tf.addN(names(w).map((n) => tf.sum(tf.square(g0[n] as tf.Tensor)))));
      const wp = Object.fromEntries(names(w).map((n) => [n, tf.add(w[n] as tf.Tensor, tf.mul(g0[n] as tf.Tensor, tf.div(rho, tf.add(norm, 1e-12))))]));
      return sgdByHand(w, m, grad(loss, wp, batch));
    });
  }
  const diff = maxRelDiff(ours, w);
  assert.ok(diff <= 1e-5, `relative difference ${diff}`);
});

test('ARWP equals a hand-written loop over 20 steps: ε_i = z·s_t‖W_i‖/√(1 + η Σ_j F_ij), F ← βF + g², s_t CosineInc', () => {
  const [s0, inc, T, eta, beta] = [0.02, 10, 20, 1, 0.9];
  const { ours, init, batch, loss } = runOptimix(arwp({ σ: s0, inc, steps: T, η: eta, β: beta }), 3, 20);
  const sched = cosineIncrease(s0, inc, T);
  let w: Tree = init;
  const m: Record<string, tf.Tensor> = Object.fromEntries(names(init).map((n) => [n, tf.zerosLike(init[n] as tf.Tensor)]));
  let F: Record<string, tf.Tensor> = Object.fromEntries(names(init).map((n) => [n, tf.zerosLike(init[n] as tf.Tensor)]));
  for (let t = 0; t < 20; t++) {
    const [nextW, nextF] = tf.tidy(() => {
      const wp: Record<string, tf.Tensor> = {};
      for (const n of names(w)) {
        const x = w[n] as tf.Tensor;
        const fs = x.rank >= 2 ? tf.sum(F[n] as tf.Tensor, Array.from({ length: x.rank - 1 }, (_, i) => i), true) : (F[n] as tf.Tensor);
        const std = tf.div(noiseStd(x, sched(t)), tf.sqrt(tf.add(1, tf.mul(eta, fs))));
        wp[n] = tf.add(x, tf.mul(z(key(3), t, { kind: 'adaptiveFilterNoise', sigma: sched(t), eta, beta, axis: -1, names: names(w), draw: 0 }, n, x.shape), std));
      }
      const g = grad(loss, wp, batch);
      const f2 = Object.fromEntries(names(w).map((n) => [n, tf.keep(tf.add(tf.mul(F[n] as tf.Tensor, beta), tf.square(g[n] as tf.Tensor)))]));
      return [sgdByHand(w, m, g), f2] as const;
    });
    w = nextW;
    F = nextF;
  }
  const diff = maxRelDiff(ours, w);
  assert.ok(diff <= 1e-5, `relative difference ${diff}`);
});

test("mix with batch 'split' gives each branch its own half: mRwp(σ = 0) = ½∇L(w; B₁) + ½∇L(w; B₂) = ∇L(w; B) for a mean loss", () => {
  const { params, batch, loss } = regression(4);
  const a = gradientOf(mRwp({ σ: 0 }), loss, params, batch);
  const b = gradientOf(cleanGrad, loss, params, batch);
  assert.ok(maxRelDiff(a.grads, b.grads) < 1e-5);
  disposeTree([params, batch, a.grads, b.grads]);
});
