// The tfjs adapter behaves like tf.train (issue #13): tfjs's own optimizer tests, ported in spirit (values worked by hand),
// the weights round trips with tf.train, and tf.train's semantics for skipped variables, varList, null gradients and config.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { adam, asTfOptimizer, cleanGrad, cosineDecay, InteropError, key, optimizer, OptimixTfOptimizer, ready, rmsprop, rwp, sgd, type Optimizer } from '../src/index.js';

before(async () => {
  await ready();
});

const close = (got: ArrayLike<number>, want: readonly number[], what: string, tol = 1e-5): void => {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs((got[i] as number) - (want[i] as number)) <= tol * Math.max(1, Math.abs(want[i] as number)), `${what}: [${Array.from(got)}] vs [${want}]`);
};
const values = (v: tf.Tensor): number[] => Array.from(v.dataSync());
const adapter = (o: Optimizer): OptimixTfOptimizer => asTfOptimizer(o);

test('sgd: x ← x − 0.1·2x, twice (tfjs sgd_optimizer_test "basic"); minimize returns the cost when asked, null otherwise', () => {
  const x = tf.variable(tf.tensor1d([1, 2]));
  const opt = adapter(optimizer(cleanGrad, sgd(0.1)));
  const f = () => tf.sum(tf.square(x)) as tf.Scalar;
  const cost = opt.minimize(f, true);
  close(values(x), [0.8, 1.6], 'step 1');
  close(values(cost as tf.Scalar), [5], 'cost at step 1');
  cost?.dispose();
  assert.equal(opt.minimize(f, false), null);
  close(values(x), [0.64, 1.28], 'step 2');
  assert.equal(opt.iterations, 2);
  opt.dispose();
  x.dispose();
});

test('momentum 0.5: [0.8, 1.6] then [0.54, 1.08]; with Nesterov [0.7, 1.4] then [0.44, 0.88] (tfjs momentum_optimizer_test), and no tensor leaks', () => {
  for (const [nesterov, want] of [[false, [[0.8, 1.6], [0.54, 1.08]]], [true, [[0.7, 1.4], [0.44, 0.88]]]] as const) {
    const x = tf.variable(tf.tensor1d([1, 2]));
    const opt = adapter(optimizer(cleanGrad, sgd(0.1, { momentum: 0.5, nesterov })));
    const f = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(f);
    close(values(x), want[0], `nesterov ${nesterov}, step 1`);
    const n = tf.memory().numTensors;
    opt.minimize(f);
    close(values(x), want[1], `nesterov ${nesterov}, step 2`);
    assert.equal(tf.memory().numTensors, n, 'no new tensors on the second step');
    opt.dispose();
    x.dispose();
  }
});

test('adam(0.1, b1 0.8, b2 0.9): [1.9, 3.9] then [1.800183, 3.800082] (tfjs adam_optimizer_test "basic", its second step worked to 6 digits)', () => {
  const x = tf.variable(tf.tensor1d([2, 4]));
  const opt = adapter(optimizer(cleanGrad, adam(0.1, { b1: 0.8, b2: 0.9, eps: 1e-7 })));
  const f = () => tf.sum(tf.square(x)) as tf.Scalar;
  opt.minimize(f);
  close(values(x), [1.9, 3.9], 'step 1');
  opt.minimize(f);
  // m = [1.4, 2.84], v = [2.884, 11.844]; x − 0.1·(m/0.36)/(√(v/0.19) + 1e-7) (tfjs's comment rounds to [1.8000001, 3.8002]).
  close(values(x), [1.800183, 3.800082], 'step 2');
  opt.dispose();
  x.dispose();
});

