/**
 * The laws of optimix's gradient transforms, checked with optimix/laws on random trees and gradient streams
 * (fast-check, fixed seeds). Run: node --import tsx --test test/laws.transforms.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { ready } from '../src/backend.js';
import { transformMonoid } from '../src/fp.js';
import { optimizer, step } from '../src/optimizer.js';
import { NonFiniteError } from '../src/errors.js';
import { disposeTree, type Tree } from '../src/tree.js';
import { cosineDecay } from '../src/schedule.js';
import { cleanGrad } from '../src/source/constructors.js';
import {
  accumulate,
  adam,
  adamw,
  applyIfFinite,
  chain,
  clipByGlobalNorm,
  injectHyperparams,
  masked,
  rmsprop,
  scale,
  scaleByLearningRate,
  sgd,
  trace,
  type AnyTransformation,
  type ApplyIfFiniteState,
  type InjectedState,
  type State,
} from '../src/transform/index.js';
import * as laws from '../src/laws/index.js';
// combinators (issue #14)
import { key as rootKey } from '../src/random.js';
import { map as mapTree } from '../src/tree.js';
import {
  adaptiveGradClip,
  addNoise,
  applyEvery,
  centralize,
  ema,
  exceptBiasesAndNorms,
  freeze,
  identity,
  lookahead,
  namedChain,
  partition,
  skipLargeUpdates,
  stateless,
  zeroNans,
  type PartitionState,
} from '../src/transform/index.js';

await ready({ backend: 'cpu' });

const SEED = 20240611;
const runs = (numRuns: number, seed = SEED) => ({ numRuns, seed });

/** Every rule the library ships, as factories (a fresh value per use). */
const RULES: ReadonlyArray<readonly [string, () => AnyTransformation]> = [
  ['sgd', () => sgd(0.1)],
  ['sgd+momentum', () => sgd(0.1, { momentum: 0.9 })],
  ['nesterov', () => sgd(0.1, { momentum: 0.9, nesterov: true })],
  ['sgd+momentum+weightDecay', () => sgd(0.1, { momentum: 0.9, weightDecay: 1e-2 })],
  ['adam', () => adam(0.01)],
  ['adamw', () => adamw(0.01, { weightDecay: 1e-2 })],
  ['rmsprop', () => rmsprop(0.01)],
  ['centered rmsprop + momentum', () => rmsprop(0.01, { centered: true, momentum: 0.9 })],
  ['clip → sgd+momentum', () => chain(clipByGlobalNorm(1), sgd(0.1, { momentum: 0.9 }))],
  ['clip → adam', () => chain(clipByGlobalNorm(0.5), adam(0.01))],
  // p0 outside adam's mask gets sgd (a leaf left outside every mask would take the raw gradient, w + g, and diverge).
  ['masked(adam) + masked(sgd)', () => chain(masked((n) => n !== 'p0', adam(0.01)), masked((n) => n === 'p0', sgd(0.01)))],
  ['applyIfFinite(sgd+momentum)', () => applyIfFinite(sgd(0.1, { momentum: 0.9 }))],
  ['accumulate(3, sgd+momentum)', () => accumulate(3, sgd(0.1, { momentum: 0.9 }))],
  ['injectHyperparams(sgd)', () => injectHyperparams((h) => sgd(h.lr, { momentum: h.m }), { lr: cosineDecay(0.1, 100), m: 0.9 })],
];

// ---------------------------------------------------------------------------------------------
// chain is a monoid

test('identity is the unit of chain for every rule: chain(identity, t) = t = chain(t, identity), bitwise-equal updates', () => {
  for (const [name, make] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.isMonoidUnit(make()), runs(15)), `unit law for ${name}`);
  }
});

test('chain is associative: chain(chain(a, b), c) = chain(a, chain(b, c)) = chain(a, b, c)', () => {
  const triples: ReadonlyArray<readonly [AnyTransformation, AnyTransformation, AnyTransformation]> = [
    [clipByGlobalNorm(1), trace({ decay: 0.9 }), scaleByLearningRate(0.1)],
    [sgd(0.1, { momentum: 0.9, weightDecay: 1e-2 }), clipByGlobalNorm(0.3), adam(0.01)],
    [masked((n) => n === 'p0', adam(0.01)), accumulate(2, rmsprop(0.01)), applyIfFinite(scale(-2))],
  ];
  for (const [a, b, c] of triples) laws.check(laws.isAssociative(a, b, c), runs(20));
});

