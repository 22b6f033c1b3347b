/**
 * Schedules: every hyperparameter takes a number or a schedule `(step) => number`. A warmup-cosine learning rate,
 * ARWP's rising noise σ (cosineIncrease), and `injectHyperparams`, which keeps a rule's hyperparameters in its state so
 * that you can change the learning rate in the middle of a run. Prints the values; exits non-zero if a check fails.
 *
 *   npx tsx examples/schedules.ts
 *
 * The snippets between `#region` and `#endregion` are quoted in docs/guide.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  arwp,
  cleanGrad,
  cosineIncrease,
  describe,
  disposeTree,
  injectHyperparams,
  key,
  optimizer,
  piecewiseConstant,
  ready,
  resolve,
  sgd,
  train,
  warmupCosine,
  type Batch,
  type InjectedState,
  type OptimizerState,
  type Tree,
} from 'optimix';
import { checks } from './toy-problem.js';

await ready();
const { failures, expect } = checks();
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

// A problem: least squares on generated data, 4 batches of 64 (so 100 steps = 25 epochs).
const x = tf.randomNormal([256, 8], 0, 1, 'float32', 1);
const y = tf.matMul(x, tf.randomNormal([8, 1], 0, 1, 'float32', 2));
const batches: Batch[] = [0, 1, 2, 3].map((i) => ({ x: tf.slice(x, i * 64, 64), y: tf.slice(y, i * 64, 64) }));
const loss = (p: Tree, b: Batch) => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.matMul(b['x'] as tf.Tensor2D, p['w'] as tf.Tensor2D), b['y'] as tf.Tensor))) as tf.Scalar);
const init: Tree = { w: tf.zeros([8, 1]) };

// ---------------------------------------------------------------------------------------------------------------------
console.log('1. A warmup-cosine learning rate and ARWP\'s rising noise, over 100 steps');
// #region schedules
const STEPS = 100;
const lr = warmupCosine(0.1, 10, STEPS); // 0 → 0.1 over 10 steps, then a cosine down to 0 at step 100
const sigma = cosineIncrease(0.01, 15, STEPS); // 0.01 → 0.01·(1 + 15) = 0.16, rising as a cosine
const opt = optimizer(arwp({ σ: sigma, η: 1, β: 0.9 }), sgd(lr, { momentum: 0.9 }));
console.log(describe(opt.source)); // ∇L(w+ε), σ_t = cosineIncrease(0.01, 15, 100), ε_i ~ …
for (const t of [0, 5, 10, 25, 50, 75, 100]) {
  const used = resolve(opt.source, t, init); // the source as step t runs it: every hyperparameter a number
  const ε = used['perturbation'] as { readonly kind: string; readonly sigma: number }; // perturbedGrad's perturbation, resolved
  const σt = ε.kind === 'adaptiveFilterNoise' ? ε.sigma : NaN;
  console.log(`step ${String(t).padStart(3)}: lr ${lr(t).toFixed(4)}   σ ${σt.toFixed(4)}`);
}
// #endregion schedules
expect(lr(0) === 0 && close(lr(5), 0.05) && close(lr(10), 0.1) && close(lr(100), 0), 'warmupCosine: 0 at step 0, 0.05 at 5, the peak 0.1 at 10, 0 at 100');
expect(close(sigma(0), 0.01) && close(sigma(50), 0.085) && close(sigma(100), 0.16), 'cosineIncrease: σ = 0.01 at step 0, 0.085 halfway, 0.16 at the end');
const r = await train(opt, loss, init, batches, { epochs: STEPS / batches.length, key: key(0) });
console.log(`  ARWP with these schedules, 100 steps: loss ${r.losses[0]!.toFixed(3)} → ${r.losses.at(-1)!.toFixed(4)}`);
expect(r.losses.at(-1)! < 0.05 * r.losses[0]!, 'ARWP with a warmup-cosine lr trains (loss falls by 20× or more)');
disposeTree([r.params, r.state]);

// ---------------------------------------------------------------------------------------------------------------------
console.log('\n2. injectHyperparams: change the learning rate in the middle of a run');
// #region inject
const rule = injectHyperparams((h) => sgd(h.lr, { momentum: 0.9 }), { lr: 0.05 });
const withLr = (s: OptimizerState, value: number): OptimizerState => {
  const t = s.transform as InjectedState<'lr'>;
  return { ...s, transform: { ...t, hyperparams: { ...t.hyperparams, lr: value } } };
};
const injected = optimizer(cleanGrad, rule);
const first = await train(injected, loss, init, batches, { epochs: 5, key: key(0) }); // 20 steps at lr 0.05
const rest = await train(injected, loss, first.params, batches, { epochs: 5, state: withLr(first.state, 0.005) });
console.log(`lr ${(first.state.transform as InjectedState<'lr'>).hyperparams.lr} for 20 steps, then ${(rest.state.transform as InjectedState<'lr'>).hyperparams.lr}`);
// #endregion inject
console.log(`  loss ${first.losses[0]!.toFixed(3)} → ${first.losses.at(-1)!.toFixed(4)} (lr 0.05) → ${rest.losses.at(-1)!.toFixed(5)} (lr 0.005)`);

// The same run written as a schedule: the hand-made change is a piecewise-constant learning rate.
const planned = await train(optimizer(cleanGrad, sgd(piecewiseConstant([0.05, 0.005], [20]), { momentum: 0.9 })), loss, init, batches, { epochs: 10, key: key(0) });
const same = Buffer.from((rest.params['w'] as tf.Tensor).dataSync().buffer).equals(Buffer.from((planned.params['w'] as tf.Tensor).dataSync().buffer));
expect(same, 'changing lr by hand after 20 steps = sgd(piecewiseConstant([0.05, 0.005], [20])), bit for bit');
disposeTree([first.params, rest.params, rest.state, planned.params, planned.state]); // `train` took over first.state

disposeTree([init, batches, x, y]);
console.log(failures.length === 0 ? '\nschedules: ok' : `\nschedules: ${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