test('rmsprop(0.1, decay 0.9, eps in the root) matches tf.train.rmsprop(0.1, 0.9) step for step', () => {
  const [x, y] = [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.tensor1d([1, 2]))];
  const mine = adapter(optimizer(cleanGrad, rmsprop(0.1, { decay: 0.9, eps: 1e-8, epsilonInSqrt: true })));
  const theirs = tf.train.rmsprop(0.1, 0.9, 0, 1e-8);
  for (let i = 0; i < 5; i++) {
    mine.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
    theirs.minimize(() => tf.sum(tf.square(y)) as tf.Scalar, false, [y]);
    close(values(x), values(y), `step ${i + 1}`);
  }
  mine.dispose();
  theirs.dispose();
  tf.dispose([x, y]);
});

test('weights round trip with tf.train: momentum, adam and rmsprop weights load into the optimix rule and back, and training continues alike', async () => {
  const cases: [string, () => tf.Optimizer, () => Optimizer][] = [
    ['sgd', () => tf.train.sgd(0.1), () => optimizer(cleanGrad, sgd(0.1))],
    ['momentum', () => tf.train.momentum(0.1, 0.5, true), () => optimizer(cleanGrad, sgd(0.1, { momentum: 0.5, nesterov: true }))],
    ['adam', () => tf.train.adam(0.1, 0.8, 0.9, 1e-7), () => optimizer(cleanGrad, adam(0.1, { b1: 0.8, b2: 0.9, eps: 1e-7 }))],
    ['rmsprop', () => tf.train.rmsprop(0.1, 0.9, 0, 1e-8), () => optimizer(cleanGrad, rmsprop(0.1, { decay: 0.9, epsilonInSqrt: true }))],
  ];
  for (const [name, tfMake, mine] of cases) {
    const x = tf.variable(tf.tensor1d([1, 2]));
    const f = () => tf.sum(tf.square(x)) as tf.Scalar;
    // tf.train → optimix: two tf.train steps, load, two optimix steps; against four tf.train steps on a twin.
    const twin = tf.variable(tf.tensor1d([1, 2]));
    const ref = tfMake();
    for (let i = 0; i < 4; i++) ref.minimize(() => tf.sum(tf.square(twin)) as tf.Scalar, false, [twin]);
    const a = tfMake();
    a.minimize(f, false, [x]);
    a.minimize(f, false, [x]);
    const b = adapter(mine());
    await b.setWeights(await a.getWeights());
    assert.equal(b.iterations, 2, `${name}: iterations after loading tf.train's weights`);
    b.minimize(f, false, [x]);
    b.minimize(f, false, [x]);
    close(values(x), values(twin), `${name}: tf.train 2 steps + optimix 2 steps = tf.train 4 steps`);
    // optimix → tf.train: the names are tf.train's, and tf.train continues from them.
    const w = await b.getWeights();
    assert.equal(w[0]?.name, 'iter');
    assert.deepEqual(w.map((v) => v.name), (await ref.getWeights()).map((v) => v.name.replace(twin.name, x.name)), `${name}: the same weight names as tf.train's`);
    const c = tfMake();
    await c.setWeights(w);
    c.minimize(f, false, [x]);
    ref.minimize(() => tf.sum(tf.square(twin)) as tf.Scalar, false, [twin]);
    close(values(x), values(twin), `${name}: optimix's weights continue in tf.train`);
    for (const o of [ref, a, b, c]) o.dispose();
    tf.dispose([x, twin]);
  }
});

test('getWeights before any step gives iter = 0 as tf.train does; an unknown tf.train weight is refused by name', async () => {
  const opt = adapter(optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 })));
  const w = await opt.getWeights();
  assert.deepEqual(w.map((v) => v.name), (await tf.train.momentum(0.1, 0.9).getWeights()).map((v) => v.name));
  assert.equal(w[0]?.tensor.dtype, 'int32');
  assert.equal(w[0]?.tensor.dataSync()[0], 0);
  const stray = tf.zeros([2]);
  await assert.rejects(opt.setWeights([{ name: 'iter', tensor: tf.scalar(1, 'int32') }, { name: 'x/m', tensor: stray }]), (e: unknown) => e instanceof InteropError && /'x\/m' is not a weight of this rule/.test(e.message));
  const decayed = adapter(optimizer(cleanGrad, sgd(0.1, { momentum: 0.9, weightDecay: 1e-4 })));
  await assert.rejects(decayed.setWeights([{ name: 'iter', tensor: tf.scalar(1, 'int32') }, { name: 'x/momentum', tensor: stray }]), (e: unknown) => e instanceof InteropError && /the rule sgd is not one of tf\.train's rules/.test(e.message));
  stray.dispose();
  decayed.dispose();
  opt.dispose();
});

