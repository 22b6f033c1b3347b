// Optimizers as data (issue #13): every transform is registered; describe, toJSON/fromJSON and equals of whole optimizers.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as transformModule from '../src/transform/index.js';
import * as optimix from '../src/index.js';
import {
  adam, adamw, disposeReplaced, arwp, asam, chain, cleanGrad, clipByGlobalNorm, cosineDecay, describe, disposeTree, equals, fromJSON, fsam, gsam, injectHyperparams, key,
  lookSam, mArwp, mRwp, momentumSam, mSharpnessSam, optimizer, ready, rmsprop, rsam, rwp, sam, sampa, sgd, specOf, step, toJSON, transforms,
  UnknownKindError, UnregisteredPartError, warmupCosine, type GradientSource, type Optimizer, type OptimizerState, type Tree, applyIfFinite, masked, trace,
  scale, exceptBiasesAndNorms, type AnyTransformation,
} from '../src/index.js';
import fc from 'fast-check';
import { bitsEqual, regression } from './helpers/problems.js';
import { scaledSign } from './fixtures/userTransform.js';

before(async () => {
  await ready();
});

/** Exports of src/transform that are helpers, not transform constructors. */
const HELPERS = new Set(['transformation', 'stateless', 'allFinite', 'exceptBiasesAndNorms', 'defineRule', 'orthogonalizeViaNewtonSchulz', 'scheduleFreeEvalParams']);

test('every transform constructor the library exports is registered under its own name (and identity is a registered value)', () => {
  const exported = Object.entries(transformModule).filter(([n, v]) => typeof v === 'function' && !HELPERS.has(n) && !/^safe[A-Z]/.test(n)); // safeX return an Either
  assert.ok(exported.length >= 25, `found ${exported.length} constructors`);
  // Registered under its own name; a few exports fill in defaults, then call the registered constructor (prodigy(lr = 1, …)).
  const unregistered = exported.filter(([n]) => transforms.find(n) === undefined).map(([n]) => n);
  const wrappers = exported.filter(([n, f]) => transforms.find(n) !== undefined && transforms.find(n)?.make !== f).map(([n]) => n);
  assert.ok(wrappers.every((n) => ['prodigy', 'scheduleFreeSgd', 'scheduleFreeAdamw', 'signSgd'].includes(n)), `unexpected wrappers: ${wrappers.join(', ')}`);
  assert.deepEqual(unregistered, [], `not registered: ${unregistered.join(', ')}`);
  assert.equal(specOf(transformModule.identity)?.kind, 'identity');
});

test('a transform records its kind and arguments; options objects are copied, so changing them later changes nothing', () => {
  const o: { momentum: number; weightDecay?: number } = { momentum: 0.9 };
  const t = sgd(0.1, o);
  o.momentum = 0.5;
  assert.deepEqual(specOf(t), { kind: 'sgd', args: [0.1, { momentum: 0.9 }] });
  assert.ok(equals(sgd(0.1), sgd(0.1, {})), 'trailing empty options are no difference');
  assert.ok(!equals(sgd(0.1), sgd(0.2)));
  assert.ok(!equals(sgd(0.1), adam(0.1)));
});

test('describe(RWP + sgd(cosine, { momentum, weightDecay })) prints the gradient, then every step of the rule with its numbers', () => {
  const opt = optimizer(rwp(), sgd(cosineDecay(0.1, 1000), { momentum: 0.9, weightDecay: 1e-4 }));
  assert.equal(
    describe(opt),
    [
      'gradient  g = 0.5·∇L(w) + 0.5·∇L(w+ε), ε_i ~ N(0,(0.01·‖w_i‖)²)',
      'update',
      '  sgd(cosineDecay(0.1→0, 1000), { momentum: 0.9, weightDecay: 0.0001 }) =',
      '    g ← g + 0.0001·w   [addDecayedWeights]',
      '    m ← 0.9·m + g; g ← m   [trace]',
      '    g ← −η_t·g   [scaleByLearningRate]',
      '  where η_t = cosineDecay(0.1→0, 1000)',
      '  w ← w + g',
    ].join('\n'),
  );
  assert.equal(describe(adam(0.001)).split('\n')[2], '  g ← −0.001·g   [scaleByLearningRate]');
  assert.equal(describe(rwp()), '0.5·∇L(w) + 0.5·∇L(w+ε), ε_i ~ N(0,(0.01·‖w_i‖)²)', 'a source prints as before');
  assert.equal(
    describe(injectHyperparams(sgd, { learningRate: cosineDecay(0.1, 100), momentum: 0.9 })),
    [
      'injectHyperparams(sgd, { learningRate: cosineDecay(0.1→0, 100), momentum: 0.9 }):',
      '  sgd(cosineDecay(0.1→0, 100), { momentum: 0.9 }) =',
      '    m ← 0.9·m + g; g ← m   [trace]',
      '    g ← −η_t·g   [scaleByLearningRate]',
      'where η_t = cosineDecay(0.1→0, 100)',
    ].join('\n'),
  );
});