test('the fp-ts Monoid (transformMonoid) obeys the same laws: concat associative, empty its unit', () => {
  const concat = (...ts: AnyTransformation[]): AnyTransformation => ts.reduce((x, y) => transformMonoid.concat(x, y));
  laws.check(laws.isAssociative(clipByGlobalNorm(1), trace({ decay: 0.5 }), adam(0.01), { chain: concat }), runs(20));
  laws.check(laws.isMonoidUnit(sgd(0.1, { momentum: 0.9 }), { chain: concat, unit: transformMonoid.empty }), runs(20));
});

// ---------------------------------------------------------------------------------------------
// scale

test('scale(a) then scale(b) equals scale(a·b) to float32 rounding (rtol 1e-6: three roundings against two)', () => {
  laws.check(laws.scaleComposes(), runs(50));
  // Not bitwise: a counterexample exists (the law would be false with 'exact').
  const exact = laws.verify(laws.scaleComposes(scale, { tolerance: 'exact' }), { ...runs(50), endOnFailure: true });
  assert.equal(exact.ok, false, 'chain(scale(a), scale(b)) is expected to differ from scale(a·b) in the last bit somewhere');
});

// ---------------------------------------------------------------------------------------------
// learning rate 0

test('lr = 0 leaves params unchanged through step (sgd, momentum, nesterov, weight decay, adam, adamw, rmsprop, centered rmsprop)', () => {
  const factories: ReadonlyArray<readonly [string, (lr: number) => AnyTransformation]> = [
    ['sgd', (lr) => sgd(lr)],
    ['momentum', (lr) => sgd(lr, { momentum: 0.9 })],
    ['nesterov', (lr) => sgd(lr, { momentum: 0.9, nesterov: true })],
    ['sgd + weight decay', (lr) => sgd(lr, { momentum: 0.9, weightDecay: 0.1 })],
    ['adam', (lr) => adam(lr)],
    ['adamw', (lr) => adamw(lr, { weightDecay: 0.1 })],
    ['rmsprop', (lr) => rmsprop(lr)],
    ['centered rmsprop', (lr) => rmsprop(lr, { centered: true, momentum: 0.5 })],
  ];
  for (const [name, f] of factories) {
    assert.doesNotThrow(() => laws.check(laws.zeroLearningRateIsIdentity(f, { steps: 3 }), runs(12)), `lr = 0 for ${name}`);
  }
});

// ---------------------------------------------------------------------------------------------
// masked

/** Every object key anywhere in a state (leaf names appear as keys of the moment trees). */
function stateKeys(s: unknown, out = new Set<string>()): Set<string> {
  if (s instanceof tf.Tensor || s === null || typeof s !== 'object') return out;
  if (Array.isArray(s)) s.forEach((x) => stateKeys(x, out));
  else for (const [k, v] of Object.entries(s)) (out.add(k), stateKeys(v, out));
  return out;
}

test('masked(mask, t): masked-out leaves pass through untouched and have no state; selected leaves get exactly t on their own', () => {
  const inner = (): AnyTransformation => sgd(0.1, { momentum: 0.9, weightDecay: 0.05 });
  const arb = fc.tuple(laws.arbParamsAndGrads({ tree: { maxLeaves: 4 } }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }));
  laws.check(
    laws.law('masked passes the rest through', arb, ([input, bits]) => {
      const names = Object.keys(input.params);
      const selected = names.filter((_, i) => bits[i]);
      const others = names.filter((n) => !selected.includes(n));
      const keys: Set<string>[] = [];
      const run = laws.runTransform(masked((n) => selected.includes(n), inner()), input.params, input.stream, { probe: (s) => keys.push(stateKeys(s)) });
      const sub = laws.runTransform(inner(), laws.pickDesc(input.params, selected), input.stream.map((g) => laws.pickDesc(g, selected)), {});
      input.stream.forEach((g, i) => {
        const d1 = laws.compareTrees(laws.pickDesc(run.updates[i]!, others), laws.pickDesc(g, others), 'bitwise');
        if (d1 !== null) laws.violated(`step ${i}: a masked-out leaf did not pass through: ${d1}`);
        if (selected.length > 0) {
          const d2 = laws.compareTrees(laws.pickDesc(run.updates[i]!, selected), sub.updates[i]!, 'exact');
          if (d2 !== null) laws.violated(`step ${i}: a selected leaf differs from the inner rule on the selected leaves alone: ${d2}`);
        }
        const leaked = others.filter((n) => keys[i]!.has(n));
        if (leaked.length > 0) laws.violated(`step ${i}: the state holds masked-out leaves ${leaked.join(', ')}`);
      });
    }),
    runs(40),
  );
});

