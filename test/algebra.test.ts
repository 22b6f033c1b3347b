// The open algebra: user-defined sources and perturbations get what the built-ins get; the cost model; JSON kept.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  arwp,
  asam,
  cleanGrad,
  cost,
  defineSource,
  definePerturbation,
  describe,
  disposeTree,
  equals,
  filterNoise,
  fromJSON,
  gradientOf,
  key,
  mArwp,
  mix,
  mRwp,
  optimizer,
  parallel,
  perturbedGrad,
  ready,
  registry,
  rwp,
  sam,
  sgd,
  step,
  toJSON,
  train,
  UnknownKindError,
  WorkerError,
  type ResolvedPerturbation,
  type ResolvedSource,
  type SourceNode,
} from '../src/index.js';
import { bitsEqual, maxRelDiff, regression } from './helpers/problems.js';

before(async () => {
  await ready();
});

import { scaled, signShift, unimportable } from './fixtures/kinds.js';
import { loss as fixtureLoss } from './fixtures/regressionModel.js';

test('a user-defined perturbation and source: validated, described, serialized, compared, costed, run', () => {
  const { params, batch, loss } = regression(11);
  const source = scaled({ of: perturbedGrad(signShift({ sigma: 0.1 })), c: 0.5 });
  assert.equal(describe(source), '0.5·(∇L(w+ε)), ε = 0.1·sign(w)');
  assert.equal(describe(source, { cost: true }), '0.5·(∇L(w+ε)), ε = 0.1·sign(w)  [1 gradient, depth 1]');
  const json = JSON.parse(JSON.stringify(toJSON(source)));
  assert.equal(json.module, new URL('./fixtures/kinds.ts', import.meta.url).href);
  assert.ok(equals(fromJSON(json), source));
  assert.ok(!equals(source, scaled({ of: perturbedGrad(signShift({ sigma: 0.2 })), c: 0.5 })));
  assert.throws(() => signShift({ sigma: -1 }), /test\.signShift: invalid hyperparameters:\n {2}- σ \(sigma\) must be ≥ 0, got -1/);
  assert.throws(() => scaled({ of: cleanGrad, c: Number.NaN }), /test\.scaled.*c must be a finite number/s);
  // The numbers: 0.5·∇L(w + 0.1·sign(w)), by hand.
  const g = gradientOf(source, loss, params, batch);
  const shifted = tf.tidy(() => ({ kernel: tf.add(params['kernel'] as tf.Tensor, tf.mul(tf.sign(params['kernel'] as tf.Tensor), 0.1)), bias: tf.add(params['bias'] as tf.Tensor, tf.mul(tf.sign(params['bias'] as tf.Tensor), 0.1)) }));
  const ref = gradientOf(cleanGrad, loss, shifted, batch);
  const half = tf.tidy(() => ({ kernel: tf.mul(ref.grads['kernel'] as tf.Tensor, 0.5), bias: tf.mul(ref.grads['bias'] as tf.Tensor, 0.5) }));
  assert.ok(maxRelDiff(g.grads, half) < 1e-6);
  disposeTree([params, batch, g.grads, shifted, ref.grads, half]);
});

test('unknown kinds: a clear error naming the module to import; a kind cannot be taken by another module', () => {
  assert.throws(() => fromJSON({ kind: 'perturbed', perturbation: { kind: 'nowhere', module: 'file:///x/nowhere.js' } }), (e: Error) => e instanceof UnknownKindError && /unknown kind 'nowhere'; import file:\/\/\/x\/nowhere\.js/.test(e.message));
  assert.throws(() => fromJSON({ kind: 'nothing' }), /unknown kind 'nothing'; import the module that defines it/);
  assert.throws(() => fromJSON({ kind: 'filterNoise', sigma: 0.1, axis: -1, draw: 0 }), /is a perturbation, not a gradient source/);
  assert.throws(() => perturbedGrad({ kind: 'unregistered' }), /perturbation must be filterNoise/);
  assert.throws(() => definePerturbation({ kind: 'filterNoise', module: import.meta.url, describe: () => '', sample: () => ({}) }), /already defined by optimix/);
  const r = registry<{ kind: string; module?: string }>('thing');
  r.define({ kind: 'a', module: 'm1' });
  r.define({ kind: 'a', module: 'm1' }); // the same module again (a re-import) replaces it
  assert.throws(() => r.define({ kind: 'a', module: 'm2' }), /thing 'a': the kind is already defined by m1/);
  assert.throws(() => r.get('b', 'here', 'file:///b.js'), /here: unknown thing kind 'b'; import file:\/\/\/b\.js/);
});

