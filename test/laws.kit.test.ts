/**
 * The law kit catches broken rules: each law below is run on a rule written to break it, and must fail; the same law
 * on a correct rule must pass. Run: node --import tsx --test test/laws.kit.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { ready } from '../src/backend.js';
import { optimizer } from '../src/optimizer.js';
import { cleanGrad, mix, perturbedGrad } from '../src/source/constructors.js';
import { filterNoise } from '../src/perturbation/filterNoise.js';
import {
  applyIfFinite,
  chain,
  clipByGlobalNorm,
  identity,
  scale,
  sgd,
  stateless,
  trace,
  type AnyTransformation,
  type ApplyIfFiniteState,
  type GradientTransformation,
  type State,
} from '../src/transform/index.js';
import { allFinite } from '../src/transform/applyIfFinite.js';
import { map, type Tree } from '../src/tree.js';
import * as laws from '../src/laws/index.js';

await ready({ backend: 'cpu' });

const SEED = 99;
/** Options for a law expected to fail: stop at the first counterexample (no shrinking), to keep the file fast. */
const quick = (numRuns = 30) => ({ numRuns, seed: SEED, endOnFailure: true });
const full = (numRuns = 30) => ({ numRuns, seed: SEED });

/** Assert that a law fails, and that its report says why (`because` is matched against the failure message). */
function caught(law: laws.Law<[unknown]>, because: RegExp, options = quick()): void {
  const r = laws.verify(law, options);
  assert.equal(r.ok, false, `law '${r.law}' should have caught the broken rule`);
  assert.match(r.failure ?? '', because, `law '${r.law}' failed for an unexpected reason:\n${r.message}`);
}
function holds(law: laws.Law<[unknown]>, options = full(20)): void {
  laws.check(law, options);
}

const lr = (u: Tree, rate = 0.01): Tree => map(u, (x) => tf.mul(x, -rate));

// ---------------------------------------------------------------------------------------------
// broken rules