// ---------------------------------------------------------------------------------------------
// combinators (issue #14): partition, masked and freeze act per group; every combinator leaks nothing and is deterministic

/** Every combinator of issue #14, as factories (a fresh value per use). */
const COMBINATORS: ReadonlyArray<readonly [string, () => AnyTransformation]> = [
  ['partition(adam | sgd+momentum)', () => partition({ a: adam(0.01), b: sgd(0.1, { momentum: 0.9 }) }, (n) => (n === 'p0' ? 'a' : 'b'))],
  ['chain(sgd, freeze(p1))', () => chain(sgd(0.1, { momentum: 0.9 }), freeze((n) => n === 'p1'))],
  ['namedChain(clip, adam)', () => namedChain(['clip', clipByGlobalNorm(1)], ['adam', adam(0.01)])],
  ['lookahead(sgd+momentum, 3, 0.5)', () => lookahead(sgd(0.1, { momentum: 0.9 }), { syncPeriod: 3, slowStepSize: 0.5 })],
  ['lookahead(adam, 2, 0.3, reset)', () => lookahead(adam(0.01), { syncPeriod: 2, slowStepSize: 0.3, resetState: true })],
  ['chain(ema(0.9), sgd)', () => chain(ema(0.9), sgd(0.1))],
  ['chain(zeroNans, sgd+momentum)', () => chain(zeroNans(), sgd(0.1, { momentum: 0.9 }))],
  ['skipLargeUpdates(sgd+momentum, 50)', () => skipLargeUpdates(sgd(0.1, { momentum: 0.9 }), { maxSquaredNorm: 50 })],
  ['chain(sgd+momentum, applyEvery(3))', () => chain(sgd(0.1, { momentum: 0.9 }), applyEvery(3))],
  ['chain(adaptiveGradClip(0.05), sgd)', () => chain(adaptiveGradClip(0.05), sgd(0.1))],
  ['chain(centralize, sgd+momentum)', () => chain(centralize(), sgd(0.1, { momentum: 0.9 }))],
  ['chain(addNoise, sgd)', () => chain(addNoise({ eta: 0.01, gamma: 0.55, key: rootKey(7) }), sgd(0.1))],
  ['adamw with a decay mask', () => adamw(0.01, { weightDecay: 0.1, mask: exceptBiasesAndNorms })],
];

const zeros = (): AnyTransformation => stateless((u) => mapTree(u, (x) => tf.zerosLike(x)));

test('partition: each label\'s leaves get exactly its own transform run alone, and its state equals that transform\'s own state and names no other leaf', () => {
  const groups = { a: () => adam(0.01), b: () => sgd(0.1, { momentum: 0.9, weightDecay: 0.05 }), c: () => rmsprop(0.01, { centered: true }) };
  const stateOf = (s: State, g: string): State => (s as PartitionState).innerStates[g] as State;
  laws.check(laws.actsPerGroup((groupOf) => partition({ a: groups.a(), b: groups.b(), c: groups.c() }, groupOf), groups, { stateOf }), runs(40));
  // The same with a tree of labels instead of a function.
  laws.check(
    laws.actsPerGroup(
      (groupOf) => {
        const labels = Object.fromEntries(['p0', 'p1', 'p2', 'p3'].map((n) => [n, groupOf(n)]));
        return partition({ a: groups.a(), b: groups.b(), c: groups.c() }, (n) => labels[n]!);
      },
      groups,
      { stateOf },
    ),
    runs(20),
  );
});

