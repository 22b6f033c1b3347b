// SAMPa (Xie et al. 2024): parity with the paper's update written out, laws, leaks, errors, both interpreters.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cleanGrad, cost, describe, disposeTree, equals, fromJSON, key, optimizer, parallel, ready, sampa, sgd, toJSON, train, type Batch, type Tree } from '../src/index.js';
import * as laws from '../src/laws/index.js';
import { loss as fixtureLoss } from './fixtures/regressionModel.js';
import { bitsEqual, regression } from './helpers/problems.js';
import { axpy, grad, noLeak, norm, parity, scale } from './helpers/reference.js';

before(async () => {
  await ready();
});

test('sampa: 20 steps match the paper (x̃ = w + ρ·g_y/‖g_y‖, y′ = w − η·g_y, g = (1−λ)∇L(x̃) + λ∇L(y′), g_y ← ∇L(y′))', () => {
  const { params, batch, loss } = regression(21);
  const batches: Batch[] = [batch];
  const [rho, lambda, lr] = [0.1, 0.2, 0.05];
  let gy: Tree | undefined; // ∇L(y_t), zero at first (the authors' y_grads start at zeros)
  const reference = (w: Tree, _t: number, b: Batch): Tree => {
    const g0 = gy ?? scale(w, 0);
    const n = norm(g0);
    const c = tf.div(rho, tf.add(n, 1e-12)) as tf.Scalar;
    const xt = axpy(w, g0, c);
    const y = axpy(w, g0, -lr);
    const [ga, gb] = [grad(loss, xt, b), grad(loss, y, b)];
    const g = tf.tidy(() => Object.fromEntries(Object.keys(w).map((k) => [k, tf.add(tf.mul(ga[k] as tf.Tensor, 1 - lambda), tf.mul(gb[k] as tf.Tensor, lambda))])) as unknown as tf.TensorContainer) as unknown as Tree;
    disposeTree([g0, n, c, xt, y, ga]);
    gy = gb;
    return g;
  };
  const worst = parity(sampa({ rho, lambda, lr }), reference, loss, params, batches, { lr });
  assert.ok(worst <= 1e-5);
  disposeTree([params, batch, gy]);
});

test('sampa laws: ρ = 0 and λ = 0 is SGD bit for bit; cost 2 gradients at depth 1; JSON, describe, equals', () => {
  laws.check(laws.reducesToClean(sampa({ rho: 0, lambda: 0, lr: 0.01 }), { steps: 5, learningRate: 0.01 }), { numRuns: 10, seed: 1 });
  assert.deepEqual(cost(sampa({ lr: 0.1 })), { gradients: 2, depth: 1 });
  const s = sampa({ ρ: 0.1, λ: 0.2, η: 0.1 });
  assert.equal(describe(s), '0.8·∇L(x̃) + 0.2·∇L(y), x̃ = w + 0.1·g_y/‖g_y‖, y = w − 0.1·g_y, g_y ← ∇L(y) (the previous step\'s)');
  assert.ok(equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s));
  assert.ok(!equals(s, sampa({ lr: 0.2 })) && !equals(s, cleanGrad));
});

test('sampa refuses bad hyperparameters, naming them', () => {
  assert.throws(() => sampa({ rho: -1, lr: 0.1 }), /ρ \(rho\) must be ≥ 0, got -1/);
  assert.throws(() => sampa({ lambda: 2, lr: 0.1 }), /λ \(lambda\) must be in \[0, 1\], got 2/);
  assert.throws(() => sampa({ lr: -0.1 }), /η \(lr\) must be ≥ 0, got -0.1/);
  assert.throws(() => sampa({} as never), /sampa: lr .* is required/);
});

test('sampa leaks no tensor over 50 steps', () => {
  const { params, batch, loss } = regression(22);
  noLeak(sampa({ lr: 0.01 }), loss, params, batch);
  disposeTree([params, batch]);
});

let workers: ReturnType<typeof parallel> | undefined;
after(async () => {
  await workers?.close();
});

test('sampa under parallel: its two gradients at once, the same bits as sequential', async () => {
  const { params, batch } = regression(23);
  workers = parallel({ workers: 1, model: { module: new URL('./fixtures/regressionModel.ts', import.meta.url).href, export: 'loss' } });
  const opt = optimizer(sampa({ lr: 0.05 }), sgd(0.05, { momentum: 0.9 }));
  const a = await train(opt, fixtureLoss, params, [batch, batch, batch], { epochs: 2, key: key(1) });
  const b = await train(opt, fixtureLoss, params, [batch, batch, batch], { epochs: 2, key: key(1), interpreter: workers });
  assert.ok(bitsEqual(a.params, b.params));
  assert.equal(b.gradEvals, 12);
  disposeTree([a.params, a.state, b.params, b.state, params, batch]);
});