test('a variable the loss does not reach is skipped, not fed zeros: momentum leaves it at 0.80, as tf.train', () => {
  const run = (make: () => tf.Optimizer): number[] => {
    const [a, b] = [tf.variable(tf.scalar(1)), tf.variable(tf.scalar(1))];
    const opt = make();
    opt.minimize(() => tf.add(tf.square(a), tf.square(b)) as tf.Scalar, false, [a, b]);
    opt.minimize(() => tf.square(a) as tf.Scalar, false, [a, b]);
    const out = [a.dataSync()[0] as number, b.dataSync()[0] as number];
    opt.dispose();
    tf.dispose([a, b]);
    return out;
  };
  const mine = run(() => adapter(optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 }))));
  const theirs = run(() => tf.train.momentum(0.1, 0.9));
  close(mine, theirs, 'optimix vs tf.train');
  close([mine[1] as number], [0.8], 'b stays at 0.80');
});

test('non-trainable variables in an explicit varList are not updated (weight decay does not move them); a loss reaching no variable throws, as tf.train', () => {
  const w = tf.variable(tf.scalar(1));
  const frozen = tf.variable(tf.scalar(5), false);
  const opt = adapter(optimizer(cleanGrad, sgd(0.05, { weightDecay: 1 })));
  opt.minimize(() => tf.square(w) as tf.Scalar, false, [w, frozen]);
  assert.equal(frozen.dataSync()[0], 5);
  close([w.dataSync()[0] as number], [1 - 0.05 * (2 + 1)], 'w moves');
  const c = tf.variable(tf.scalar(3));
  assert.throws(() => tf.train.sgd(0.1).minimize(() => tf.scalar(1), false, [c]), /connection between any variable/);
  assert.throws(() => opt.minimize(() => tf.scalar(1), false, [w]), (e: unknown) => e instanceof InteropError && /connection between any variable/.test(e.message));
  assert.throws(() => opt.minimize(() => tf.square(w) as tf.Scalar, false, [frozen]), (e: unknown) => e instanceof InteropError && /none of the 1 variables is trainable/.test(e.message));
  opt.dispose();
  tf.dispose([w, frozen, c]);
});

test('applyGradients skips null entries, as tf.train', () => {
  const run = (make: () => tf.Optimizer): number[] => {
    const [a, b] = [tf.variable(tf.scalar(1)), tf.variable(tf.scalar(1))];
    const opt = make();
    const g = tf.scalar(2);
    opt.applyGradients([{ name: a.name, tensor: g }, { name: b.name, tensor: g }]);
    opt.applyGradients([{ name: a.name, tensor: g }, { name: b.name, tensor: null as unknown as tf.Tensor }]);
    opt.applyGradients({ [a.name]: g, [b.name]: null as unknown as tf.Tensor });
    const out = [a.dataSync()[0] as number, b.dataSync()[0] as number];
    opt.dispose();
    tf.dispose([a, b, g]);
    return out;
  };
  close(run(() => adapter(optimizer(cleanGrad, sgd(0.1, { momentum: 0.5 })))), run(() => tf.train.momentum(0.1, 0.5)), 'optimix vs tf.train');
});

