// RSAM (Liu et al. 2022) and m-sharpness SAM (Foret et al. 2021): parity with the formulas, laws, leaks, errors.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cleanGrad, cost, describe, disposeTree, equals, fold, foldName, fromJSON, key, mSharpnessSam, nested, noiseKey, ready, rsam, sam, filterNoise, adversarial, toJSON, toSeed, type Batch, type Tree } from '../src/index.js';
import * as laws from '../src/laws/index.js';
import { drawNormals } from '../src/perturbation/normals.js';
import { regression } from './helpers/problems.js';
import { axpy, grad, noLeak, norm, parity } from './helpers/reference.js';

before(async () => {
  await ready();
});

/** RWP's filter scale σ‖W_i‖ (norm over all axes but the last) for rank ≥ 2, σ(‖w‖ + 1e-16) for vectors. */
const filterStd = (w: tf.Tensor, sigma: number): tf.Tensor =>
  tf.tidy(() => (w.rank === 1 ? tf.mul(sigma, tf.add(tf.norm(w), 1e-16)) : tf.mul(sigma, tf.sqrt(tf.sum(tf.square(w), Array.from({ length: w.rank - 1 }, (_, i) => i), true)))));

test('rsam: 20 steps match g = ∇L(w + δ + ε), δ_i ~ N(0,(σ‖w_i‖)²), ε = ρ·∇L(w+δ)/‖∇L(w+δ)‖', () => {
  const { params, batch, loss } = regression(41);
  const [rho, sigma] = [0.05, 0.02];
  const names = Object.keys(params);
  const reference = (w: Tree, t: number, b: Batch): Tree => {
    // δ: the documented noise contract, leaf n's normals seeded by foldName(noiseKey(fold(key, t), filterNoise resolved), n)
    const p = { kind: 'filterNoise', sigma, axis: -1, names, draw: 0 };
    const delta = tf.tidy(() => Object.fromEntries(names.map((n) => [n, tf.mul(drawNormals(toSeed(foldName(noiseKey(fold(key(0), t), p), n)), (w[n] as tf.Tensor).shape), filterStd(w[n] as tf.Tensor, sigma))])) as unknown as tf.TensorContainer) as unknown as Tree;
    const wd = axpy(w, delta, 1);
    const g = grad(loss, wd, b);
    const n = norm(g);
    const c = tf.div(rho, tf.add(n, 1e-12)) as tf.Scalar;
    const eps = tf.tidy(() => Object.fromEntries(names.map((k) => [k, tf.add(delta[k] as tf.Tensor, tf.mul(g[k] as tf.Tensor, c))])) as unknown as tf.TensorContainer) as unknown as Tree;
    const we = axpy(w, eps, 1);
    const out = grad(loss, we, b);
    disposeTree([delta, wd, g, n, c, eps, we]);
    return out;
  };
  assert.ok(parity(rsam({ rho, sigma }), reference, loss, params, [batch]) <= 1e-5);
  disposeTree([params, batch]);
});

test('rsam laws: σ = 0 is SAM bit for bit, ρ = 0 and σ = 0 the clean gradient; cost 2 at depth 2; JSON, describe', () => {
  laws.check(laws.sameGradient(rsam({ σ: 0, ρ: 0.05 }), sam({ ρ: 0.05 }), { name: 'rsam(σ = 0) = sam' }), { numRuns: 10, seed: 1 });
  laws.check(laws.reducesToClean(rsam({ σ: 0, ρ: 0 })), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(rsam()), { gradients: 2, depth: 2 });
  const s = rsam();
  assert.ok(equals(s, { kind: 'perturbed', perturbation: nested(filterNoise(0.01), adversarial(0.05)) } as never));
  assert.equal(describe(s), '∇L(w+ε), ε = ε⁽¹⁾ + ε⁽²⁾, ε⁽¹⁾_i ~ N(0,(0.01·‖w_i‖)²), ε⁽²⁾ = 0.05·∇L(w+ε⁽¹⁾)/‖∇L(w+ε⁽¹⁾)‖');
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.throws(() => rsam({ rho: -1 }), /ρ \(rho\) must be ≥ 0, got -1/);
  assert.throws(() => rsam({ sigma: -0.1 }), /σ \(sigma\) must be ≥ 0, got -0.1/);
  assert.throws(() => nested(filterNoise(0.01), cleanGrad), /nested: second must be a perturbation/);
  const { params, batch, loss } = regression(42);
  noLeak(rsam(), loss, params, batch);
  disposeTree([params, batch]);
});

test('mSharpnessSam: 20 steps match g = (1/n)·Σ_k ∇L(w + ε_k; B_k), ε_k = ρ·∇L(w; B_k)/‖∇L(w; B_k)‖', () => {
  const { params, batch, loss } = regression(43, 5, 3, 32);
  const [rho, n] = [0.05, 4];
  const reference = (w: Tree, _t: number, b: Batch): Tree => {
    const parts = Array.from({ length: n }, (_, k) => Object.fromEntries(Object.entries(b).map(([name, x]) => [name, tf.slice(x, k * 8, 8)])));
    const gs = parts.map((bk) => {
      const g = grad(loss, w, bk);
      const nm = norm(g);
      const c = tf.div(rho, tf.add(nm, 1e-12)) as tf.Scalar;
      const we = axpy(w, g, c);
      const gp = grad(loss, we, bk);
      disposeTree([g, nm, c, we]);
      return gp;
    });
    const out = tf.tidy(() => Object.fromEntries(Object.keys(w).map((k) => [k, tf.mul(tf.addN(gs.map((g) => g[k] as tf.Tensor)), 1 / n)])) as unknown as tf.TensorContainer) as unknown as Tree;
    disposeTree([gs, parts]);
    return out;
  };
  assert.ok(parity(mSharpnessSam({ rho, microBatches: n }), reference, loss, params, [batch]) <= 1e-5);
  disposeTree([params, batch]);
});

test('mSharpnessSam laws: one micro-batch is SAM bit for bit; ρ = 0 is the clean gradient; cost 2n at depth 2; errors; no leak', () => {
  laws.check(laws.sameGradient(mSharpnessSam({ microBatches: 1 }), sam(), { name: 'one micro-batch = sam' }), { numRuns: 10, seed: 1 });
  // ρ = 0: the mean of the micro-batches' clean gradients, the clean gradient itself when the loss is a mean over one part
  laws.check(laws.reducesToClean(mSharpnessSam({ ρ: 0, microBatches: 1 })), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(mSharpnessSam({ microBatches: 4 })), { gradients: 8, depth: 2 });
  const s = mSharpnessSam({ microBatches: 4, ρ: 0.1 });
  // ε is taken per micro-batch: ε_k from ∇L(w; B_k), as the m-sharpness of Foret et al. 2021 §4.1 (issue #14).
  assert.equal(describe(s), '(1/4)·Σ_k ∇L(w+ε_k; B_k), B = B₁ ∪ … ∪ B_4, ε_k = 0.1·∇L(w; B_k)/‖∇L(w; B_k)‖');
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.throws(() => mSharpnessSam({ microBatches: 0 }), /microBatches \(n, the number of micro-batches\) must be an integer ≥ 1, got 0/);
  assert.throws(() => mSharpnessSam({ microBatches: 2, rho: -1 }), /ρ \(rho\) must be ≥ 0/);
  const { params, batch, loss } = regression(44);
  noLeak(mSharpnessSam({ microBatches: 4 }), loss, params, batch);
  disposeTree([params, batch]);
});