/** Leaks one tensor per update (made outside any tidy). */
const leaky: GradientTransformation<null> = {
  init: () => null,
  update: (u) => {
    tf.zeros([1]);
    return [lr(u), null];
  },
};
/** Leaks through `step` too: tf.keep makes the tensor escape step's tidy. */
const keeper: GradientTransformation<null> = {
  init: () => null,
  update: (u) => {
    tf.keep(tf.zeros([1]));
    return [lr(u), null];
  },
};
/** Holds on to every gradient it has seen: its state grows by a tensor per step. */
const hoarder: GradientTransformation<readonly State[]> = {
  init: () => [],
  update: (u, s) => [lr(u), [...s, tf.clone(Object.values(u)[0]!)]],
};
/** Disposes the params it is given. */
const paramDisposer: GradientTransformation<null> = {
  init: () => null,
  update: (u, _s, p) => {
    const out = lr(u);
    Object.values(p)[0]!.dispose();
    return [out, null];
  },
};
/** Disposes the updates it is given. */
const updateDisposer: GradientTransformation<null> = {
  init: () => null,
  update: (u) => {
    const out = lr(u);
    Object.values(u)[0]!.dispose();
    return [out, null];
  },
};
/** Writes into its params in place (on the cpu backend dataSync hands out the tensor's own buffer). */
const mutator: GradientTransformation<null> = {
  init: () => null,
  update: (u, _s, p) => {
    const buf = Object.values(p)[0]!.dataSync() as Float32Array;
    buf[0] = (buf[0] ?? 0) + 1;
    return [lr(u), null];
  },
};
/** Uses Math.random. */
const dice = stateless((u) => lr(u, 0.01 * (1 + Math.random())));
/** Keeps a step counter in a closure instead of its state: the same value run twice gives two runs. */
const closureCounter = (): AnyTransformation => {
  let t = 0;
  return stateless((u) => lr(u, 0.01 / ++t));
};
/** Ascends: adds +lr·g. */
const ascent = stateless((u) => map(u, (x) => tf.mul(x, 0.01)));
/** An "identity" that is off by one part in a million. */
const nearlyIdentity = stateless((u) => map(u, (x) => tf.mul(x, 1 + 2 ** -20)));
/** A chain that hands every transform the first transform's state (an index bug). */
const badChain = (...ts: AnyTransformation[]): AnyTransformation => ({
  init: (p) => ts.map((t) => t.init(p) as State),
  update: (u, s: readonly State[], p) => {
    let v = u;
    const next = ts.map((t) => {
      const [w, si] = t.update(v, s[0], p);
      v = w;
      return si as State;
    });
    return [v, next];
  },
});
/** Weight decay applied after the learning rate: at lr = 0 the params still shrink. */
const decayAfterLr = (rate: number): AnyTransformation => chain(scale(-rate), stateless((u, p) => map(u, (x, n) => tf.sub(x, tf.mul(p[n]!, 1e-3)))));
/** sign(g) computed as g/|g|: NaN at g = 0. */
const signByDivision = stateless((u) => lr(map(u, (x) => tf.div(x, tf.abs(x)))));
/** Clips each leaf to norm m on its own: the global norm can reach m·√leaves. */
const perLeafClip = (m: number): AnyTransformation => stateless((u) => map(u, (x) => tf.mul(x, tf.minimum(1, tf.div(m, tf.maximum(tf.norm(x), 1e-30))))));
/** "applyIfFinite" that forgets to check. */
const trusting = (inner: AnyTransformation): AnyTransformation => inner;
/** applyIfFinite that zeros the update but still advances the inner state (with the NaN gradient). */
const leakyGuard = (inner: AnyTransformation): GradientTransformation<{ readonly inner: State; readonly skipped: number }> => ({
  init: (p) => ({ inner: inner.init(p) as State, skipped: 0 }),
  update: (u, s, p) => {
    const [v, si] = inner.update(u, s.inner, p);
    if (allFinite(u)) return [v, { inner: si as State, skipped: s.skipped }];
    return [map(u, (x) => tf.zerosLike(x)), { inner: si as State, skipped: s.skipped + 1 }];
  },
  handlesNonFinite: true,
});
/** scale that rounds its factor to 3 significant digits. */
const roundedScale = (c: number): AnyTransformation => scale(Number(c.toPrecision(3)));

// ---------------------------------------------------------------------------------------------

test('noLeak catches a transform that leaks a tensor per update, and one that leaks through step (tf.keep, a growing state)', () => {
  const before = tf.memory().numTensors;
  caught(laws.noLeak(leaky, 10), /numTensors is \d+ after step 1 but \d+ after step 10 \(\+1\.00 per step\)/);
  caught(laws.noLeak(optimizer(cleanGrad, hoarder), 10), /\+1\.00 per step/);
  caught(laws.noLeak(() => hoarder, 10), /\+1\.00 per step/);
  // step's own tidy frees what `leaky` makes, so through step it does not leak:
  holds(laws.noLeak(optimizer(cleanGrad, leaky), 10), full(3));
  holds(laws.noLeak(sgd(0.1, { momentum: 0.9 }), 10), full(3));
  assert.equal(tf.memory().numTensors, before, 'a law, failing or not, frees every tensor made during its runs');
  // tf.keep escapes every tidy, the law's own included: those 10 tensors stay (and are what it reports).
  caught(laws.noLeak(optimizer(cleanGrad, keeper), 10), /\+1\.00 per step/);
  assert.equal(tf.memory().numTensors, before + 10);
});

test('inputsUntouched catches a rule that disposes its params or its updates, and one that writes into its params', () => {
  caught(laws.inputsUntouched(optimizer(cleanGrad, paramDisposer)), /step disposed a tensor of its input params/);
  caught(laws.inputsUntouched(paramDisposer), /update disposed a tensor of its input params/);
  caught(laws.inputsUntouched(updateDisposer), /update disposed a tensor of its input updates/);
  caught(laws.inputsUntouched(mutator), /update changed a tensor of its input params in place/);
  caught(laws.inputsUntouched(optimizer(cleanGrad, mutator)), /step changed a tensor of its input params in place/);
  // disposing the gradient is not the caller's business: step made it.
  holds(laws.inputsUntouched(optimizer(cleanGrad, updateDisposer)));
  holds(laws.inputsUntouched(optimizer(cleanGrad, sgd(0.1, { momentum: 0.9 }))));
});