test('masked and freeze act per group too: masked(mask, t) is t on the selected leaves (state included) and identity elsewhere; freeze is zero on the frozen leaves and identity elsewhere', () => {
  const inner = (): AnyTransformation => adam(0.01);
  const stateOf = (s: State, g: string): State => (g === 'in' ? (s as { inner: State }).inner : null);
  laws.check(laws.actsPerGroup((groupOf) => masked((n) => groupOf(n) === 'in', inner()), { in: inner, out: () => identity }, { stateOf }), runs(40));
  laws.check(laws.actsPerGroup((groupOf) => freeze((n) => groupOf(n) === 'frozen'), { frozen: zeros, free: () => identity }), runs(40));
  laws.check(laws.actsPerGroup((groupOf) => chain(sgd(0.1, { momentum: 0.9 }), freeze((n) => groupOf(n) === 'frozen')), { frozen: zeros, free: () => sgd(0.1, { momentum: 0.9 }) }), runs(30));
});

test('actsPerGroup can fail: a global-norm clip before partition couples the groups, and the law finds it', () => {
  const groups = { a: () => sgd(0.1), b: () => sgd(0.1) };
  const coupled = laws.actsPerGroup((groupOf) => chain(clipByGlobalNorm(0.01), partition({ a: groups.a(), b: groups.b() }, groupOf)), groups);
  assert.equal(laws.verify(coupled, { ...runs(40), endOnFailure: true }).ok, false);
});

test('every combinator: finite in, finite out; update leaves its inputs untouched; bit-identical on the same inputs (transform and optimizer)', () => {
  for (const [name, make] of COMBINATORS) {
    assert.doesNotThrow(() => laws.check(laws.preservesFinite(make()), runs(10)), `${name} (finite)`);
    assert.doesNotThrow(() => laws.check(laws.inputsUntouched(make()), runs(8)), `${name} (inputs)`);
    assert.doesNotThrow(() => laws.check(laws.deterministic(make()), runs(8)), `${name} (transform)`);
    assert.doesNotThrow(() => laws.check(laws.deterministic(optimizer(cleanGrad, make())), runs(4)), `${name} (optimizer)`);
  }
});

test('every combinator: tf.memory().numTensors is flat over 30 steps, through update and through step', () => {
  for (const [name, make] of COMBINATORS) {
    assert.doesNotThrow(() => laws.check(laws.noLeak(make, 30), runs(3)), `${name} (transform)`);
    assert.doesNotThrow(() => laws.check(laws.noLeak(() => optimizer(cleanGrad, make()), 30), runs(2)), `${name} (optimizer)`);
  }
  assert.equal(tf.memory().numTensors, 0);
});

test('lr = 0 leaves params unchanged through step for the combinators around a rule', () => {
  const factories: ReadonlyArray<readonly [string, (lr: number) => AnyTransformation]> = [
    ['partition', (lr) => partition({ a: adam(lr), b: sgd(lr, { momentum: 0.9 }) }, (n) => (n === 'p0' ? 'a' : 'b'))],
    ['lookahead', (lr) => lookahead(sgd(lr, { momentum: 0.9 }), { syncPeriod: 2, slowStepSize: 0.5 })],
    ['skipLargeUpdates', (lr) => skipLargeUpdates(adam(lr), { maxSquaredNorm: 10 })],
    ['applyEvery', (lr) => chain(sgd(lr), applyEvery(2))],
    ['namedChain', (lr) => namedChain(['agc', adaptiveGradClip(0.1)], ['c', centralize()], ['ema', ema(0.9)], ['sgd', sgd(lr)])],
    ['adamw masked', (lr) => adamw(lr, { weightDecay: 0.1, mask: exceptBiasesAndNorms })],
    ['addNoise → sgd', (lr) => chain(addNoise({ eta: 0.1, gamma: 0.55, key: rootKey(1) }), sgd(lr, { momentum: 0.9 }))],
    ['zeroNans → sgd, freeze', (lr) => chain(zeroNans(), sgd(lr, { momentum: 0.9 }), freeze((n) => n === 'p1'))],
  ];
  for (const [name, f] of factories) assert.doesNotThrow(() => laws.check(laws.zeroLearningRateIsIdentity(f, { steps: 3 }), runs(10)), name);
});

// ---------------------------------------------------------------------------------------------
// clipping

test('clipByGlobalNorm(m) never outputs an update of global norm above m (norm in float64, no tolerance), tiny m included', () => {
  const m = fc.oneof(fc.constant(1e-6), laws.arbLearningRate({ min: 1e-3, max: 1e3 }));
  laws.check(laws.neverExceedsNorm((bound) => clipByGlobalNorm(bound), m), runs(50));
  laws.check(laws.neverExceedsNorm((bound) => clipByGlobalNorm(bound), m, { tree: { minRank: 2, maxRank: 3, maxDim: 12 }, length: 2 }), runs(25));
});