test('setLearningRate changes the rate and keeps the state, as tf.train.sgd.setLearningRate', () => {
  const [x, y] = [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.tensor1d([1, 2]))];
  const mine = adapter(optimizer(cleanGrad, sgd(0.1, { momentum: 0.5 })));
  const theirs = tf.train.momentum(0.1, 0.5);
  mine.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
  theirs.minimize(() => tf.sum(tf.square(y)) as tf.Scalar, false, [y]);
  mine.setLearningRate(0.2);
  theirs.setLearningRate(0.2);
  mine.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
  theirs.minimize(() => tf.sum(tf.square(y)) as tf.Scalar, false, [y]);
  close(values(x), values(y), 'after the change');
  assert.deepEqual((mine.getConfig()['optimizer'] as { transform: unknown }).transform, { transform: 'sgd', args: [0.2, { momentum: 0.5 }] });
  mine.dispose();
  theirs.dispose();
  tf.dispose([x, y]);
});

test('getConfig/fromConfig round-trip a working optimizer (rule, hyperparameters, schedule, key); sgd(0.1), sgd(0.2) and adam(0.1) have three configs', () => {
  const o = asTfOptimizer(optimizer(rwp(), sgd(cosineDecay(0.1, 10), { momentum: 0.9 })), { key: key(5) });
  const back = OptimixTfOptimizer.fromConfig(OptimixTfOptimizer, o.getConfig()) as OptimixTfOptimizer;
  assert.ok(back instanceof OptimixTfOptimizer);
  assert.equal(JSON.stringify(back.getConfig()), JSON.stringify(o.getConfig()));
  // One variable for both runs: RWP's noise is keyed by the variable's name.
  const x = tf.variable(tf.tensor1d([1, -2, 3]));
  for (let i = 0; i < 3; i++) o.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
  const first = values(x);
  const start = tf.tensor1d([1, -2, 3]);
  x.assign(start);
  start.dispose();
  for (let i = 0; i < 3; i++) back.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
  assert.deepEqual(values(x), first, 'the rebuilt optimizer takes the same three steps, bit for bit');
  const configs = [sgd(0.1), sgd(0.2), adam(0.1)].map((t) => JSON.stringify(asTfOptimizer(optimizer(cleanGrad, t)).getConfig()));
  assert.equal(new Set(configs).size, 3);
  o.dispose();
  back.dispose();
  x.dispose();
});

test('tfjs optimizer_test, in spirit: a stray variable stays; a varList subset; only the trainable bias moves; empty or all-frozen varList and a non-scalar loss throw; instanceof tf.Optimizer', () => {
  const make = () => adapter(optimizer(cleanGrad, sgd(0.1)));
  const stray = tf.variable(tf.scalar(-1));
  const x = tf.variable(tf.scalar(4));
  const bias = tf.variable(tf.scalar(1));
  const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
  const all = make();
  const cost = all.minimize(f, true);
  // x ← 4 − 0.1·2·4 = 3.2, bias ← 1 − 0.1·1 = 0.9; the cost is L at the old values, 4² + 1.
  close([x.dataSync()[0] as number, bias.dataSync()[0] as number, cost?.dataSync()[0] as number], [3.2, 0.9, 17], 'basic');
  assert.equal(stray.dataSync()[0], -1, 'the stray variable stays');
  cost?.dispose();
  const subset = make();
  subset.minimize(f, false, [x]);
  close([x.dataSync()[0] as number, bias.dataSync()[0] as number], [3.2 - 0.1 * 2 * 3.2, 0.9], 'only x moves');
  const frozenX = tf.variable(tf.scalar(4), false);
  const g = () => tf.add(tf.square(frozenX), bias) as tf.Scalar;
  const onlyBias = make();
  onlyBias.minimize(g, false, [frozenX, bias]);
  close([frozenX.dataSync()[0] as number, bias.dataSync()[0] as number], [4, 0.8], 'only the bias moves');
  assert.throws(() => make().minimize(f, true, []));
  assert.throws(() => make().minimize(g, true, [frozenX]));
  assert.throws(() => make().minimize(() => tf.add(tf.mul(x, tf.ones([2])), 0) as unknown as tf.Scalar, false, [x]), /scalar/);
  assert.ok(make() instanceof tf.Optimizer);
  for (const o of [all, subset, onlyBias]) o.dispose();
  tf.dispose([stray, x, bias, frozenX]);
});