const SOURCES: readonly (readonly [string, GradientSource])[] = [
  ['cleanGrad', cleanGrad],
  ['rwp', rwp()],
  ['mRwp', mRwp()],
  ['arwp', arwp({ steps: 20 })],
  ['mArwp', mArwp()],
  ['sam', sam()],
  ['asam', asam()],
  ['sampa', sampa({ lr: 0.05 })],
  ['gsam', gsam()],
  ['rsam', rsam()],
  ['mSharpnessSam', mSharpnessSam({ microBatches: 2 })],
  ['lookSam', lookSam()],
  ['momentumSam', momentumSam()],
  ['fsam', fsam()],
];
const RULES: readonly (readonly [string, () => AnyTransformation])[] = [
  ['sgd(cosine, momentum, wd)', () => sgd(cosineDecay(0.05, 20), { momentum: 0.9, weightDecay: 1e-4 })],
  ['sgd nesterov', () => sgd(0.05, { momentum: 0.9, nesterov: true })],
  ['sgd, decay except biases', () => sgd(0.05, { momentum: 0.9, weightDecay: 1e-3, mask: exceptBiasesAndNorms })],
  ['adamw, decay on named leaves', () => adamw(0.01, { weightDecay: 1e-3, mask: { kernel: true, bias: false } })],
  ['adam', () => adam(0.01)],
  ['adamw(warmupCosine)', () => adamw(warmupCosine(0.01, 5, 20), { weightDecay: 1e-3 })],
  ['rmsprop', () => rmsprop(0.01, { momentum: 0.5, centered: true })],
  ['clip + sgd', () => chain(clipByGlobalNorm(1), sgd(0.05, { momentum: 0.9 }))],
  ['applyIfFinite(chain(trace, scale))', () => applyIfFinite(chain(trace({ decay: 0.9 }), scale(-0.05)))],
  ['injectHyperparams(sgd, …)', () => injectHyperparams(sgd, { learningRate: cosineDecay(0.05, 20), momentum: 0.9 })],
  ['user-defined', () => chain(scaledSign(0.5), sgd(0.01))],
  // optax's named rules (issue #14)
  ...(['adagrad', 'adadelta', 'adamax', 'nadam', 'amsgrad', 'adabelief', 'radam', 'yogi', 'lion', 'signSgd', 'signum', 'lamb', 'lars', 'adafactor', 'scheduleFreeSgd', 'scheduleFreeAdamw', 'muon', 'prodigy'] as const).map(
    (n) => [n, () => (optimix[n] as (lr: number) => AnyTransformation)(0.01)] as const,
  ),
];

function run(opt: Optimizer, steps: number): Tree {
  const { params, batch, loss } = regression(7);
  let p: Tree = params;
  let s: OptimizerState = opt.init(params, key(3));
  for (let i = 0; i < steps; i++) {
    const r = step(opt, loss, p, batch, s);
    disposeReplaced([p, s], [r.params, r.state]);
    p = r.params;
    s = r.state;
  }
  disposeReplaced([s, batch], p);
  return p;
}

test('a JSON round trip of every named optimizer (each preset source with SGD; RWP with each rule) gives the same 20 steps, bit for bit', () => {
  const cases: [string, Optimizer][] = [
    ...SOURCES.map(([n, s]) => [`${n} + sgd`, optimizer(s, sgd(cosineDecay(0.05, 20), { momentum: 0.9, weightDecay: 1e-4 }))] as [string, Optimizer]),
    ...RULES.map(([n, r]) => [`rwp + ${n}`, optimizer(rwp(), r())] as [string, Optimizer]),
  ];
  for (const [name, opt] of cases) {
    const text = JSON.stringify(toJSON(opt));
    const back = fromJSON(JSON.parse(text) as never) as Optimizer;
    assert.ok(equals(opt, back), `${name}: equals after the round trip`);
    assert.equal(JSON.stringify(toJSON(back)), text, `${name}: the JSON is stable`);
    const [a, b] = [run(opt, 20), run(back, 20)];
    assert.ok(bitsEqual(a, b), `${name}: 20 steps differ after the JSON round trip`);
    disposeTree([a, b]);
  }
});

