/**
 * The law kit's properties for every optax rule (issue #14, Rules), and their hyperparameter validation.
 * Run: node --import tsx --test test/laws.rules.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import { ready } from '../src/backend.js';
import { HyperparameterError } from '../src/errors.js';
import { optimizer } from '../src/optimizer.js';
import { cosineDecay } from '../src/schedule.js';
import { disposeTree } from '../src/tree.js';
import { cleanGrad } from '../src/source/constructors.js';
import {
  adabelief,
  adadelta,
  adafactor,
  clipByBlockRms,
  scaleByFactoredRms,
  scaleByParamBlockRms,
  adagrad,
  adam,
  adamax,
  amsgrad,
  lamb,
  lars,
  lion,
  movingAverage,
  muon,
  orthogonalizeViaNewtonSchulz,
  prodigy,
  scaleByMuon,
  nadam,
  radam,
  safeAdaptive,
  safeSign,
  safeTrustRatio,
  safeScheduleFree,
  scheduleFreeAdamw,
  scheduleFreeEvalParams,
  scheduleFreeSgd,
  scaleByAdadelta,
  scaleByAdam,
  scaleByAdamax,
  scaleByAmsgrad,
  scaleByBelief,
  scaleByLion,
  scaleByRadam,
  scaleByRss,
  scaleByTrustRatio,
  scaleByYogi,
  signSgd,
  signum,
  yogi,
  type AnyTransformation,
} from '../src/transform/index.js';
import * as laws from '../src/laws/index.js';
import * as optimix from '../src/index.js';
import { readFileSync } from 'node:fs';

await ready({ backend: 'cpu' });

const SEED = 20261201;
const runs = (numRuns: number) => ({ numRuns, seed: SEED });

/** Every new rule as a factory of its learning rate, with non-default options where it has them. */
const RULES: ReadonlyArray<readonly [string, (lr: number) => AnyTransformation]> = [
  ['adagrad', (lr) => adagrad(lr)],
  ['adadelta + weight decay', (lr) => adadelta(lr, { rho: 0.95, weightDecay: 1e-2 })],
  ['adamax', (lr) => adamax(lr)],
  ['nadam', (lr) => nadam(lr)],
  ['adam epsRoot', (lr) => adam(lr, { epsRoot: 1e-8 })],
  ['amsgrad', (lr) => amsgrad(lr)],
  ['adabelief', (lr) => adabelief(lr)],
  ['radam', (lr) => radam(lr)],
  ['yogi', (lr) => yogi(lr)],
  ['lion', (lr) => lion(lr)],
  ['signSgd', (lr) => signSgd(lr)],
  ['signum', (lr) => signum(lr)],
  ['lamb + weight decay', (lr) => lamb(lr, { weightDecay: 1e-2 })],
  ['lars + Nesterov, masks', (lr) => lars(lr, { weightDecay: 1e-3, nesterov: true, trustRatioMask: (n) => n !== 'p0', weightDecayMask: (_n, x) => x.rank > 1 })],
  ['adafactor', (lr) => adafactor(lr)],
  // No weightDecayRate here: adafactor adds its decay after the learning rate (as optax), so lr = 0 still decays.
  ['adafactor factored, momentum', (lr) => adafactor(lr, { minDimSizeToFactor: 2, momentum: 0.9, clippingThreshold: 0.5 })],
  ['scheduleFreeSgd', (lr) => scheduleFreeSgd(lr, { weightDecay: 1e-3 })],
  ['scheduleFreeAdamw + warmup', (lr) => scheduleFreeAdamw(lr, { warmupSteps: 3, weightDecay: 1e-2 })],
  ['muon (2-D leaves) + adam (the rest)', (lr) => muon(lr, { weightDecay: 1e-2 })],
  ['prodigy + weight decay', (lr) => prodigy(lr, { weightDecay: 1e-2, estimLr0: 1e-3 })],
  ['radam under a schedule', (lr) => radam(lr === 0 ? 0 : cosineDecay(lr, 20))],
];

test('lr = 0 leaves params unchanged through step, for every optax rule', () => {
  for (const [name, f] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.zeroLearningRateIsIdentity(f, { steps: 3 }), runs(10)), `lr = 0 for ${name}`);
  }
});

