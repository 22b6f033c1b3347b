// Bad input: a clear error that names the parameter and the problem, and nothing the caller holds is disposed.
import * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  HyperparameterError, LossError, NonFiniteError, StructureError, adam, adamw, applyGradients, applyIfFinite, cleanGrad, disposeTree, optimizer,
  rmsprop, rwp, safe, scaleByAdam, sgd, step, train, trace, clipByGlobalNorm, accumulate, type Tree,
} from '../src/index.js';
import { regression, snapshot } from './helpers/problems.js';

before(async () => {
  const { ready } = await import('../src/index.js');
  await ready();
});

test('learning rate: negative, NaN or infinite is rejected, naming learningRate', () => {
  assert.throws(() => sgd(-0.1), (e: Error) => e instanceof HyperparameterError && /learningRate must be ≥ 0, got -0.1/.test(e.message));
  assert.throws(() => sgd(Number.NaN), /learningRate must be ≥ 0, got NaN/);
  assert.throws(() => adam(Number.POSITIVE_INFINITY), /learningRate must be finite, got Infinity/);
  assert.throws(() => rmsprop('0.1' as never), /learningRate must be ≥ 0, got "0.1"/);
});

test('β and momentum outside [0, 1) are rejected, naming the parameter', () => {
  assert.throws(() => adam(0.1, { b1: 1 }), /b1 must be in \[0, 1\), got 1/);
  assert.throws(() => adam(0.1, { b2: -0.1 }), /b2 must be in \[0, 1\), got -0.1/);
  assert.throws(() => scaleByAdam({ b1: 1.5 }), /b1 must be in \[0, 1\)/);
  assert.throws(() => sgd(0.1, { momentum: 1 }), /momentum must be in \[0, 1\), got 1/);
  assert.throws(() => trace({ decay: -0.5 }), /momentum must be in \[0, 1\)/);
  assert.throws(() => rmsprop(0.1, { decay: 1 }), /decay must be in \[0, 1\)/);
  assert.throws(() => adamw(0.1, { weightDecay: -1 }), /weightDecay must be ≥ 0/);
  assert.throws(() => clipByGlobalNorm(-1), /maxNorm must be > 0/);
  assert.throws(() => clipByGlobalNorm(0), /maxNorm must be > 0 \(0 would zero every update\), got 0/);
  assert.throws(() => accumulate(0, sgd(0.1)), /k must be an integer ≥ 1, got 0/);
});

test('every problem is reported at once: thrown at the plain API, Left with all of them from safe.*', () => {
  assert.throws(
    () => adam(-1, { b1: 2, b2: 1, eps: -1 }),
    (e: Error) => e instanceof HyperparameterError && e.problems.length === 4 && ['learningRate', 'b1', 'b2', 'eps'].every((p) => e.message.includes(p)),
  );
  const bad = safe.sgd(-0.1, { momentum: 1.2, weightDecay: -3 });
  assert.ok(E.isLeft(bad));
  assert.equal(bad.left.length, 3);
  assert.match(bad.left.join('\n'), /learningRate[\s\S]*momentum[\s\S]*weightDecay/);
  const good = safe.adam(1e-3);
  assert.ok(E.isRight(good));
});

test('mismatched gradient names or shapes: a StructureError naming each leaf; user tensors intact', () => {
  const params = { kernel: tf.ones([2, 3]), bias: tf.zeros([3]) };
  const opt = optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 }));
  const state = opt.init(params);
  const grads = { kernel: tf.ones([3, 2]), extra: tf.ones([1]) };
  assert.throws(
    () => applyGradients(opt, grads as Tree, state, params),
    (e: Error) =>
      e instanceof StructureError &&
      /grads\['kernel'\] has shape \[3, 2\], the parameter has \[2, 3\]/.test(e.message) &&
      /grads has no leaf 'bias'/.test(e.message) &&
      /grads has a leaf 'extra' that the parameters do not have/.test(e.message),
  );
  for (const t of [...Object.values(params), ...Object.values(grads)]) assert.ok(!t.isDisposed);
  disposeTree([params, state, grads]);
});

test('a state from other parameters is rejected by step', () => {
  const { params, batch, loss } = regression(1);
  const opt = optimizer(rwp(), sgd(0.1));
  assert.throws(() => step(opt, loss, params, batch, {} as never), /state must come from opt.init/);
  disposeTree([params, batch]);
});

test('a non-scalar loss: a LossError saying what came back; params, batch and state intact', () => {
  const { params, batch } = regression(2);
  const before = snapshot(params);
  const opt = optimizer(rwp(), sgd(0.1));
  const state = opt.init(params);
  const count = tf.memory().numTensors;
  const vectorLoss = (p: Tree, b: Record<string, tf.Tensor>) => tf.sum(tf.matMul(b['x'] as tf.Tensor2D, p['kernel'] as tf.Tensor2D), 0) as unknown as tf.Scalar;
  assert.throws(() => step(opt, vectorLoss as never, params, batch, state), (e: Error) => e instanceof LossError && /scalar \(rank-0\) tensor, got shape \[3\]/.test(e.message));
  assert.throws(() => step(opt, (() => 3) as never, params, batch, state), /must return a scalar tensor, got number/);
  assert.equal(tf.memory().numTensors, count, 'nothing leaked by the failed steps');
  assert.deepEqual(snapshot(params), before);
  for (const t of [...Object.values(params), ...Object.values(batch)]) assert.ok(!t.isDisposed);
  disposeTree([params, batch, state]);
});