test('cost: gradient evaluations and sequential depth of every shipped method', () => {
  const table: Array<[string, SourceNode, number, number]> = [
    ['SGD', cleanGrad, 1, 1],
    ['RWP', rwp(), 2, 1],
    ['m-RWP', mRwp(), 2, 1],
    ['SAM', sam(), 2, 2],
    ['ASAM', asam(), 2, 2],
    ['ARWP', arwp({ steps: 10 }), 1, 1],
    ['m-ARWP', mArwp(), 2, 1],
    ['anchored SAM (clean shared)', mix(cleanGrad, sam()), 2, 2],
    ['mix(a, a)', mix(rwp(), rwp()), 2, 1],
    ['two noise draws', mix(cleanGrad, mix(perturbedGrad(filterNoise(0.01)), perturbedGrad(filterNoise(0.01, { draw: 1 })))), 3, 1],
  ];
  for (const [name, s, gradients, depth] of table) assert.deepEqual(cost(s), { gradients, depth }, name);
  assert.match(describe(sam(), { cost: true }), /\[2 gradients, depth 2\]$/);
});

test('cost agrees with the gradient evaluations a step makes', () => {
  const { params, batch, loss } = regression(12);
  for (const s of [cleanGrad, rwp(), mRwp(), sam(), mix(cleanGrad, sam()), arwp({ steps: 10 }), mix(rwp(), rwp())]) {
    const opt = optimizer(s, sgd(0.1));
    const s0 = opt.init(params, key(1));
    const r = step(opt, loss, params, batch, s0);
    assert.equal(r.gradEvals, cost(s).gradients, describe(s));
    disposeTree([r, s0]);
  }
  disposeTree([params, batch]);
});

test('the built-ins serialize exactly as before (checkpoints keep loading)', () => {
  assert.equal(JSON.stringify(toJSON(rwp())), '{"kind":"mix","a":{"kind":"clean"},"b":{"kind":"perturbed","perturbation":{"kind":"filterNoise","sigma":0.01,"axis":-1,"draw":0}},"lambda":0.5,"batch":"same"}');
  assert.equal(JSON.stringify(toJSON(sam())), '{"kind":"perturbed","perturbation":{"kind":"adversarial","rho":0.05,"adaptive":false,"eta":0.01}}');
  assert.equal(
    JSON.stringify(toJSON(arwp({ steps: 100 }))),
    '{"kind":"perturbed","perturbation":{"kind":"adaptiveFilterNoise","sigma":{"schedule":{"name":"cosineIncrease","args":[0.01,15,100]}},"eta":1,"beta":0.9,"axis":-1,"draw":0}}',
  );
  assert.throws(() => toJSON(perturbedGrad(filterNoise(0.01, { mask: (n) => n === 'kernel' }))), /filterNoise\.mask is a predicate; give the mask as a list of names/);
});

test('a user-defined perturbation is keyed for noise like the built-ins: same key, same bits; another key, other bits', () => {
  const { params, batch, loss } = regression(13);
  const noisy = definePerturbation<SourceNode & { readonly kind: 'test.noise'; readonly sigma: number }, ResolvedPerturbation & { sigma: number; names: string[] }>({
    kind: 'test.noise',
    module: import.meta.url,
    describe: (p, d) => `${d.eps} ~ N(0, ${d.num(p.sigma)}²)`,
    sample: (p, s) => Object.fromEntries(p.names.map((n) => [n, tf.mul(s.normal(n), p.sigma)])),
    draws: (p) => p.names,
  });
  const s = perturbedGrad(noisy({ sigma: 0.1 }));
  const a = gradientOf(s, loss, params, batch, { key: key(3) });
  const b = gradientOf(s, loss, params, batch, { key: key(3) });
  const c = gradientOf(s, loss, params, batch, { key: key(4) });
  assert.ok(bitsEqual(a.grads, b.grads));
  assert.ok(!bitsEqual(a.grads, c.grads));
  disposeTree([params, batch, a.grads, b.grads, c.grads]);
});

test('both interpreters run user-defined kinds, bit for bit; a worker that cannot import the defining module says so', async () => {
  const { params, batch } = regression(14);
  const model = { module: new URL('./fixtures/regressionModel.ts', import.meta.url).href, export: 'loss' };
  const workers = parallel({ workers: 1, model });
  try {
    const source = mix(scaled({ of: perturbedGrad(signShift({ sigma: 0.1 })), c: 2 }), perturbedGrad(signShift({ sigma: 0.2 })), 0.5);
    const opt = optimizer(source, sgd(0.05));
    const a = await train(opt, fixtureLoss, params, [batch], { epochs: 4, key: key(2) });
    const b = await train(opt, fixtureLoss, params, [batch], { epochs: 4, key: key(2), interpreter: workers });
    assert.ok(bitsEqual(a.params, b.params));
    disposeTree([a.params, a.state, b.params, b.state]);
    const bad = optimizer(mix(perturbedGrad(signShift({ sigma: 0.1 })), perturbedGrad(unimportable({})), 0.5), sgd(0.05));
    const s0 = bad.init(params);
    await assert.rejects(async () => workers.step(bad, fixtureLoss, params, batch, s0), (e: Error) => e instanceof WorkerError && /could not import file:\/\/\/nonexistent\/optimix-test-kind\.js/.test(e.message));
    disposeTree(s0);
  } finally {
    await workers.close();
    disposeTree([params, batch]);
  }
});