test('same inputs ⇒ bit-identical updates, and same key ⇒ bit-identical params through step, for every optax rule', () => {
  for (const [name, f] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.deterministic(f(0.01)), runs(8)), `${name} (transform)`);
    assert.doesNotThrow(() => laws.check(laws.deterministic(optimizer(cleanGrad, f(0.01))), runs(4)), `${name} (optimizer)`);
  }
});

test('update never disposes or changes its inputs, and maps finite gradients to finite updates, for every optax rule', () => {
  for (const [name, f] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.inputsUntouched(f(0.01)), runs(8)), `${name} (inputs)`);
    assert.doesNotThrow(() => laws.check(laws.preservesFinite(f(0.01)), runs(10)), `${name} (finite)`);
  }
});

test('tf.memory().numTensors is flat over 30 steps for every optax rule, through update and through step', () => {
  for (const [name, f] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.noLeak(() => f(0.01), 30), runs(3)), `${name} (transform)`);
    assert.doesNotThrow(() => laws.check(laws.noLeak(() => optimizer(cleanGrad, f(0.01)), 30), runs(2)), `${name} (optimizer)`);
  }
  assert.equal(tf.memory().numTensors, 0, 'the laws themselves leave no tensor behind');
});

test('adafactor adds its weight decay after the learning rate (optax): with lr = 0 the update is exactly −wd·w', () => {
  const w = { w: tf.tensor2d([[1, -2], [3, 0.5]]) };
  const g = { w: tf.tensor2d([[0.3, 0.1], [-1, 2]]) };
  const t = adafactor(0, { weightDecayRate: 0.25, minDimSizeToFactor: 2 });
  const s = t.init(w);
  const [u, s1] = t.update(g, s, w);
  assert.deepEqual(Array.from((u['w'] as tf.Tensor).dataSync()), [-0.25, 0.5, -0.75, -0.125]);
  disposeTree([w, g, u, s, s1]);
  laws.check(laws.noLeak(() => adafactor(0.01, { weightDecayRate: 1e-2, minDimSizeToFactor: 2 }), 10), runs(2));
});

test('scheduleFreeEvalParams: x = (y − (1 − b1)·z)/b1, found inside an optimizer state; by hand after one sgd step', () => {
  // One step of scheduleFreeSgd(lr = 0.5, b1 = 0.5) from y = z = w: z₁ = w − 0.5·g, c₁ = 1, x₁ = z₁, y₁ = 0.5·x₁ + 0.5·z₁ = z₁.
  const w = { w: tf.tensor1d([1, -2]) };
  const g = { w: tf.tensor1d([0.5, 4]) };
  const t = scheduleFreeSgd(0.5, { b1: 0.5 });
  const s0 = t.init(w);
  const [u, s1] = t.update(g, s0, w);
  const y1 = { w: tf.add(w.w, u['w'] as tf.Tensor) };
  assert.deepEqual(Array.from(y1.w.dataSync()), [0.75, -4]);
  const x1 = scheduleFreeEvalParams({ count: 1, transform: s1 }, y1);
  assert.deepEqual(Array.from((x1['w'] as tf.Tensor).dataSync()), [0.75, -4]);
  assert.throws(() => scheduleFreeEvalParams({ transform: [null, { count: 0 }] }, w), /holds no scheduleFree state/);
  disposeTree([w, g, s0, u, s1, y1, x1]);
  assert.ok(E.isLeft(safeScheduleFree.scheduleFreeSgd(-1)));
});

test('Newton–Schulz maps a 2-D matrix near an orthogonal one, both orientations: every row of the wide result has squared norm in [0.36, 1.69]', () => {
  // Muon's quintic leaves the singular values in about [0.7, 1.2]; a row's squared norm is a diagonal entry of O·Oᵀ,
  // which lies between its smallest and largest eigenvalue (the squared singular values).
  for (const shape of [[3, 5], [6, 2]] as const) {
    const x = tf.randomNormal([...shape], 0, 1, 'float32', 7);
    const o = orthogonalizeViaNewtonSchulz(x);
    assert.deepEqual(o.shape, [...shape]);
    const wide = shape[0] < shape[1] ? o : tf.transpose(o);
    const rows = tf.sum(tf.square(wide), 1);
    for (const r of rows.dataSync()) assert.ok(r > 0.36 && r < 1.69, `row squared norm ${r} for shape [${shape.join(', ')}]`);
    tf.dispose([x, o, wide, rows]);
  }
  const b = tf.zeros([3]);
  assert.throws(() => scaleByMuon().init({ b }), /every leaf must be 2-D/);
  b.dispose();
});

