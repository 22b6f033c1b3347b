// One method, run on real data: the small MLP on 4,000 MNIST digits for 3 epochs, then test accuracy.
//   npx tsx examples/methods.ts <sgd | sam | asam | rwp | m-rwp | arwp | m-arwp | sampa | gsam | rsam | msharpness-sam | looksam | msam | fsam>
// OPTIMIX_FAST=1 (the CI setting): 1,000 digits for 1 epoch. Exits non-zero if the test accuracy is not well above chance.
import { arwp, asam, cleanGrad, cosineDecay, describe, disposeTree, fold, fsam, gsam, key, lookSam, mArwp, momentumSam, mRwp, mSharpnessSam, optimizer, ready, rsam, rwp, sam, sampa, sgd, train, type GradientSource } from 'optimix';
import { batches, epochBatches, loadMnist } from 'optimix/data';
import { evaluate, mlp } from 'optimix/models';

const name = process.argv[2] ?? 'rwp';
const FAST = process.env['OPTIMIX_FAST'] === '1';
const EPOCHS = FAST ? 1 : 3;
const BATCH = 64;

await ready();
const { train: trainSet, test: testSet } = loadMnist({ trainSize: FAST ? 1000 : 4000, testSize: FAST ? 500 : 1000, key: key(0) });
const steps = EPOCHS * epochBatches(trainSet, BATCH);
const sources: Record<string, GradientSource> = {
  sgd: cleanGrad,
  sam: sam({ ρ: 0.05 }),
  asam: asam({ ρ: 0.5, η: 0.01 }),
  rwp: rwp({ σ: 0.01, λ: 0.5 }),
  'm-rwp': mRwp({ σ: 0.01, λ: 0.5 }), // each branch gets half of the batch: give it twice the batch below
  arwp: arwp({ σ: 0.01, inc: 15, steps, η: 1, β: 0.9 }),
  'm-arwp': mArwp({ σ: 0.01, λ: 0.5, η: 1, β: 0.9 }),
  // The family since SAM (issue #16), with the authors' defaults:
  sampa: sampa({ ρ: 0.1, λ: 0.2, lr: cosineDecay(0.1, steps) }), // lr: the update rule's own schedule (y = w − η·g_y)
  gsam: gsam({ ρ: 0.05, α: 0.2 }),
  rsam: rsam({ ρ: 0.05, σ: 0.01 }),
  'msharpness-sam': mSharpnessSam({ ρ: 0.05, microBatches: 4 }), // one ascent per 16 examples
  looksam: lookSam({ ρ: 0.1, α: 0.7, k: 5 }),
  msam: momentumSam({ ρ: 0.3, μ: 0.9 }), // μ: the update rule's momentum
  fsam: fsam({ ρ: 0.05, σ: 1, λ: 0.9 }),
};
const source = sources[name];
if (source === undefined) throw new Error(`unknown method '${name}'; choose one of ${Object.keys(sources).join(', ')}`);

const model = mlp({ hidden: [128] });
const opt = optimizer(source, sgd(cosineDecay(0.1, steps), { momentum: 0.9, weightDecay: 1e-4 }));
const batchSize = name.startsWith('m-') ? 2 * BATCH : BATCH;
const init = model.init(key(1));
const started = performance.now();
const r = await train(opt, model.loss, init, (epoch) => batches(trainSet, batchSize, fold(key(2), epoch)), { epochs: EPOCHS, key: key(3) });
const seconds = (performance.now() - started) / 1000;
const { accuracy, loss } = evaluate(model, r.params, testSet);
console.log(`${name}: ${describe(source)}`);
console.log(`  ${r.losses.length} steps, ${r.gradEvals} gradient evaluations, ${seconds.toFixed(1)} s; train loss ${r.losses.at(-1)!.toFixed(3)}; test loss ${loss.toFixed(3)}, accuracy ${(accuracy * 100).toFixed(1)}%`);
disposeTree([init, r.params, r.state]);
const floor = FAST ? 0.5 : 0.85; // chance is 0.1
if (!(accuracy > floor) || !Number.isFinite(loss)) {
  console.error(`check failed: test accuracy ${(accuracy * 100).toFixed(1)}% (expected > ${floor * 100}%), test loss ${loss}`);
  process.exitCode = 1;
}