// ---------------------------------------------------------------------------------------------
// non-finite updates

test('applyIfFinite never lets NaN/Inf into params, leaves them unchanged on a bad step, counts skips, and otherwise acts as its inner rule', () => {
  const skipped = (s: State): number => (s as ApplyIfFiniteState).skipped;
  for (const inner of [() => sgd(0.1, { momentum: 0.9 }), () => adam(0.01), () => chain(clipByGlobalNorm(1), rmsprop(0.01))]) {
    laws.check(laws.skipsNonFinite(applyIfFinite(inner()), { skipped, inner: inner() }), runs(30));
  }
});

test('every rule maps finite gradients to finite updates (random streams)', () => {
  for (const [name, make] of RULES) assert.doesNotThrow(() => laws.check(laws.preservesFinite(make()), runs(15)), name);
});

test(
  'centered rmsprop stays finite under 200 steps of a constant gradient (ν − μ² clamped at 0 against float32 rounding)',
  () => {
    laws.check(laws.preservesFinite(rmsprop(0.01, { centered: true }), { stream: (p) => laws.arbConstantStream(p, 200), tree: { maxLeaves: 1, maxRank: 1, maxDim: 8 } }), runs(10));
  },
);

test('chain(trace, applyIfFinite(…)) does not claim to handle NaN: step rejects a NaN gradient instead of poisoning the momentum', () => {
  const rule: AnyTransformation = chain(trace({ decay: 0.9 }), applyIfFinite(scaleByLearningRate(0.1)));
  assert.notEqual(rule.handlesNonFinite, true);
  assert.equal(chain(applyIfFinite(trace({ decay: 0.9 })), scaleByLearningRate(0.1)).handlesNonFinite, true);
  const params = { w: tf.tensor1d([1, 2]) };
  const opt = optimizer(cleanGrad, rule);
  const s = opt.init(params);
  const nanLoss = (p: Tree) => tf.tidy(() => tf.sum(tf.sqrt(tf.neg(p['w'] as tf.Tensor))) as tf.Scalar);
  assert.throws(() => step(opt, nanLoss, params, {}, s), NonFiniteError);
  disposeTree([params, s]);
});

// ---------------------------------------------------------------------------------------------
// accumulate, injectHyperparams

test('accumulate(1, t) equals t, bitwise-equal updates', () => {
  for (const make of [() => adam(0.01), () => sgd(0.1, { momentum: 0.9, weightDecay: 1e-2 }), () => rmsprop(0.01, { centered: true })]) {
    laws.check(laws.equivalent(accumulate(1, make()), make(), { name: 'accumulate(1, t) = t' }), runs(25));
  }
});

test('accumulate(k, sgd) outputs zeros k − 1 times, then sgd on the mean of the k gradients (rtol 1e-5: the mean is summed in another order)', () => {
  const k = 3;
  laws.check(
    laws.law('accumulate(k, t) = t on means', laws.arbParamsAndGrads({ length: 2 * k }), (input) => {
      const run = laws.runTransform(accumulate(k, sgd(0.1, { momentum: 0.9 })), input.params, input.stream, { apply: false });
      const means = [0, 1].map((j) =>
        laws.mapDesc(input.stream[j * k]!, (_v, n) => Float32Array.from(input.stream[j * k]![n]!.values, (_x, i) => input.stream.slice(j * k, j * k + k).reduce((s, g) => s + g[n]!.values[i]!, 0) / k)),
      );
      const ref = laws.runTransform(sgd(0.1, { momentum: 0.9 }), input.params, means, { apply: false });
      run.updates.forEach((u, i) => {
        const expected = (i + 1) % k === 0 ? ref.updates[(i + 1) / k - 1]! : laws.mapDesc(u, (v) => new Float32Array(v.length));
        const d = laws.compareTrees(u, expected, { rtol: 1e-5, atol: 1e-6 });
        if (d !== null) laws.violated(`step ${i}: ${d}`);
      });
    }),
    runs(30),
  );
});