test('every optax rule descends on convex quadratics (10 steps, its own small learning rate)', () => {
  const cases: ReadonlyArray<readonly [string, (lr: number) => AnyTransformation, number]> = [
    ...RULES.filter(([name]) => !name.startsWith('radam under') && !name.startsWith('lars') && !name.startsWith('adadelta') && !name.startsWith('prodigy')).map(([n, f]) => [n, f, 0.01] as const),
    ['adadelta', (lr) => adadelta(lr), 1],
    ['lars', (lr) => lars(lr), 1],
    ['prodigy', (lr) => prodigy(lr), 1],
  ];
  for (const [name, f, learningRate] of cases) {
    assert.doesNotThrow(() => laws.check(laws.descendsOnQuadratic(f, { steps: 10, learningRate }), runs(10)), `${name} descends`);
  }
});

test('adam(lr, { nesterov: true }) is nadam(lr), bitwise', () => {
  laws.check(laws.equivalent(adam(0.01, { nesterov: true, b1: 0.8 }), nadam(0.01, { b1: 0.8 })), runs(20));
});

// ---------------------------------------------------------------------------------------------
// bad hyperparameters

/** [constructor call, the problems its error must list (each names its parameter)]. */
const BAD: ReadonlyArray<readonly [string, () => unknown, readonly string[]]> = [
  ['adagrad', () => adagrad(-1, { initialAccumulatorValue: -0.1, eps: NaN }), ['learningRate must be ≥ 0', 'initialAccumulatorValue must be ≥ 0', 'eps must be ≥ 0']],
  ['adadelta', () => adadelta(0.1, { rho: 1, eps: -1, weightDecay: -2 }), ['rho must be in [0, 1)', 'eps must be ≥ 0', 'weightDecay must be ≥ 0']],
  ['adamax', () => adamax(0.1, { b1: 1, b2: -0.5, eps: Infinity }), ['b1 must be in [0, 1)', 'b2 must be in [0, 1)', 'eps must be finite']],
  ['nadam', () => nadam(Number.NaN, { b2: 2 }), ['learningRate must be ≥ 0', 'b2 must be in [0, 1)']],
  ['adam', () => adam(0.1, { epsRoot: -1, nesterov: 'yes' as never }), ['epsRoot must be ≥ 0', 'nesterov must be a boolean']],
  ['amsgrad', () => amsgrad(0.1, { b1: -1, epsRoot: -1 }), ['b1 must be in [0, 1)', 'epsRoot must be ≥ 0']],
  ['adabelief', () => adabelief(0.1, { eps: -1, epsRoot: -1, weightDecay: -1 }), ['eps must be ≥ 0', 'epsRoot must be ≥ 0', 'weightDecay must be ≥ 0']],
  ['radam', () => radam(0.1, { threshold: 3, b2: 1 }), ['b2 must be in [0, 1)', 'threshold must be ≥ 4']],
  ['yogi', () => yogi(-0.1, { eps: -1 }), ['learningRate must be ≥ 0', 'eps must be ≥ 0']],
  ['lion', () => lion(0.1, { b1: 1.5, b2: -1, weightDecay: -1 }), ['b1 must be in [0, 1]', 'b2 must be in [0, 1]', 'weightDecay must be ≥ 0']],
  ['lion', () => lion(0.1, { mask: 1 as never }), ['mask must be a function']],
  ['amsgrad', () => amsgrad(0.1, { biasCorrectionMu: 'no' as never }), ['biasCorrectionMu must be a boolean']],
  ['signSgd', () => signSgd(-1), ['learningRate must be ≥ 0']],
  ['signum', () => signum(0.1, { beta: 1 }), ['beta must be in [0, 1)']],
  ['lamb', () => lamb(0.1, { eps: -1, weightDecay: -1, mask: 'bias' as never }), ['eps must be ≥ 0', 'weightDecay must be ≥ 0', 'mask must be a function']],
  ['lars', () => lars(0.1, { trustCoefficient: -1, momentum: 1, nesterov: 1 as never, trustRatioMask: 3 as never }), ['trustCoefficient must be ≥ 0', 'trustRatioMask must be a function', 'momentum must be in [0, 1)', 'nesterov must be a boolean']],
  ['scaleByRss', () => scaleByRss({ initialAccumulatorValue: -1 }), ['initialAccumulatorValue must be ≥ 0']],
  ['scaleByAdadelta', () => scaleByAdadelta({ rho: -1 }), ['rho must be in [0, 1)']],
  ['scaleByAdamax', () => scaleByAdamax({ eps: -1 }), ['eps must be ≥ 0']],
  ['scaleByAdam', () => scaleByAdam({ epsRoot: -1 }), ['epsRoot must be ≥ 0']],
  ['scaleByAmsgrad', () => scaleByAmsgrad({ b2: 1 }), ['b2 must be in [0, 1)']],
  ['scaleByBelief', () => scaleByBelief({ epsRoot: -1 }), ['epsRoot must be ≥ 0']],
  ['scaleByRadam', () => scaleByRadam({ threshold: 2 }), ['threshold must be ≥ 4']],
  ['scaleByYogi', () => scaleByYogi({ initialAccumulatorValue: -1 }), ['initialAccumulatorValue must be ≥ 0']],
  ['scaleByLion', () => scaleByLion({ b2: 2 }), ['b2 must be in [0, 1]']],
  ['scaleByTrustRatio', () => scaleByTrustRatio({ minNorm: -1, trustCoefficient: -1, eps: -1 }), ['minNorm must be ≥ 0', 'trustCoefficient must be ≥ 0', 'eps must be ≥ 0']],
  ['movingAverage', () => movingAverage(1), ['decay must be in [0, 1)']],
  ['prodigy', () => prodigy(1, { betas: [1, 0.5], estimLr0: 0, safeguardWarmup: 'no' as never }), ['betas[0] must be in [0, 1)', 'estimLr0 must be > 0', 'safeguardWarmup must be a boolean']],
  ['muon', () => muon(0.1, { nsCoeffs: [1, 2] as never, beta: 1, adamB2: -1 }), ['nsCoeffs must be a triple', 'beta must be in [0, 1)', 'adamB2 must be in [0, 1)']],
  ['scaleByMuon', () => scaleByMuon({ nsSteps: 0, nesterov: 0 as never }), ['nsSteps must be an integer ≥ 1', 'nesterov must be a boolean']],
  ['scheduleFreeSgd', () => scheduleFreeSgd(0.1, { b1: 0, warmupSteps: 2.5, weightDecay: -1 }), ['warmupSteps must be an integer ≥ 1', 'b1 must be in (0, 1]', 'weightDecay must be ≥ 0']],
  ['scheduleFreeAdamw', () => scheduleFreeAdamw(cosineDecay(0.1, 10), { warmupSteps: 3, b2: 1, weightLrPower: -1 }), ['warmupSteps needs a constant learningRate', 'b2 must be in [0, 1)', 'weightLrPower must be ≥ 0']],
  [
    'adafactor',
    () => adafactor(0.1, { decayRate: -1, minDimSizeToFactor: 0, clippingThreshold: 0, momentum: 1, weightDecayRate: -1, multiplyByParameterScale: 1 as never }),
    ['decayRate must be ≥ 0', 'minDimSizeToFactor must be an integer ≥ 1', 'multiplyByParameterScale must be a boolean', 'clippingThreshold must be > 0', 'momentum must be in [0, 1)', 'weightDecayRate must be ≥ 0'],
  ],
  ['scaleByFactoredRms', () => scaleByFactoredRms({ decayOffset: 0.5, eps: -1 }), ['decayOffset must be an integer', 'eps must be ≥ 0']],
  ['clipByBlockRms', () => clipByBlockRms(0), ['threshold must be > 0']],
  ['scaleByParamBlockRms', () => scaleByParamBlockRms(-1), ['minScale must be ≥ 0']],
];

