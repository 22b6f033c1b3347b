/**
 * The laws of optimix's gradient sources (cleanGrad, perturbedGrad, mix and the presets), checked with optimix/laws
 * on random least-squares problems (fast-check, fixed seeds). Run: node --import tsx --test test/laws.sources.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { ready } from '../src/backend.js';
import { optimizer } from '../src/optimizer.js';
import { sampleAdaptiveFilterNoise, adaptiveFilterNoise } from '../src/perturbation/adaptiveFilterNoise.js';
import { adversarial, sampleAdversarial } from '../src/perturbation/adversarial.js';
import { filterNoise, sampleFilterNoise } from '../src/perturbation/filterNoise.js';
import { fold, key } from '../src/random.js';
import { cleanGrad, mix, perturbedGrad } from '../src/source/constructors.js';
import { arwp, asam, mArwp, mRwp, rwp, sam } from '../src/source/presets.js';
import type { GradientSource } from '../src/source/types.js';
import { sgd } from '../src/transform/rules.js';
import * as laws from '../src/laws/index.js';

await ready({ backend: 'cpu' });

const SEED = 7031;
const runs = (numRuns: number, seed = SEED) => ({ numRuns, seed });

const PRESETS: ReadonlyArray<readonly [string, GradientSource]> = [
  ['rwp', rwp()],
  ['mRwp', mRwp()],
  ['arwp', arwp({ steps: 100 })],
  ['mArwp', mArwp()],
  ['sam', sam()],
  ['asam', asam()],
];
const withSgd = (s: GradientSource) => optimizer(s, sgd(0.01, { momentum: 0.9 }));

// ---------------------------------------------------------------------------------------------
// sources that are cleanGrad in disguise

test('perturbedGrad(filterNoise(0)), perturbedGrad(adversarial(0)) and mix(cleanGrad, cleanGrad, λ) give cleanGrad\'s gradient bit for bit', () => {
  laws.check(laws.reducesToClean(perturbedGrad(filterNoise(0)), { tolerance: 'bitwise' }), runs(30));
  laws.check(laws.reducesToClean(perturbedGrad(adversarial(0)), { tolerance: 'bitwise' }), runs(30));
  for (const lambda of [0, 1, 0.5, ...fc.sample(laws.arbUnit(), { numRuns: 3, seed: SEED })]) {
    laws.check(laws.reducesToClean(mix(cleanGrad, cleanGrad, lambda), { tolerance: 'bitwise' }), runs(15));
  }
});

test('the adaptive variants reduce to cleanGrad too: adaptiveFilterNoise({ σ: 0 }) and ASAM with ρ = 0, bit for bit', () => {
  laws.check(laws.reducesToClean(perturbedGrad(adaptiveFilterNoise({ sigma: 0 })), { tolerance: 'bitwise', steps: 4 }), runs(20));
  laws.check(laws.reducesToClean(perturbedGrad(adversarial(0, { adaptive: true })), { tolerance: 'bitwise' }), runs(20));
});

test('mix(cleanGrad, perturbedGrad(filterNoise(0)), λ) and rwp({ σ: 0 }) equal cleanGrad to float32 rounding only (rtol 1e-6: (1−λ)g + λg rounds)', () => {
  const tol = { rtol: 1e-6, atol: 1e-30 };
  laws.check(laws.reducesToClean(mix(cleanGrad, perturbedGrad(filterNoise(0)), 0.3), { tolerance: tol }), runs(25));
  laws.check(laws.reducesToClean(rwp({ sigma: 0 }), { tolerance: tol }), runs(25));
});

// ---------------------------------------------------------------------------------------------
// mix at its ends, and linear in between

test('mix(a, b, 0) = a and mix(a, b, 1) = b, exactly, for deterministic sources (clean, SAM, ASAM)', () => {
  const pairs: ReadonlyArray<readonly [GradientSource, GradientSource]> = [
    [cleanGrad, sam()],
    [sam(), asam()],
    [asam({ rho: 0.1 }), cleanGrad],
  ];
  for (const [a, b] of pairs) {
    laws.check(laws.sameGradient(mix(a, b, 0), a, { name: 'mix(a, b, 0) = a' }), runs(15));
    laws.check(laws.sameGradient(mix(a, b, 1), b, { name: 'mix(a, b, 1) = b' }), runs(15));
  }
});

test(
  'mix(a, b, 0) = a, mix(b, a, 1) = a and mix(a, a, λ) = a for a noisy source a under the same key (noise is keyed by the perturbation, not its place)',
  () => {
    const a = perturbedGrad(filterNoise(0.1));
    laws.check(laws.sameGradient(mix(a, cleanGrad, 0), a, { name: 'mix(a, b, 0) = a' }), runs(15));
    laws.check(laws.sameGradient(mix(cleanGrad, a, 1), a, { name: 'mix(b, a, 1) = a' }), runs(15));
    laws.check(laws.sameGradient(mix(a, a, 0.3), a, { name: 'mix(a, a, λ) = a' }), runs(15));
  },
);

test('mix is linear in λ: g(λ) = (1 − λ)·g(0) + λ·g(1) under one key, noisy branches included (to MIX_RTOL of the terms)', () => {
  laws.check(laws.mixIsLinear(perturbedGrad(filterNoise(0.1)), perturbedGrad(filterNoise(0.3))), runs(30));
  laws.check(laws.mixIsLinear(cleanGrad, perturbedGrad(adaptiveFilterNoise({ sigma: 0.2 }))), runs(30));
  laws.check(laws.mixIsLinear(sam(), perturbedGrad(filterNoise(0.2)), { batch: 'split' }), runs(30));
  laws.check(laws.mixIsLinear(rwp({ sigma: 0.05 }), asam(), { batch: 'split' }), runs(20));
});

// ---------------------------------------------------------------------------------------------
// keys

test('same key ⇒ identical ε (filter noise, adaptive noise, SAM/ASAM ascent), and another key ⇒ other noise', () => {
  const arb = fc.tuple(laws.arbTree({ maxLeaves: 3, maxRank: 3 }), laws.arbSeed(), fc.double({ min: 1e-3, max: 1, noNaN: true }));
  laws.check(
    laws.law('ε is a pure function of the key', arb, ([desc, seed, sigma]) => {
      const params = laws.materialize(desc);
      const names = Object.keys(params);
      const k = key(seed);
      const same = (what: string, a: tf.Tensor | Record<string, tf.Tensor>, b: typeof a): void => {
        const d = laws.compareTrees(laws.snapshot(a as Record<string, tf.Tensor>), laws.snapshot(b as Record<string, tf.Tensor>), 'bitwise');
        if (d !== null) laws.violated(`${what}: two draws with the same key differ: ${d}`);
      };
      same('filterNoise', sampleFilterNoise(params, sigma, -1, names, k), sampleFilterNoise(params, sigma, -1, names, k));
      const F = laws.materialize(laws.mapDesc(desc, (v) => v.map((x) => x * x)));
      const p = { sigma, eta: 1, axis: -1, names };
      same('adaptiveFilterNoise', sampleAdaptiveFilterNoise(params, F, p, k), sampleAdaptiveFilterNoise(params, F, p, k));
      const grads = laws.materialize(laws.mapDesc(desc, (v) => v.map((x) => 0.5 - x)));
      for (const adaptive of [false, true]) {
        const q = { rho: sigma, adaptive, eta: 0.01, names, adaptiveNames: adaptive ? names : [] };
        same(adaptive ? 'ASAM' : 'SAM', sampleAdversarial(params, grads, q), sampleAdversarial(params, grads, q));
      }
      const moving = Object.values(desc).some((l) => l.values.some((x) => x !== 0));
      if (moving) {
        const d = laws.compareTrees(laws.snapshot(sampleFilterNoise(params, sigma, -1, names, k)), laws.snapshot(sampleFilterNoise(params, sigma, -1, names, fold(k, 1))), 'bitwise');
        if (d === null) laws.violated('two different keys drew the same filter noise');
      }
    }),
    runs(40),
  );
});

test('same key ⇒ bit-identical steps (params and losses) for every preset', () => {
  for (const [name, source] of PRESETS) assert.doesNotThrow(() => laws.check(laws.deterministic(withSgd(source), { steps: 4 }), runs(8)), name);
  laws.check(laws.deterministic(withSgd(mix(perturbedGrad(filterNoise(0.05)), perturbedGrad(adaptiveFilterNoise({ sigma: 0.05 })), 0.3, { batch: 'split' }))), runs(8));
});

// ---------------------------------------------------------------------------------------------
// ownership and memory

test('ε never changes the params the caller holds: step leaves params, batch and state alive and unchanged, for every preset', () => {
  for (const [name, source] of PRESETS) assert.doesNotThrow(() => laws.check(laws.inputsUntouched(withSgd(source)), runs(10)), name);
});

test('no tensor leak over 50 steps for every preset (rwp, mRwp, arwp, mArwp, sam, asam)', () => {
  for (const [name, source] of PRESETS) assert.doesNotThrow(() => laws.check(laws.noLeak(withSgd(source), 50), runs(3)), name);
  assert.equal(tf.memory().numTensors, 0, 'the laws themselves leave no tensor behind');
});

test('every preset descends on convex quadratics with SGD(0.01)', () => {
  for (const [name, source] of PRESETS) assert.doesNotThrow(() => laws.check(laws.descendsOnQuadratic(withSgd(source), { steps: 8 }), runs(10)), name);
});
