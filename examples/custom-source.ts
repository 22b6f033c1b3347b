/**
 * Your own gradient source, composed from `cleanGrad`, `perturbedGrad` and `mix`: RWP that averages two noise samples,
 * and SAM anchored by a clean gradient. A source is data, so it prints as a formula, round-trips through JSON, compares
 * with `equals`, and the interpreter can see what each branch needs (the anchored SAM shares its clean gradient and
 * costs what SAM costs). Exits non-zero if a check fails.
 *
 *   npx tsx examples/custom-source.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/guide.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  adversarial,
  cleanGrad,
  describe,
  disposeTree,
  equals,
  filterNoise,
  fromJSON,
  gradientOf,
  globalNorm,
  key,
  mix,
  optimizer,
  perturbedGrad,
  ready,
  rwp,
  sam,
  sgd,
  sub,
  toJSON,
  train,
  type GradientSource,
} from 'optimix';
import * as laws from 'optimix/laws';
import { checks, loss, toyData, toyParams } from './toy-problem.js';

await ready();
const { failures, expect } = checks();

// The problem, shared with other examples (toy-problem.ts): a small two-layer regression net, its `loss`, and generated data.
const { teacher, x, y, batches } = toyData();
const params = toyParams();

// #region sources
// RWP averaging two independent noise samples: ½∇L(w) + ¼∇L(w+ε₁) + ¼∇L(w+ε₂).
const twoSamples = mix(
  cleanGrad,
  mix(perturbedGrad(filterNoise(0.01)), perturbedGrad(filterNoise(0.01, { draw: 1 }))), // draw 1: a second, independent ε
  0.5,
);
// SAM anchored by the clean gradient: ½∇L(w) + ½∇L(w + ρ·∇L(w)/‖∇L(w)‖).
const anchoredSam = mix(cleanGrad, perturbedGrad(adversarial(0.05)), 0.5);
// #endregion sources

console.log('1. Sources are data');
// #region data
for (const source of [twoSamples, anchoredSam]) {
  console.log(describe(source)); // the formula it computes
  const json = JSON.stringify(toJSON(source)); // what a checkpoint records of it
  console.log(`  round-trips through JSON: ${equals(fromJSON(JSON.parse(json)), source)}`);
}
// #endregion data
expect([twoSamples, anchoredSam].every((s) => equals(fromJSON(JSON.parse(JSON.stringify(toJSON(s)))), s)), 'toJSON → fromJSON gives an equal source');
expect(!equals(twoSamples, rwp()) && equals(rwp({ σ: 0.01, λ: 0.5 }), mix(cleanGrad, perturbedGrad(filterNoise(0.01)), 0.5)), 'equals compares structure and hyperparameters: rwp() is exactly mix(cleanGrad, perturbedGrad(filterNoise(0.01)), 0.5)');

console.log('\n2. What a source costs, and what it hands the transform');
// #region cost
for (const [name, source] of [['RWP', rwp()], ['RWP, two samples', twoSamples], ['SAM', sam()], ['anchored SAM', anchoredSam]] as const) {
  const opt = optimizer(source, sgd(0.05, { momentum: 0.9 }));
  const r = await train(opt, loss, params, batches, { epochs: 10, key: key(0) });
  const g = gradientOf(source, loss, params, batches[0]!, { key: key(0) }); // the gradient step 0 would use
  const clean = gradientOf(cleanGrad, loss, params, batches[0]!);
  const diff = tf.tidy(() => globalNorm(sub(g.grads, clean.grads)).dataSync()[0]!);
  console.log(`${name.padEnd(17)} ${r.gradEvals / r.losses.length} gradient evaluations per step; ‖g − ∇L(w)‖ = ${diff.toExponential(2)}; loss ${r.losses[0]!.toFixed(3)} → ${r.losses.at(-1)!.toFixed(4)}`);
  disposeTree([r.params, r.state, g.grads, clean.grads]);
}
// #endregion cost
const perStep = async (source: GradientSource) => {
  const r = await train(optimizer(source, sgd(0.05)), loss, params, batches.slice(0, 2), { key: key(0) });
  disposeTree([r.params, r.state]);
  return r.gradEvals / r.losses.length;
};
expect((await perStep(twoSamples)) === 3, 'RWP with two samples: 3 gradient evaluations per step');
expect((await perStep(anchoredSam)) === 2, 'anchored SAM: 2 gradient evaluations per step, as SAM (the clean gradient is computed once and shared)');
expect((await perStep(mix(perturbedGrad(filterNoise(0.01)), perturbedGrad(filterNoise(0.01)), 0.3))) === 1, 'mix(a, a, λ): one evaluation, a is the same draw twice');

console.log('\n3. Laws of the algebra, checked on random problems');
// #region laws
const ε = perturbedGrad(filterNoise(0.01));
laws.check(laws.sameGradient(mix(ε, ε, 0.3), ε, { name: 'mix(a, a, λ) = a' }), { numRuns: 10, seed: 1 });
laws.check(laws.reducesToClean(perturbedGrad(adversarial(0))), { numRuns: 10, seed: 1 }); // SAM with ρ = 0: bit for bit
const rounding = { rtol: 1e-6, atol: 1e-30 }; // ½·g + ½·g rounds (a subnormal g halves to 0)
laws.check(laws.reducesToClean(mix(cleanGrad, perturbedGrad(filterNoise(0)), 0.5), { tolerance: rounding }), { numRuns: 10, seed: 1 });
laws.check(laws.mixIsLinear(cleanGrad, twoSamples), { numRuns: 10, seed: 1 });
// #endregion laws
expect(true, 'mix(a, a, λ) = a exactly; SAM with ρ = 0 is ∇L(w) exactly, RWP with σ = 0 to rounding; mix(cleanGrad, twoSamples, λ) is linear in λ');

disposeTree([params, batches, x, y, teacher]);
console.log(failures.length === 0 ? '\ncustom-source: ok' : `\ncustom-source: ${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