test('every optax rule and scaleBy* transform refuses bad hyperparameters with a HyperparameterError naming each one', () => {
  for (const [where, call, problems] of BAD) {
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof HyperparameterError, `${where}: not a HyperparameterError: ${String(e)}`);
      assert.equal(e.where, where);
      assert.equal(e.problems.length, problems.length, `${where}: ${e.problems.join('; ')}`);
      problems.forEach((p, i) => assert.ok(e.problems[i]?.startsWith(p), `${where}: problem ${i} is "${e.problems[i]}", expected "${p}…"`));
      return true;
    });
  }
});

test('the safe forms return Left(every problem) instead of throwing, and Right(the rule) for good hyperparameters', () => {
  const left = safeAdaptive.adagrad(-1, { eps: -1 });
  assert.ok(E.isLeft(left) && left.left.length === 2);
  assert.ok(E.isLeft(safeSign.lion(0.1, { b1: 2 })));
  assert.ok(E.isLeft(safeTrustRatio.lars(0.1, { momentum: -1 })));
  for (const r of [safeAdaptive.radam(0.1), safeSign.signSgd(0.1), safeTrustRatio.lamb(0.01)]) assert.ok(E.isRight(r));
});

test('every `Example:` line of docs/rules.md builds its rule, and the rule runs a step', () => {
  const doc = readFileSync(new URL('../docs/rules.md', import.meta.url), 'utf8');
  const examples = [...doc.matchAll(/^Example: `(.+)`$/gm)].map((m) => m[1] as string);
  assert.ok(examples.length >= 20, `only ${examples.length} examples found`);
  const names = Object.keys(optimix);
  const values = Object.values(optimix);
  for (const expr of examples) {
    const rule = new Function(...names, `return ${expr};`)(...values) as AnyTransformation;
    const params = { kernel: tf.ones([2, 3]), bias: tf.zeros([3]) };
    const grads = { kernel: tf.fill([2, 3], 0.5), bias: tf.fill([3], -0.25) };
    const s0 = rule.init(params);
    const [u, s1] = rule.update(grads, s0, params);
    assert.ok(Object.values(u).every((x) => x.dataSync().every(Number.isFinite)), `${expr}: non-finite update`);
    disposeTree([params, grads, s0, u, s1]);
  }
});