test('injectHyperparams with constants equals the plain rule (bitwise), for sgd+momentum and adam', () => {
  laws.check(laws.equivalent(injectHyperparams((h) => sgd(h.lr, { momentum: h.m }), { lr: 0.05, m: 0.9 }), sgd(0.05, { momentum: 0.9 })), runs(25));
  laws.check(laws.equivalent(injectHyperparams((h) => adam(h.lr, { b1: h.b1 }), { lr: 0.01, b1: 0.8 }), adam(0.01, { b1: 0.8 })), runs(25));
  laws.check(laws.equivalent(injectHyperparams((h) => sgd(h.lr), { lr: cosineDecay(0.1, 4) }), sgd(cosineDecay(0.1, 4))), runs(25));
});

test('injectHyperparams: writing a hyperparameter into the state changes the next update (doubling lr doubles the sgd update, exactly up to subnormals)', () => {
  const arb = fc.tuple(laws.arbLearningRate({ min: 1e-3, max: 1 }), laws.arbParamsAndGrads({ length: 2 }));
  laws.check(
    laws.law('state hyperparameters are live', arb, ([lr, input]) => {
      const t = injectHyperparams((h) => sgd(h.lr), { lr });
      const params = laws.materialize(input.params);
      const s0 = t.init(params);
      const [, s1] = t.update(laws.materialize(input.stream[0]!), s0, params);
      const g = laws.materialize(input.stream[1]!);
      const [plain] = t.update(g, s1, params);
      const edited: InjectedState<'lr'> = { ...s1, hyperparams: { lr: 2 * lr } };
      const [doubled, s2] = t.update(g, edited, params);
      if ((s2 as InjectedState<'lr'>).hyperparams.lr !== 2 * lr) laws.violated(`the state does not keep the written lr: ${(s2 as InjectedState<'lr'>).hyperparams.lr}`);
      const twice = laws.mapDesc(laws.snapshot(plain), (v) => v.map((x) => 2 * x));
      // Exact for normal numbers (×2 is exact in float32); a subnormal product rounds to an absolute grid, hence the atol of 2 ulps there.
      const d = laws.compareTrees(laws.snapshot(doubled), twice, { rtol: 0, atol: 3e-45 });
      if (d !== null) laws.violated(`with lr doubled in the state the update is not doubled: ${d}`);
    }),
    runs(40),
  );
});

// ---------------------------------------------------------------------------------------------
// determinism, purity, memory

test('same inputs ⇒ bit-identical updates for every rule; same key ⇒ bit-identical params through step', () => {
  for (const [name, make] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.deterministic(make()), runs(10)), `${name} (transform)`);
  }
  for (const [name, make] of RULES.filter((_, i) => i % 3 === 0)) {
    assert.doesNotThrow(() => laws.check(laws.deterministic(optimizer(cleanGrad, make())), runs(8)), `${name} (optimizer)`);
  }
});

test('update never disposes or changes its inputs (updates, state, params), for every rule', () => {
  for (const [name, make] of RULES) assert.doesNotThrow(() => laws.check(laws.inputsUntouched(make()), runs(10)), name);
});

test('tf.memory().numTensors is flat over 50 steps for every rule, through update and through step', () => {
  for (const [name, make] of RULES) {
    assert.doesNotThrow(() => laws.check(laws.noLeak(make, 50), runs(4)), `${name} (transform)`);
    assert.doesNotThrow(() => laws.check(laws.noLeak(() => optimizer(cleanGrad, make()), 50), runs(2)), `${name} (optimizer)`);
  }
  assert.equal(tf.memory().numTensors, 0, 'the laws themselves leave no tensor behind');
});

test('sgd, momentum, nesterov, adam, adamw and rmsprop descend on convex quadratics with a small learning rate', () => {
  const factories: ReadonlyArray<(lr: number) => AnyTransformation> = [
    (lr) => sgd(lr),
    (lr) => sgd(lr, { momentum: 0.9 }),
    (lr) => sgd(lr, { momentum: 0.9, nesterov: true }),
    (lr) => adam(lr),
    (lr) => adamw(lr, { weightDecay: 1e-2 }),
    (lr) => rmsprop(lr),
    (lr) => chain(clipByGlobalNorm(1), sgd(lr, { momentum: 0.9 })),
  ];
  for (const f of factories) laws.check(laws.descendsOnQuadratic(f, { steps: 10, learningRate: 0.01 }), runs(15));
});
