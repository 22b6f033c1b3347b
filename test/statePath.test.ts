// State inspection by name (issue #13): read and set a hyperparameter or one parameter's moment by path; unknown paths are named.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  adam, cleanGrad, disposeReplaced, cosineDecay, disposeTree, injectHyperparams, key, optimizer, ready, sgd, stateGet, stateSet, StatePathError, step, type Optimizer, type OptimizerState, type Tree,
} from '../src/index.js';
import { regression } from './helpers/problems.js';

before(async () => {
  await ready();
});

function after(opt: Optimizer, n: number): { params: Tree; state: OptimizerState; batch: Record<string, tf.Tensor>; loss: ReturnType<typeof regression>['loss'] } {
  const { params, batch, loss } = regression(11);
  let p = params;
  let s = opt.init(params, key(0));
  for (let i = 0; i < n; i++) {
    const r = step(opt, loss, p, batch, s);
    disposeReplaced([p, s], [r.params, r.state]);
    [p, s] = [r.params, r.state];
  }
  return { params: p, state: s, batch: batch as Record<string, tf.Tensor>, loss };
}

test('the current learning rate under injectHyperparams(sgd, { learningRate: cosineDecay }) reads by name; setting it to 0 stops the next update', () => {
  const opt = optimizer(cleanGrad, injectHyperparams(sgd, { learningRate: cosineDecay(0.1, 10), momentum: 0.9 }));
  const { params, state, batch, loss } = after(opt, 3);
  // The third update (count 2) used cosineDecay(0.1, 10)(2) = 0.05·(1 + cos(0.2π)).
  assert.equal(stateGet(opt, state, 'hyperparams.learningRate'), cosineDecay(0.1, 10)(2));
  assert.ok(Math.abs((stateGet(opt, state, 'hyperparams.learningRate') as number) - 0.05 * (1 + Math.cos(0.2 * Math.PI))) < 1e-15);
  assert.equal(stateGet(opt, state, 'hyperparams.momentum'), 0.9);
  assert.equal(stateGet(opt, state, 'count'), 3);
  const m = stateGet(opt, state, 'trace.momentum[kernel]');
  assert.ok(m instanceof tf.Tensor && m === ((state.transform as { inner: { momentum: Tree }[] }).inner[0]?.momentum['kernel']));
  disposeTree([params, state, batch]);
  // A constant learning rate is held in the state: set it to 0 and the next step leaves the parameters where they are.
  const held = optimizer(cleanGrad, injectHyperparams(sgd, { learningRate: 0.1, momentum: 0.9 }));
  const run = after(held, 2);
  const zero = stateSet(held, run.state, 'hyperparams.learningRate', 0);
  assert.equal(stateGet(held, run.state, 'hyperparams.learningRate'), 0.1, 'the given state is untouched');
  const r = step(held, run.loss, run.params, run.batch, zero);
  for (const n of Object.keys(run.params)) assert.deepEqual(Array.from((r.params[n] as tf.Tensor).dataSync()), Array.from((run.params[n] as tf.Tensor).dataSync()));
  disposeTree([run.params, run.state, run.batch, zero, r.params, r.state]);
});

test("one leaf's momentum of sgd and second moment of adam, read and set by name; the new state is fresh tensors", () => {
  const opt = optimizer(cleanGrad, sgd(0.1, { momentum: 0.9, weightDecay: 1e-4 }));
  const { params, state, batch } = after(opt, 2);
  const m = stateGet(opt, state, 'trace.momentum[bias]') as tf.Tensor;
  assert.equal(m, (state.transform as { momentum?: Tree }[])[1]?.momentum?.['bias']);
  const before = tf.memory().numTensors;
  const z = tf.zerosLike(m);
  const set = stateSet(opt, state, 'sgd.trace.momentum[bias]', z);
  assert.deepEqual(Array.from((stateGet(opt, set, 'trace.momentum[bias]') as tf.Tensor).dataSync()), [0, 0, 0]);
  assert.notEqual(stateGet(opt, set, 'trace.momentum[kernel]'), stateGet(opt, state, 'trace.momentum[kernel]'), 'copies');
  disposeTree([set, z]);
  assert.equal(tf.memory().numTensors, before);
  disposeTree([params, state]);

  const a = optimizer(cleanGrad, adam(0.01));
  const run = after(a, 1);
  const nu = stateGet(a, run.state, 'scaleByAdam.nu[kernel]') as tf.Tensor;
  assert.deepEqual(nu.shape, [5, 3]);
  assert.equal(stateGet(a, run.state, 'scaleByAdam.count'), 1);
  assert.equal(stateGet(a, run.state, 'transform.0.count'), 1, 'a chain index works too');
  disposeTree([run.params, run.state, batch, run.batch]);
});

test('unknown paths and wrong values are refused, saying where the path stops and what is there', () => {
  const opt = optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 }));
  const { params, state, batch } = after(opt, 1);
  const refused = (f: () => unknown, pattern: RegExp): void => assert.throws(f, (e: unknown) => e instanceof StatePathError && pattern.test(e.message));
  refused(() => stateGet(opt, state, 'trace.velocity[kernel]'), /at 'trace', 'velocity' is neither a field of the state \(momentum\) nor a part of the rule/);
  refused(() => stateGet(opt, state, 'trace.momentum[nope]'), /at 'trace\.momentum' there is no parameter 'nope' \(it holds kernel, bias\)/);
  refused(() => stateGet(opt, state, 'scaleByAdam.nu'), /'scaleByAdam' is neither a field of the state \(0, 1\) nor a part of the rule \(chain, trace, scaleByLearningRate\)/);
  refused(() => stateSet(opt, state, 'trace.momentum[kernel]', 1), /holds a float32\[5, 3\] tensor there, got number/);
  refused(() => stateSet(opt, state, 'scaleByLearningRate.count', Number.NaN), /holds a number there, got NaN/);
  disposeTree([params, state, batch]);
});
