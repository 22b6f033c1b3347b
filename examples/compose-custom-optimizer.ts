/**
 * Compose your own optimizer: write a gradient transformation (Adagrad) in fifteen lines, chain it with the library's
 * transforms, put it behind RWP's gradient source, and train with `train`. Also: SGD → momentum → Adam as chains of small
 * transforms, checked equal to the named rules with the law kit. Exits non-zero if any check fails.
 *
 *   npx tsx examples/compose-custom-optimizer.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/guide.md (scripts/run-examples.mjs checks that
 * the two agree).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  adam,
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  cosineDecay,
  describe,
  disposeTree,
  key,
  map,
  optimizer,
  ready,
  rwp,
  scaleByAdam,
  scaleByLearningRate,
  sgd,
  stateless,
  trace,
  train,
  transformation,
  zerosLike,
  zipWith,
  type GradientTransformation,
  type Hyper,
  type Tree,
} from 'optimix';
import * as laws from 'optimix/laws';
import { checks, loss, toyData, toyParams } from './toy-problem.js';

const backend = await ready();
const { failures, expect } = checks();

// #region adagrad
/** scaleByAdagrad(eps): G ← G + g², u = g / (√G + eps)  (Duchi, Hazan & Singer 2011). */
function scaleByAdagrad(eps = 1e-7): GradientTransformation<{ readonly sumSq: Tree }> {
  return transformation(
    // init(params): the state, plain data: one tensor of zeros per parameter.
    (params) => ({ sumSq: zerosLike(params) }),
    // update(g, state, params): runs inside tf.tidy; only the returned tensors survive it.
    (g, { sumSq }) => {
      const next = zipWith(sumSq, g, (s, gi) => tf.add(s, tf.square(gi)));
      const u = zipWith(g, next, (gi, s) => tf.div(gi, tf.add(tf.sqrt(s), eps)));
      return [u, { sumSq: next }];
    },
  );
}
/** Adagrad: w ← w − lr·g / (√G + eps). */
const adagrad = (lr: Hyper) => chain(scaleByAdagrad(), scaleByLearningRate(lr));
// #endregion adagrad

// #region sign
/** scaleBySign(): u = sign(g), no state. signSgd(lr) = chain(scaleBySign(), scaleByLearningRate(lr)). */
const scaleBySign = () => stateless((g) => map(g, (x) => tf.sign(x)));
// #endregion sign

// ---------------------------------------------------------------------------------------------------------------------
// The problem, shared with other examples (toy-problem.ts): a small two-layer regression net, its `loss`, and generated
// data in 8 batches of 32.
const { teacher, x, y, batches } = toyData();
const init = toyParams();
const EPOCHS = 15;
const STEPS = EPOCHS * batches.length;

// ---------------------------------------------------------------------------------------------------------------------
console.log(`1. A user-written transform, chained with library ones, behind RWP's gradient source (${backend})`);
// #region custom-train
const opt = optimizer(
  rwp({ σ: 0.01, λ: 0.5 }), // where the gradient comes from
  chain(
    clipByGlobalNorm(1), //     what to do with it: clip,
    scaleByAdagrad(), //        scale per coordinate (ours),
    addDecayedWeights(1e-4), // decoupled weight decay (after the scaling, as in AdamW),
    scaleByLearningRate(cosineDecay(0.3, STEPS)), // step with a cosine-decayed learning rate
  ),
);
const r = await train(opt, loss, init, batches, { epochs: EPOCHS, key: key(0) });
console.log(`${describe(opt.source)}: loss ${r.losses[0]!.toFixed(4)} → ${r.losses.at(-1)!.toFixed(4)}`);
// #endregion custom-train
disposeTree([r.params, r.state]);
expect(r.losses.at(-1)! < 0.1 * r.losses[0]!, 'RWP + clip + Adagrad + decay + cosine lr: the loss falls by 10× or more');

const signed = await train(optimizer(rwp(), chain(scaleBySign(), scaleByLearningRate(cosineDecay(0.01, STEPS)))), loss, init, batches, { epochs: EPOCHS, key: key(0) });
console.log(`  sign-SGD on the same problem: loss ${signed.losses[0]!.toFixed(4)} → ${signed.losses.at(-1)!.toFixed(4)}`);
disposeTree([signed.params, signed.state]);
expect(signed.losses.at(-1)! < 0.5 * signed.losses[0]!, 'RWP + sign-SGD: the loss halves or better');

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n2. SGD → momentum → Adam, as chains of small transforms');
// #region chains
const plainSgd = chain(scaleByLearningRate(0.1)); //                              w ← w − lr·g
const momentum = chain(trace({ decay: 0.9 }), scaleByLearningRate(0.1)); //       m ← 0.9·m + g;  w ← w − lr·m
const sgdFull = chain(addDecayedWeights(1e-4), trace({ decay: 0.9 }), scaleByLearningRate(0.1)); // g + wd·w first
const adamChain = chain(scaleByAdam({ b1: 0.9, b2: 0.999, eps: 1e-8 }), scaleByLearningRate(1e-3));
// #endregion chains

// #region chains-check
const options = { numRuns: 20, seed: 7 };
laws.check(laws.equivalent(plainSgd, sgd(0.1)), options); // throws a LawError naming the first difference
laws.check(laws.equivalent(momentum, sgd(0.1, { momentum: 0.9 })), options);
laws.check(laws.equivalent(sgdFull, sgd(0.1, { momentum: 0.9, weightDecay: 1e-4 })), options);
laws.check(laws.equivalent(adamChain, adam(1e-3)), options);
// #endregion chains-check
expect(true, 'each chain gives exactly the updates of the named rule (sgd, sgd + momentum, sgd + momentum + decay, adam) on 20 random streams');

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n3. The law kit on our transform');
// #region adagrad-laws
const reports = [
  laws.noLeak(() => adagrad(0.1), 20), //                     no tensor left behind, step after step
  laws.deterministic(adagrad(0.1)), //                        same inputs ⇒ same updates, bit for bit
  laws.inputsUntouched(adagrad(0.1)), //                      update never changes or disposes what it is given
  laws.preservesFinite(adagrad(0.1)), //                      zeros, subnormals and ±10 in ⇒ finite out
  laws.zeroLearningRateIsIdentity(adagrad), //                lr = 0 leaves the params exactly where they were
  laws.descendsOnQuadratic(adagrad, { learningRate: 0.1 }), // it descends on convex quadratics
].map((law) => laws.verify(law, { numRuns: 20, seed: 1 }));
for (const report of reports) console.log(`  ${report.ok ? 'pass' : 'FAIL'}  ${report.law}${report.ok ? '' : `: ${report.failure}`}`);
// #endregion adagrad-laws
expect(reports.every((report) => report.ok), 'adagrad passes all six laws');

disposeTree([init, batches, x, y, teacher]);
console.log(failures.length === 0 ? '\ncompose-custom-optimizer: ok' : `\ncompose-custom-optimizer: ${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
