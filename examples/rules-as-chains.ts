/**
 * Lion, LAMB and schedule-free SGD as chains of small transforms: each chain is checked equal to the named rule with
 * the law kit, then all train the toy problem (clean gradients and RWP's). Schedule-free runs are evaluated at the
 * averaged parameters (scheduleFreeEvalParams). Exits non-zero if any check fails.
 *
 *   npx tsx examples/rules-as-chains.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/guide.md (scripts/run-examples.mjs checks that
 * the two agree).
 */
import {
  addDecayedWeights,
  chain,
  cleanGrad,
  disposeTree,
  key,
  lamb,
  lion,
  optimizer,
  ready,
  rwp,
  scaleByAdam,
  scaleByLearningRate,
  scaleByLion,
  scaleByTrustRatio,
  scheduleFree,
  scheduleFreeEvalParams,
  scheduleFreeSgd,
  train,
  type AnyTransformation,
} from '../src/index.js';
import * as laws from '../src/laws/index.js';
import { checks, loss, toyData, toyParams } from './toy-problem.js';

const backend = await ready();
const { failures, expect } = checks();

console.log(`1. Lion, LAMB and schedule-free SGD, as chains (${backend})`);
// #region more-chains
// Lion: the sign of an interpolation of g and the momentum, then decoupled decay, then lr.
const lionChain = chain(scaleByLion({ b1: 0.9, b2: 0.99 }), addDecayedWeights(1e-3), scaleByLearningRate(3e-3));
// LAMB: Adam's direction plus decay, rescaled per leaf to the leaf's norm (the trust ratio ‖w‖/‖u‖), then lr.
const lambChain = chain(scaleByAdam({ b1: 0.9, b2: 0.999, eps: 1e-6 }), addDecayedWeights(1e-2), scaleByTrustRatio(), scaleByLearningRate(1e-2));
// Schedule-free SGD: a wrapper, not a link: plain SGD moves z, the params interpolate z and the running average x.
const scheduleFreeChain = scheduleFree(chain(scaleByLearningRate(0.5)), 0.5, { b1: 0.9 });
// #endregion more-chains

// #region more-chains-check
const options = { numRuns: 20, seed: 7 };
laws.check(laws.equivalent(lionChain, lion(3e-3)), options); // throws a LawError naming the first difference
laws.check(laws.equivalent(lambChain, lamb(1e-2, { weightDecay: 1e-2 })), options);
laws.check(laws.equivalent(scheduleFreeChain, scheduleFreeSgd(0.5)), options);
// #endregion more-chains-check
expect(true, 'lion, lamb and scheduleFreeSgd equal their chains on 20 random streams');

console.log('\n2. Training the toy problem, 15 epochs of 8 batches');
const { teacher, x, y, batches } = toyData();
const init = toyParams();
const runs: ReadonlyArray<readonly [string, () => AnyTransformation]> = [
  ['lion', () => lionChain],
  ['lamb', () => lambChain],
  ['schedule-free sgd', () => scheduleFreeChain],
];
for (const [name, rule] of runs) {
  for (const [sourceName, source] of [['clean', cleanGrad], ['rwp', rwp()]] as const) {
    const r = await train(optimizer(source, rule()), loss, init, batches, { epochs: 15, key: key(0) });
    let final = r.losses.at(-1)!;
    if (name.startsWith('schedule-free')) {
      // Evaluate a schedule-free run at the average x, not at the params y where its gradients were taken.
      const evalParams = scheduleFreeEvalParams(r.state, r.params);
      const values = batches.map((b) => loss(evalParams, b));
      final = values.reduce((s, v) => s + (v.dataSync()[0] as number), 0) / batches.length;
      disposeTree(values);
      disposeTree(evalParams);
    }
    console.log(`  ${name} (${sourceName}): loss ${r.losses[0]!.toFixed(4)} → ${final.toFixed(4)}`);
    expect(final < 0.5 * r.losses[0]!, `${name} with ${sourceName} gradients: the loss halves or better`);
    disposeTree([r.params, r.state]);
  }
}

disposeTree([init, batches, x, y, teacher]);
console.log(failures.length === 0 ? '\nrules-as-chains: ok' : `\nrules-as-chains: ${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