test('deterministic catches Math.random and hidden closure state', () => {
  caught(laws.deterministic(dice), /two runs from the same inputs give different updates/);
  caught(laws.deterministic(optimizer(cleanGrad, dice)), /two runs from the same inputs and key give different params/);
  caught(laws.deterministic(closureCounter()), /different updates/);
  holds(laws.deterministic(optimizer(perturbedGrad(filterNoise(0.1)), sgd(0.1))));
});

test('descendsOnQuadratic catches ascent and a learning rate past the stability limit 2/a', () => {
  caught(laws.descendsOnQuadratic(ascent), /not below the initial/);
  caught(laws.descendsOnQuadratic((rate) => sgd(rate), { learningRate: 5 }), /not below the initial/);
  holds(laws.descendsOnQuadratic((rate) => sgd(rate), { learningRate: 0.5 }));
});

test('isMonoidUnit catches a broken identity; isAssociative catches a chain that mixes up states', () => {
  caught(laws.isMonoidUnit(sgd(0.1), { unit: nearlyIdentity }), /differ from those of t/);
  caught(laws.isMonoidUnit(clipByGlobalNorm(1), { unit: scale(-1) }), /differ from those of t/);
  caught(laws.isAssociative(trace({ decay: 0.9 }), trace({ decay: 0.5 }), scale(2), { chain: badChain }), /./);
  holds(laws.isMonoidUnit(sgd(0.1), { unit: identity }));
});

test('zeroLearningRateIsIdentity catches weight decay applied after the learning rate', () => {
  caught(laws.zeroLearningRateIsIdentity(decayAfterLr), /after step 1 the params moved/);
  holds(laws.zeroLearningRateIsIdentity((rate) => sgd(rate, { weightDecay: 1e-3 })));
});

test('preservesFinite catches sign(g) computed as g/|g| (NaN at g = 0)', () => {
  caught(laws.preservesFinite(signByDivision), /a finite gradient gave a non-finite update: .* = NaN/, quick(50));
  holds(laws.preservesFinite(stateless((u) => lr(map(u, (x) => tf.sign(x))))));
});

test('neverExceedsNorm catches per-leaf clipping passed off as global clipping', () => {
  caught(laws.neverExceedsNorm(perLeafClip, laws.arbLearningRate({ min: 1e-2, max: 10 }), { tree: { minLeaves: 2 } }), /above the bound/);
  holds(laws.neverExceedsNorm(clipByGlobalNorm, laws.arbLearningRate({ min: 1e-2, max: 10 })));
});

test('skipsNonFinite catches a guard that checks nothing, one that still feeds the NaN to the inner state, and a wrong skip counter', () => {
  const skipped = (s: State): number => (s as ApplyIfFiniteState).skipped;
  caught(laws.skipsNonFinite(trusting(sgd(0.1))), /the params became non-finite|the params moved/);
  caught(laws.skipsNonFinite(leakyGuard(sgd(0.1, { momentum: 0.9 })), { inner: sgd(0.1, { momentum: 0.9 }) }), /non-finite|differs from inner/);
  caught(laws.skipsNonFinite(applyIfFinite(sgd(0.1)), { skipped: (s) => skipped(s) + 1 }), /the skip counter says/);
  holds(laws.skipsNonFinite(applyIfFinite(sgd(0.1, { momentum: 0.9 })), { skipped, inner: sgd(0.1, { momentum: 0.9 }) }));
});

test('scaleComposes catches a scale that rounds its factor', () => {
  caught(laws.scaleComposes(roundedScale), /the updates of .* differ/);
  holds(laws.scaleComposes(scale));
});