test('a checkpoint of the rules with unusual state (strings, scalar tensors, factored moments) resumes bit for bit', () => {
  const loss = (p: Record<string, tf.Tensor>) => tf.tidy(() => tf.add(tf.sum(tf.square(p['k'] as tf.Tensor)), tf.sum(tf.square(p['b'] as tf.Tensor))) as tf.Scalar);
  const rules: ReadonlyArray<readonly [string, AnyTransformation]> = [
    ['scheduleFreeSgd', scheduleFreeSgd(0.1)],
    ['prodigy', prodigy(1)],
    ['muon', muon(0.02)],
    ['adafactor', adafactor(0.01, { minDimSizeToFactor: 2 })],
    ['yogi', yogi(0.01)],
  ];
  for (const [name, rule] of rules) {
    const params = { k: tf.ones([3, 2]), b: tf.ones([2]) };
    const opt = optimizer(cleanGrad, rule);
    const s0 = opt.init(params);
    const r = optimix.step(opt, loss, params, {}, s0);
    const saved = optimix.serialize({ params: r.params, state: r.state, opt });
    const back = optimix.deserialize(saved.manifest, saved.weights, { params: r.params, opt });
    const resumed = optimix.step(opt, loss, back.params, {}, back.state);
    const straight = optimix.step(opt, loss, r.params, {}, r.state);
    for (const n of Object.keys(params)) {
      assert.deepEqual(Array.from((resumed.params[n] as tf.Tensor).dataSync()), Array.from((straight.params[n] as tf.Tensor).dataSync()), `${name}: '${n}'`);
    }
    disposeTree([params, s0, r, back.params, back.state, resumed, straight]);
  }
});
