// The methods with source state across steps — LookSAM, momentum-SAM, F-SAM: parity with the formulas, laws, leaks, errors.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cost, describe, disposeTree, equals, fromJSON, fsam, lookSam, momentumSam, optimizer, ready, sam, sgd, statefulPaths, toJSON, type Batch, type Tree } from '../src/index.js';
import * as laws from '../src/laws/index.js';
import { regression } from './helpers/problems.js';
import { axpy, dot, grad, noLeak, norm, parity, scale } from './helpers/reference.js';

before(async () => {
  await ready();
});

/** b − (cos·‖b‖/‖a‖)·a with the guards: b's part orthogonal to a. */
function perp(b: Tree, a: Tree): Tree {
  const [na, nb, ab] = [norm(a), norm(b), dot(a, b)];
  const k = tf.tidy(() => tf.neg(tf.div(tf.mul(tf.div(ab, tf.add(tf.mul(na, nb), 1e-12)), nb), tf.add(na, 1e-12)))) as tf.Scalar;
  const out = axpy(b, a, k);
  disposeTree([na, nb, ab, k]);
  return out;
}

test('lookSam: 20 steps match SAM every k steps (storing g_v = g_s⊥g), g + α·‖g‖/‖g_v‖·g_v in between', () => {
  const { params, batch, loss } = regression(51);
  const [rho, alpha, k] = [0.1, 0.7, 3];
  let gv: Tree | undefined;
  const reference = (w: Tree, t: number, b: Batch): Tree => {
    const g = grad(loss, w, b);
    if (t % k === 0) {
      const ng = norm(g);
      const c = tf.div(rho, tf.add(ng, 1e-12)) as tf.Scalar;
      const we = axpy(w, g, c);
      const gs = grad(loss, we, b);
      disposeTree([gv, ng, c, we]);
      gv = perp(gs, g);
      disposeTree(g);
      return gs;
    }
    const [ng, nv] = [norm(g), norm(gv as Tree)];
    const c = tf.tidy(() => tf.div(tf.mul(ng, alpha), tf.add(nv, 1e-12))) as tf.Scalar;
    const out = axpy(g, gv as Tree, c);
    disposeTree([g, ng, nv, c]);
    return out;
  };
  assert.ok(parity(lookSam({ rho, alpha, k }), reference, loss, params, [batch]) <= 1e-5);
  disposeTree([params, batch, gv]);
});

test('lookSam laws: k = 1 is SAM bit for bit; ρ = α = 0 the clean gradient; cost, JSON, errors, no leak', () => {
  laws.check(laws.sameGradient(lookSam({ k: 1, ρ: 0.05 }), sam({ ρ: 0.05 }), { name: 'lookSam(k = 1) = sam' }), { numRuns: 10, seed: 1 });
  // ρ = 0 alone does not: g_v is then rounding noise, and the steps in between add it normalized to α‖g‖. With α = 0 too:
  laws.check(laws.reducesToClean(lookSam({ ρ: 0, α: 0, k: 2 }), { steps: 4 }), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(lookSam({ k: 5 })), { gradients: 1.2, depth: 1.2 });
  const s = lookSam({ k: 4 });
  assert.deepEqual(statefulPaths(s), ['g']);
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.match(describe(s), /^∇L\(w\) \+ 0\.7·‖∇L\(w\)‖·g_v\/‖g_v‖ \(g_s on the k-th steps\), every 4 steps g_s = ∇L\(w \+ 0\.1·∇L\(w\)\/‖∇L\(w\)‖\)/);
  assert.throws(() => lookSam({ k: 0 }), /k \(steps between full SAM steps\) must be an integer ≥ 1, got 0/);
  assert.throws(() => lookSam({ alpha: -1 }), /α \(alpha\) must be ≥ 0, got -1/);
  const { params, batch, loss } = regression(52);
  noLeak(lookSam({ k: 3 }), loss, params, batch);
  disposeTree([params, batch]);
});