test('a user-defined transform registers in one line, prints its formula, and round-trips; a missing kind names its module', () => {
  const opt = optimizer(cleanGrad, chain(scaledSign(0.5), sgd(0.01)));
  assert.match(describe(opt), /g ← 0\.5·sign\(g\)   \[test\.scaledSign\]/);
  const json = toJSON(opt) as { transform: { args: { transform: string; module?: string }[] } };
  assert.equal(json.transform.args[0]?.module, new URL('./fixtures/userTransform.ts', import.meta.url).href);
  assert.ok(equals(fromJSON(json as never) as Optimizer, opt));
  const renamed = JSON.parse(JSON.stringify(json).replace('test.scaledSign', 'test.nowhere')) as never;
  assert.throws(() => fromJSON(renamed), (e: Error) => e instanceof UnknownKindError && /unknown gradient transform kind 'test\.nowhere'/.test(e.message) && /userTransform\.ts/.test(e.message));
});

test('toJSON names the part that cannot be saved: a bare { init, update }, a closure factory, a predicate mask', () => {
  const bare = { init: () => null, update: (u: Tree) => [u, null] as const };
  assert.throws(() => toJSON(optimizer(cleanGrad, chain(sgd(0.1), bare))), (e: Error) => e instanceof UnregisteredPartError && /chain\.transforms\[1\] was not made by a registered constructor/.test(e.message));
  assert.throws(() => toJSON(injectHyperparams((h) => sgd(h.lr), { lr: 0.1 })), (e: Error) => e instanceof UnregisteredPartError && /injectHyperparams\.factory is a custom function/.test(e.message));
  assert.throws(() => toJSON(masked((n) => n === 'kernel', trace({ decay: 0.9 }))), (e: Error) => e instanceof UnregisteredPartError && /masked\.mask is a custom function/.test(e.message));
});

test('equals compares whole optimizers: source and every hyperparameter, schedules by spec', () => {
  const a = optimizer(rwp(), sgd(cosineDecay(0.1, 100), { momentum: 0.9 }));
  assert.ok(equals(a, optimizer(rwp(), sgd(cosineDecay(0.1, 100), { momentum: 0.9 }))));
  assert.ok(!equals(a, optimizer(rwp(), sgd(cosineDecay(0.1, 200), { momentum: 0.9 }))));
  assert.ok(!equals(a, optimizer(rwp(), sgd(cosineDecay(0.1, 100), { momentum: 0.8 }))));
  assert.ok(!equals(a, optimizer(sam(), sgd(cosineDecay(0.1, 100), { momentum: 0.9 }))));
  assert.ok(!equals(a, rwp()));
});

test('a round trip keeps tensors flat', () => {
  const before = tf.memory().numTensors;
  const opt = fromJSON(JSON.parse(JSON.stringify(toJSON(optimizer(rwp(), adam(0.1))))) as never) as Optimizer;
  assert.ok(equals(opt, optimizer(rwp(), adam(0.1))));
  assert.equal(tf.memory().numTensors, before);
});

test('property: for any hyperparameters, fromJSON(toJSON(rule)) equals the rule, and its JSON is stable (fast-check, seed 13)', () => {
  const lr = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.tuple(fc.double({ min: 0.001, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1000 })).map(([a, t]) => cosineDecay(a, t)));
  const unit = fc.double({ min: 0, max: 0.999, noNaN: true });
  const rule = fc.oneof(
    fc.tuple(lr, unit, fc.boolean(), fc.double({ min: 0, max: 0.1, noNaN: true })).map(([l, m, n, wd]) => sgd(l, { momentum: m, nesterov: n, weightDecay: wd })),
    fc.tuple(lr, unit, unit, fc.double({ min: 1e-12, max: 1e-3, noNaN: true })).map(([l, b1, b2, eps]) => adam(l, { b1, b2, eps })),
    fc.tuple(lr, unit, fc.boolean()).map(([l, d, c]) => rmsprop(l, { decay: d, centered: c })),
    fc.tuple(fc.double({ min: 0.1, max: 10, noNaN: true }), lr).map(([c, l]) => chain(clipByGlobalNorm(c), sgd(l))),
  );
  fc.assert(
    fc.property(rule, (t) => {
      const text = JSON.stringify(toJSON(t));
      const back = fromJSON(JSON.parse(text) as never) as unknown as AnyTransformation;
      return equals(back, t) && JSON.stringify(toJSON(back)) === text;
    }),
    { seed: 13, numRuns: 200 },
  );
});
