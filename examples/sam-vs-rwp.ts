/**
 * SAM and RWP side by side: the same update rule behind two gradient sources. Their one-step gradients computed by hand
 * agree with the library's; their costs are measured; and RWP's two independent gradients run at the same time on two
 * threads with the parallel interpreter, giving bit for bit the numbers of the one-thread run. Exits non-zero if a
 * check fails (timings are printed, not checked).
 *
 *   npx tsx examples/sam-vs-rwp.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/sam-vs-rwp.md.
 */
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import {
  cleanGrad,
  describe,
  disposeTree,
  filterNoise,
  globalNorm,
  gradientOf,
  key,
  optimizer,
  parallel,
  perturbedGrad,
  ready,
  rwp,
  sam,
  sgd,
  train,
  valueAndGrad,
  zipWith,
  type Batch,
  type Optimizer,
  type Tree,
} from 'optimix';
import { mlp, type MlpOptions } from 'optimix/models';
import { checks, sameBits } from './toy-problem.js';

const backend = await ready();
const { failures, expect } = checks();

// A classifier on generated data: the zoo MLP (64 → 256 → 256 → 10), labels from a random linear teacher.
const modelOptions: MlpOptions = { inputShape: [64], hidden: [256, 256], classes: 10 };
const model = mlp(modelOptions);
const N = 1024;
const BATCH = 128;
const xs = tf.randomNormal([N, 64], 0, 1, 'float32', 1);
const ys = tf.tidy(() => tf.cast(tf.oneHot(tf.argMax(tf.matMul(xs, tf.randomNormal([64, 10], 0, 1, 'float32', 2)), 1), 10), 'float32'));
const batches: Batch[] = Array.from({ length: N / BATCH }, (_, i) => ({ x: tf.slice(xs, i * BATCH, BATCH), y: tf.slice(ys, i * BATCH, BATCH) }));
const w = model.init(key(1));
const batch = batches[0]!;
const { loss } = model;

// ---------------------------------------------------------------------------------------------------------------------
console.log(`1. Three methods, one rule (${backend})`);
// #region three
const rule = sgd(0.05, { momentum: 0.9, weightDecay: 1e-4 });
const methods: ReadonlyArray<readonly [string, Optimizer]> = [
  ['SGD', optimizer(cleanGrad, rule)], //                 ∇L(w)
  ['SAM', optimizer(sam({ ρ: 0.05 }), rule)], //          ∇L(w + ρ·g/‖g‖), g = ∇L(w)
  ['RWP', optimizer(rwp({ σ: 0.01, λ: 0.5 }), rule)], //  ½∇L(w) + ½∇L(w + ε), ε_i ~ N(0, (σ‖w_i‖)²)
];
for (const [name, opt] of methods) console.log(`${name}: ${describe(opt.source)}`);
// #endregion three

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n2. One step of each, by hand');
// #region sam-by-hand
const ρ = 0.05;
const samByHand = tf.tidy(() => {
  const g = valueAndGrad(loss, w, batch).grads; //                   1st evaluation: g = ∇L(w)
  const scale = tf.div(ρ, tf.add(globalNorm(g), 1e-12)); //          ρ/‖g‖, ‖·‖ over all parameters together
  const ascended = zipWith(w, g, (wi, gi) => tf.add(wi, tf.mul(gi, scale))); // w + ε, ε = ρ·g/‖g‖
  return valueAndGrad(loss, ascended, batch).grads; //               2nd evaluation, which needs the 1st: ∇L(w + ε)
});
const samLibrary = gradientOf(sam({ ρ }), loss, w, batch).grads;
// #endregion sam-by-hand
expect(sameBits(samByHand, samLibrary), 'SAM by hand = gradientOf(sam({ ρ: 0.05 })), bit for bit');

// #region rwp-by-hand
const k = key(3); // the same key draws the same ε, wherever the perturbation sits in a source
const clean = gradientOf(cleanGrad, loss, w, batch, { key: k }).grads; //                        ∇L(w)
const noisy = gradientOf(perturbedGrad(filterNoise(0.01)), loss, w, batch, { key: k }).grads; // ∇L(w + ε): independent of ∇L(w)
const rwpByHand = tf.tidy(() => zipWith(clean, noisy, (a, b) => tf.add(tf.mul(a, 0.5), tf.mul(b, 0.5))));
const rwpLibrary = gradientOf(rwp({ σ: 0.01, λ: 0.5 }), loss, w, batch, { key: k }).grads;
// #endregion rwp-by-hand
expect(sameBits(rwpByHand, rwpLibrary), 'RWP by hand (½·clean + ½·perturbed, same key) = gradientOf(rwp()), bit for bit');
disposeTree([samByHand, samLibrary, clean, noisy, rwpByHand, rwpLibrary]);

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n3. What they cost: one thread, then two');
const EPOCHS = 2; // 16 steps per run
// #region parallel
const workers = parallel({
  workers: 1, // this thread + 1 worker: two gradient evaluations at once
  model: { module: import.meta.resolve('optimix/models'), export: 'mlp', args: [modelOptions] },
});
const results = new Map<string, Tree>();
for (const [name, opt] of methods) {
  for (const interpreter of name === 'SGD' ? [undefined] : [undefined, workers]) {
    const run = { key: key(0), ...(interpreter ? { interpreter } : {}) };
    disposeTree(await train(opt, loss, w, [batch], run)); // warm up (and start the worker) before timing
    const started = performance.now();
    const r = await train(opt, loss, w, batches, { epochs: EPOCHS, ...run });
    const ms = (performance.now() - started) / r.losses.length;
    const where = interpreter ? 'parallel' : 'sequential';
    console.log(`${name} ${where.padEnd(10)} ${r.gradEvals / r.losses.length} evaluations/step, ${ms.toFixed(1)} ms/step, loss ${r.losses[0]!.toFixed(3)} → ${r.losses.at(-1)!.toFixed(3)}`);
    results.set(`${name} ${where}`, r.params);
    disposeTree(r.state);
  }
}
await workers.close();
// #endregion parallel
console.log(`  (wall times depend on free cores: this machine has ${availableParallelism()}, with load ${loadavg()[0]!.toFixed(1)}; see docs/performance.md)`);
expect(sameBits(results.get('RWP sequential')!, results.get('RWP parallel')!), 'RWP: parallel = sequential, bit for bit');
expect(sameBits(results.get('SAM sequential')!, results.get('SAM parallel')!), 'SAM: parallel = sequential, bit for bit (SAM has no independent branches to spread)');

disposeTree([[...results.values()], w, batches, xs, ys]);
console.log(failures.length === 0 ? '\nsam-vs-rwp: ok' : `\nsam-vs-rwp: ${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