test('reducesToClean catches sources that are not cleanGrad: noise σ > 0, and split batches', () => {
  caught(laws.reducesToClean(perturbedGrad(filterNoise(0.01))), /the gradients differ/, quick(10));
  caught(laws.reducesToClean(mix(cleanGrad, cleanGrad, 0.5, { batch: 'split' })), /the gradients differ/, quick(10));
});

test('check throws a readable LawError: the law, the failure, the shrunk counterexample, and how to replay it', async () => {
  let error: unknown;
  try {
    laws.check(laws.preservesFinite(signByDivision), { numRuns: 50, seed: SEED });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof laws.LawError, 'check throws a LawError');
  const { message, report } = error;
  assert.match(message, /^law 'finite in ⇒ finite out' does not hold \(failed after \d+ runs?, \d+ shrinks?\):/);
  assert.match(message, /step 0: a finite gradient gave a non-finite update: 'p0'\[0\] = NaN/, 'shrunk to the first step and element');
  assert.match(message, /counterexample: /);
  assert.match(message, /replay with \{ seed: 99, path: "[\d:]+" \}/);
  // Replaying with the reported seed and path fails again at once, on the shrunk counterexample.
  const again = laws.verify(laws.preservesFinite(signByDivision), { seed: report.seed, path: report.path!, numRuns: 1 });
  assert.equal(again.ok, false);
  assert.deepEqual(again.counterexample, report.counterexample);
  // The laws are plain fast-check properties too.
  assert.throws(() => fc.assert(laws.preservesFinite(signByDivision), { numRuns: 50, seed: SEED }), /Property failed/);
  // check and verify take fast-check's async properties as well (and then return promises).
  await laws.check(fc.asyncProperty(fc.nat(), async (n) => n >= 0), { numRuns: 10, seed: SEED });
  await assert.rejects(laws.check(fc.asyncProperty(fc.nat(), async (n) => n < 5), { numRuns: 50, seed: SEED }), (e: unknown) => e instanceof laws.LawError && /law 'property' does not hold/.test(e.message));
});

test('arbitraries: shapes, trees and streams respect their bounds; materialize/snapshot round-trip', () => {
  holds(
    laws.law('bounds', fc.tuple(laws.arbTree({ maxLeaves: 4, maxRank: 3, maxDim: 2, min: -1, max: 1 }), laws.arbLearningRate(), laws.arbMomentum(), laws.arbUnit(), laws.arbSeed()), ([desc, rate, mu, lambda, seed]) => {
      const names = Object.keys(desc);
      assert.ok(names.length >= 1 && names.length <= 4);
      for (const leaf of Object.values(desc)) {
        assert.ok(leaf.shape.length <= 3 && leaf.shape.every((d) => d >= 1 && d <= 2));
        assert.equal(leaf.values.length, laws.sizeOf(leaf.shape));
        assert.ok(leaf.values.every((x) => x >= -1 && x <= 1));
      }
      assert.ok(rate >= 1e-4 && rate <= 1 && mu >= 0 && mu <= 0.99 && lambda >= 0 && lambda <= 1 && Number.isInteger(seed));
      assert.equal(laws.compareTrees(laws.snapshot(laws.materialize(desc)), desc, 'bitwise'), null);
    }),
    full(50),
  );
  holds(
    laws.law('stream shapes', laws.arbTree().chain((d) => fc.tuple(fc.constant(d), laws.arbGradientStream(d, 4), laws.arbCorruptedStream(d, 4))), ([d, stream, bad]) => {
      assert.equal(stream.length, 4);
      for (const g of stream) assert.equal(laws.compareTrees(laws.mapDesc(g, () => new Float32Array(0)), laws.mapDesc(d, () => new Float32Array(0)), 'exact'), null);
      assert.ok(bad.some((g) => !laws.allFiniteDesc(g)), 'a corrupted stream holds a NaN or ±Inf');
    }),
    full(50),
  );
});
