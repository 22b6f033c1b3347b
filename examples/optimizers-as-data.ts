/**
 * Optimizers as data: the whole update printed, saved and restored, compared; the learning rate read out of a state by
 * name; a resume into another learning rate reported. Prints what it shows; exits non-zero if a check fails.
 *
 *   npx tsx examples/optimizers-as-data.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/guide.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  cleanGrad, cosineDecay, defineTransform, describe, deserialize, disposeTree, equals, fromJSON, injectHyperparams, optimizerFromJSON, key, map, optimizer, ready, rwp, serialize,
  sgd, stateGet, stateless, toJSON, train, type Batch, type LossFn, type Tree,
} from 'optimix';

await ready();
const check = (ok: boolean, what: string): void => {
  if (!ok) {
    console.error(`FAILED: ${what}`);
    process.exit(1);
  }
};

// #region describe
const opt = optimizer(rwp(), sgd(cosineDecay(0.1, 1000), { momentum: 0.9, weightDecay: 1e-4 }));
console.log(describe(opt));
const saved = JSON.stringify(toJSON(opt)); // the source and the rule, every hyperparameter and the schedule
const back = optimizerFromJSON(JSON.parse(saved)); // or fromJSON, which also reads sources and transforms
console.log(`round trip equal: ${equals(back, opt)}; sgd(0.1) equals sgd(0.2): ${equals(sgd(0.1), sgd(0.2))}`);
// #endregion describe
check(equals(back, opt), 'round trip');

// #region define
/** scaledSign(c): u ↦ c·sign(u) — a user's transform, registered in one line. */
const scaledSign = defineTransform('example.scaledSign', (c: number) => stateless((u) => map(u, (x) => tf.mul(tf.sign(x), c))), {
  module: import.meta.url,
  formula: ([c], f) => `g ← ${f.num(c as number)}·sign(g)`,
});
console.log(describe(scaledSign(0.5)));
// #endregion define
check(JSON.stringify(toJSON(fromJSON(toJSON(scaledSign(0.5)) as never) as never)) === JSON.stringify(toJSON(scaledSign(0.5))), 'user round trip');

const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
const y = tf.tensor2d([[1], [2], [3], [4]]);
const batches: Batch[] = [{ x, y }];
const loss: LossFn = (p, b) => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.matMul(b['x'] as tf.Tensor2D, p['w'] as tf.Tensor2D), b['y'] as tf.Tensor))) as tf.Scalar);
const init: Tree = { w: tf.zeros([2, 1]) };

// #region inspect
const injected = optimizer(cleanGrad, injectHyperparams(sgd, { learningRate: cosineDecay(0.01, 100), momentum: 0.9 }));
const run = await train(injected, loss, init, batches, { epochs: 50, key: key(0) });
console.log(`lr at step 50: ${stateGet(injected, run.state, 'hyperparams.learningRate')}`);
console.log(`momentum of w: ${(stateGet(injected, run.state, 'trace.momentum[w]') as tf.Tensor).shape}`);
// #endregion inspect
check(stateGet(injected, run.state, 'hyperparams.learningRate') === cosineDecay(0.01, 100)(49), 'lr read by name');

// #region resume
const first = optimizer(cleanGrad, sgd(0.01, { momentum: 0.9 }));
const state = first.init(init, key(0));
const { manifest, weights } = serialize({ params: init, state, opt: first });
const into = optimizer(cleanGrad, sgd(0.02, { momentum: 0.9 }));
try {
  deserialize(manifest, weights, { params: init, opt: into });
} catch (e) {
  console.log((e as Error).message);
}
const loaded = deserialize(manifest, weights, { params: init, opt: into, allowLearningRateChange: true });
console.log(`allowed: ${loaded.differences.join('; ')}`);
// #endregion resume
check(loaded.differences.length === 1, 'reported');
disposeTree([loaded.params, loaded.state, state, run.params, run.state, init, x, y]);
