// GSAM (Zhuang et al. 2022): parity with the paper's update written out, laws, leaks, errors.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cost, describe, disposeTree, equals, fromJSON, gsam, ready, sam, toJSON, type Batch, type Tree } from '../src/index.js';
import * as laws from '../src/laws/index.js';
import { regression } from './helpers/problems.js';
import { axpy, dot, grad, noLeak, norm, parity } from './helpers/reference.js';

before(async () => {
  await ready();
});

test('gsam: 20 steps match d = g_p − α·g⊥ (g = ∇L(w), ε = ρg/‖g‖, g_p = ∇L(w+ε), g⊥ = g − cos·‖g‖·g_p/‖g_p‖)', () => {
  const { params, batch, loss } = regression(31);
  const [rho, alpha] = [0.05, 0.2];
  const reference = (w: Tree, _t: number, b: Batch): Tree => {
    const g = grad(loss, w, b);
    const ng = norm(g);
    const c = tf.div(rho, tf.add(ng, 1e-12)) as tf.Scalar;
    const we = axpy(w, g, c);
    const gp = grad(loss, we, b);
    const ngp = norm(gp);
    const inner = dot(g, gp);
    const cos = tf.div(inner, tf.add(tf.mul(ngp, ng), 1e-12));
    const k = tf.div(tf.mul(cos, ng), tf.add(ngp, 1e-12)) as tf.Scalar;
    const perp = axpy(g, gp, tf.neg(k) as tf.Scalar);
    const d = axpy(gp, perp, -alpha);
    disposeTree([g, ng, c, we, gp, ngp, inner, cos, k, perp]);
    return d;
  };
  assert.ok(parity(gsam({ rho, alpha }), reference, loss, params, [batch]) <= 1e-5);
  disposeTree([params, batch]);
});

test('gsam laws: α = 0 is SAM bit for bit; ρ = 0 reduces to the clean gradient (to rounding); cost 2 at depth 2', () => {
  laws.check(laws.sameGradient(gsam({ α: 0, ρ: 0.05 }), sam({ ρ: 0.05 }), { name: 'gsam(α = 0) = sam' }), { numRuns: 10, seed: 1 });
  laws.check(laws.reducesToClean(gsam({ ρ: 0 }), { tolerance: { rtol: 1e-5, atol: 1e-6 } }), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(gsam()), { gradients: 2, depth: 2 });
  const s = gsam({ ρ: 0.05, α: 0.2 });
  assert.equal(describe(s), '∇L(w+ε) − 0.2·(∇L(w))⊥, ε = 0.05·∇L(w)/‖∇L(w)‖');
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.ok(!equals(s, gsam({ α: 0.1 })));
});

test('gsam refuses bad hyperparameters, naming them; leaks nothing over 50 steps', () => {
  assert.throws(() => gsam({ rho: -1 }), /ρ \(rho\) must be ≥ 0, got -1/);
  assert.throws(() => gsam({ alpha: Number.NaN }), /α \(alpha\) must be ≥ 0, got NaN/);
  assert.throws(() => gsam({ alpha: 0.1, α: 0.2 }), /both 'alpha' and 'α'/);
  const { params, batch, loss } = regression(32);
  noLeak(gsam(), loss, params, batch);
  disposeTree([params, batch]);
});