test('NaN/Inf gradients: a NonFiniteError naming the leaves, unless the transform is wrapped in applyIfFinite', () => {
  const params = { a: tf.tensor1d([1, 2]), b: tf.tensor1d([3]) };
  const loss = (p: Tree) => tf.tidy(() => tf.add(tf.sum(tf.sqrt(tf.neg(p['a'] as tf.Tensor))), tf.sum(p['b'] as tf.Tensor)) as tf.Scalar);
  const opt = optimizer(cleanGrad, sgd(0.1));
  const s = opt.init(params);
  assert.throws(() => step(opt, loss, params, {}, s), (e: Error) => e instanceof NonFiniteError && /'a'/.test(e.message) && !/'b'/.test(e.message) && /applyIfFinite/.test(e.message));
  const safeOpt = optimizer(cleanGrad, applyIfFinite(sgd(0.1)));
  const s2 = safeOpt.init(params);
  const r = step(safeOpt, loss, params, {}, s2);
  assert.deepEqual(Array.from((r.params['a'] as tf.Tensor).dataSync()), [1, 2]);
  assert.equal((r.state.transform as { skipped: number }).skipped, 1);
  assert.ok(!params.a.isDisposed);
  disposeTree([params, s, s2, r]);
});

test('finite gradients whose sum overflows float32 pass the check; +∞ and −∞ in one leaf are caught', () => {
  const params = { a: tf.tensor1d([1, -1]), b: tf.tensor1d([0, 0]) };
  // ∂/∂a = [3e38, 3e38] (finite, sum overflows to ∞) at a finite loss (0); ∂/∂b = [x, −x] with x = ∞ once b is 1.
  const loss = (p: Tree) => tf.tidy(() => tf.add(tf.sum(tf.mul(p['a'] as tf.Tensor, 3e38)), tf.sum(tf.mul(p['b'] as tf.Tensor, tf.tensor1d([1, -1])))) as tf.Scalar);
  const opt = optimizer(cleanGrad, sgd(0));
  const s = opt.init(params);
  const r = step(opt, loss, params, {}, s);
  assert.deepEqual(Array.from((r.params['a'] as tf.Tensor).dataSync()), [1, -1]);
  const huge = (p: Tree) => tf.tidy(() => tf.sum(tf.mul(tf.mul(p['b'] as tf.Tensor, tf.tensor1d([1, -1])), tf.mul(tf.sum(p['a'] as tf.Tensor), 1e38))) as tf.Scalar);
  const bigA = { a: tf.tensor1d([1e38, 1e38]), b: tf.tensor1d([1, 1]) };
  assert.throws(() => step(opt, huge, bigA, {}, s), (e: Error) => e instanceof NonFiniteError && /'b'/.test(e.message) && !/'a'/.test(e.message));
  disposeTree([params, bigA, s, r]);
});

test('disposed or non-float parameters are rejected before anything runs', () => {
  const dead = tf.ones([2]);
  dead.dispose();
  const opt = optimizer(cleanGrad, sgd(0.1));
  assert.throws(() => opt.init({ w: dead }), /params\['w'\] is a disposed tensor/);
  const ints = { w: tf.tensor1d([1, 2], 'int32') };
  assert.throws(() => opt.init(ints), /params\['w'\] has dtype int32; parameters must be float32/);
  assert.throws(() => opt.init({}), /params has no leaves/);
  disposeTree(ints);
});

test('a state of another rule is rejected by step with the differences named', () => {
  const { params, batch, loss } = regression(5);
  const momentum = optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 }));
  const adamOpt = optimizer(cleanGrad, adam(0.01));
  const s = momentum.init(params);
  assert.throws(() => step(adamOpt, loss, params, batch, s), (e: Error) => e instanceof StructureError && /the state does not fit this optimizer/.test(e.message) && /state\.transform/.test(e.message));
  const other = { kernel: tf.ones([2, 2]), bias: tf.zeros([2]) };
  assert.throws(() => step(momentum, loss, params, batch, momentum.init(other)), /state\.transform\/0\/momentum\/kernel is float32\[2,2\], expected float32\[5,3\]/);
  for (const t of Object.values(params)) assert.ok(!t.isDisposed);
  disposeTree([params, batch, s, other]);
});

test('a bare update rule passed as the optimizer (train(sgd(0.1), …), as with optax) is refused, saying how to pair it with a source', async () => {
  const { params, batch, loss } = regression(1);
  const state = optimizer(cleanGrad, adam(0.1)).init(params);
  const before = snapshot(params);
  const n = tf.memory().numTensors;
  const rule = /opt is an update rule .*not an Optimizer; pair it with a gradient source: optimizer\(cleanGrad, rule\)/;
  await assert.rejects(train(sgd(0.1) as never, loss, params, [batch]), (e: Error) => e instanceof TypeError && rule.test(e.message) && e.message.startsWith('train: '));
  assert.throws(() => step(adam(0.1) as never, loss, params, batch, state), (e: Error) => e instanceof TypeError && rule.test(e.message) && e.message.startsWith('step: '));
  await assert.rejects(train({} as never, loss, params, [batch]), /train: opt must be an Optimizer made by optimizer\(source, rule\), got object/);
  assert.deepEqual(snapshot(params), before, 'params untouched');
  assert.equal(tf.memory().numTensors, n, 'nothing left behind');
  disposeTree([params, batch, state]);
});