test('momentumSam: 20 steps match the authors’ loop: w̃ = w − ρ·v/‖v‖, v ← μ·v + ∇L(w̃), w ← w − lr·v', () => {
  const { params, batch, loss } = regression(53);
  const [rho, mu] = [0.3, 0.9];
  let v: Tree | undefined;
  const reference = (w: Tree, _t: number, b: Batch): Tree => {
    const v0 = v ?? scale(w, 0);
    const nv = norm(v0);
    const c = tf.div(-rho, tf.add(nv, 1e-12)) as tf.Scalar;
    const wt = axpy(w, v0, c);
    const g = grad(loss, wt, b);
    const mv = scale(v0, mu);
    const next = axpy(mv, g, 1);
    disposeTree([v0, nv, c, wt, g, mv]);
    v = next;
    return scale(next, 1); // the direction the momentum SGD moves along: v itself
  };
  assert.ok(parity(momentumSam({ rho, momentum: mu }), reference, loss, params, [batch], { momentum: mu }) <= 1e-5);
  disposeTree([params, batch, v]);
});

test('momentumSam laws: ρ = 0 is the clean gradient bit for bit; one gradient per step; JSON, errors, no leak', () => {
  laws.check(laws.reducesToClean(momentumSam({ ρ: 0 })), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(momentumSam()), { gradients: 1, depth: 1 });
  const s = momentumSam();
  assert.equal(describe(s), '∇L(w+ε), ε = −0.3·v/‖v‖, v ← 0.9·v + ∇L(w+ε)');
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.throws(() => momentumSam({ momentum: 1 }), /μ \(momentum\) must be in \[0, 1\), got 1/);
  assert.throws(() => momentumSam({ rho: -0.3 }), /ρ \(rho\) must be ≥ 0, got -0.3/);
  const { params, batch, loss } = regression(54);
  noLeak(momentumSam(), loss, params, batch);
  disposeTree([params, batch]);
});

test('fsam: 20 steps match nblt/F-SAM: d = g − σ·m (d = g, m = g at first), m ← λ·m + (1−λ)·g, ε = ρ·d/‖d‖', () => {
  const { params, batch, loss } = regression(55);
  const [rho, sigma, lambda] = [0.05, 1, 0.9];
  let m: Tree | undefined;
  const reference = (w: Tree, t: number, b: Batch): Tree => {
    const g = grad(loss, w, b);
    const d = t === 0 ? scale(g, 1) : axpy(g, m as Tree, -sigma);
    const nd = norm(d);
    const c = tf.div(rho, tf.add(nd, 1e-12)) as tf.Scalar;
    const we = axpy(w, d, c);
    const out = grad(loss, we, b);
    const next = t === 0 ? scale(g, 1) : (() => {
      const lm = scale(m as Tree, lambda);
      const r = axpy(lm, g, 1 - lambda);
      disposeTree(lm);
      return r;
    })();
    disposeTree([m, g, d, nd, c, we]);
    m = next;
    return out;
  };
  assert.ok(parity(fsam({ rho, sigma, lambda }), reference, loss, params, [batch]) <= 1e-5);
  disposeTree([params, batch, m]);
});

test('fsam laws: σ = 0 is SAM bit for bit; ρ = 0 the clean gradient; 2 gradients at depth 2; JSON, errors, no leak', () => {
  laws.check(laws.sameGradient(fsam({ σ: 0 }), sam(), { name: 'fsam(σ = 0) = sam' }), { numRuns: 10, seed: 1 });
  laws.check(laws.reducesToClean(fsam({ ρ: 0 })), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(fsam()), { gradients: 2, depth: 2 });
  const s = fsam();
  assert.equal(describe(s), '∇L(w+ε), ε = 0.05·d/‖d‖, d = ∇L(w) − 1·m, m ← 0.9·m + 0.1·∇L(w)');
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.throws(() => fsam({ lambda: 1 }), /λ \(lambda\) must be in \[0, 1\), got 1/);
  assert.throws(() => fsam({ sigma: -1 }), /σ \(sigma\) must be ≥ 0, got -1/);
  const { params, batch, loss } = regression(56);
  noLeak(fsam(), loss, params, batch);
  const opt = optimizer(fsam(), sgd(0.1));
  assert.deepEqual(Object.keys(opt.init(params).source), ['g']);
  disposeTree([params, batch]);
});
