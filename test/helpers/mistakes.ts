// A new user's mistakes and the error each must get, written against the library passed in, so that the same cases run
// on src/ (test/mistakes.test.ts) and on the npm-packed, installed package (test/newcomer.test.ts).
import type * as TF from '@tensorflow/tfjs-core';
import type * as Optimix from '../../src/index.js';

/** One mistake: what the user does, and the error it must throw (its class name and a pattern of its message). */
export interface Mistake {
  readonly name: string;
  readonly error: string;
  readonly message: RegExp;
  readonly run: () => unknown;
}

type Lib = typeof Optimix;

/** A small regression problem: params w [3, 1] (non-zero) and b [1], one batch of 16, a least-squares loss. */
function problem(o: Lib, tf: typeof TF) {
  const params = { w: tf.fill([3, 1], 0.5), b: tf.zeros([1]) };
  const batch = { x: tf.ones([16, 3]), y: tf.zeros([16, 1]) };
  const loss = (p: Optimix.Tree, bt: Optimix.Batch): TF.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(bt['x'] as TF.Tensor2D, p['w'] as TF.Tensor2D), p['b'] as TF.Tensor), bt['y'] as TF.Tensor))));
  const free = (...more: unknown[]): void => o.disposeTree([params, batch, ...more]);
  return { params, batch, loss, free };
}

/** Runs f, then frees the problem's tensors whether f threw or not. */
function using<T>(o: Lib, tf: typeof TF, f: (p: ReturnType<typeof problem>) => T): () => T {
  return () => {
    const p = problem(o, tf);
    let r: T;
    try {
      r = f(p);
    } catch (e) {
      p.free();
      throw e;
    }
    if (r instanceof Promise) return r.finally(() => p.free()) as T;
    p.free();
    return r;
  };
}

const READY = /call `await ready\(\)` from optimix first/;

/** Mistakes made before `await ready()` (run these first, in a fresh process, after `await tf.ready()` at most). */
export function beforeReady(o: Lib, tf: typeof TF): Mistake[] {
  return [
    { name: 'step before ready()', error: 'OptimixError', message: READY, run: using(o, tf, ({ params, batch, loss }) => {
      const opt = o.optimizer(o.cleanGrad, o.sgd(0.1));
      return o.step(opt, loss, params, batch, opt.init(params));
    }) },
    { name: 'train before ready()', error: 'OptimixError', message: READY, run: using(o, tf, ({ params, batch, loss }) => o.train(o.optimizer(o.cleanGrad, o.sgd(0.1)), loss, params, [batch])) },
    { name: 'gradientOf before ready()', error: 'OptimixError', message: READY, run: using(o, tf, ({ params, batch, loss }) => o.gradientOf(o.rwp(), loss, params, batch)) },
  ];
}

/** Mistakes made after `await ready()`. */
export function afterReady(o: Lib, tf: typeof TF): Mistake[] {
  const momentum = () => o.optimizer(o.cleanGrad, o.sgd(0.1, { momentum: 0.9 }));
  return [
    // Unknown option keys, with the closest known one named.
    { name: "rwp({ sgima })", error: 'HyperparameterError', message: /rwp: .*unknown option 'sgima'; did you mean 'sigma'\?/s, run: () => o.rwp({ sgima: 0.05 } as never) },
    { name: 'sgd(0.1, { momentom })', error: 'HyperparameterError', message: /sgd: .*unknown option 'momentom'; did you mean 'momentum'\?/s, run: () => o.sgd(0.1, { momentom: 0.9 } as never) },
    { name: 'sgd: unknown key collected with the other problems', error: 'HyperparameterError', message: /learningRate must be ≥ 0, got -1.*unknown option 'nesterof'; did you mean 'nesterov'\?/s, run: () => o.sgd(-1, { nesterof: true } as never) },
    { name: 'adam(0.1, { beta1 })', error: 'HyperparameterError', message: /unknown option 'beta1'; the known ones are 'b1', 'b2', 'eps'/, run: () => o.adam(0.1, { beta1: 0.9 } as never) },
    { name: 'filterNoise(0.01, { axes })', error: 'HyperparameterError', message: /unknown option 'axes'; did you mean 'axis'\?/, run: () => o.filterNoise(0.01, { axes: -1 } as never) },
    { name: 'sam({ rh })', error: 'HyperparameterError', message: /unknown option 'rh'; did you mean 'rho'\?/, run: () => o.sam({ rh: 0.05 } as never) },
    { name: 'mix(…, { batches })', error: 'HyperparameterError', message: /unknown option 'batches'; did you mean 'batch'\?/, run: () => o.mix(o.cleanGrad, o.rwp(), 0.5, { batches: 'split' } as never) },
    { name: 'train(…, { epoch })', error: 'HyperparameterError', message: /train: .*unknown option 'epoch'; did you mean 'epochs'\?/s, run: using(o, tf, ({ params, batch, loss }) => o.train(momentum(), loss, params, [batch], { epoch: 3 } as never)) },
    { name: 'asTfOptimizer(opt, { seed })', error: 'HyperparameterError', message: /unknown option 'seed'/, run: () => o.asTfOptimizer(momentum(), { seed: 1 } as never) },
    // arwp without its schedule length.
    { name: 'arwp()', error: 'HyperparameterError', message: /arwp: .*steps .* is required/s, run: () => (o.arwp as () => unknown)() },
    { name: 'arwp({})', error: 'HyperparameterError', message: /arwp: .*steps .* is required/s, run: () => o.arwp({}) },
    { name: 'clipByGlobalNorm(0)', error: 'HyperparameterError', message: /maxNorm must be > 0 \(0 would zero every update\), got 0/, run: () => o.clipByGlobalNorm(0) },
    // Disposed tensors.
    { name: 'a disposed state', error: 'StateError', message: /the state does not fit.*state\.transform.* is a disposed tensor/s, run: using(o, tf, ({ params, batch, loss }) => {
      const opt = momentum();
      const s = opt.init(params);
      o.disposeTree(s);
      return o.step(opt, loss, params, batch, s);
    }) },
    { name: 'a disposed batch', error: 'BatchError', message: /batch\['x'\] is a disposed tensor/, run: using(o, tf, ({ params, batch, loss }) => {
      const opt = momentum();
      const s = opt.init(params);
      const dead = { x: tf.ones([16, 3]), y: tf.zeros([16, 1]) };
      dead.x.dispose();
      try {
        return o.step(opt, loss, params, dead, s);
      } finally {
        o.disposeTree([dead, s, batch]);
      }
    }) },
    { name: 'a loss that returns a disposed tensor', error: 'LossError', message: /returned a disposed tensor/, run: using(o, tf, ({ params, batch, loss }) => {
      const opt = momentum();
      const s = opt.init(params);
      try {
        return o.step(opt, (p, b) => { const l = loss(p, b); l.dispose(); return l; }, params, batch, s);
      } finally {
        o.disposeTree(s);
      }
    }) },
    // A loss that reads a name the params do not have (a typo: p.W for p.w).
    { name: 'a loss reading a parameter that is not there', error: 'LossError', message: /loss\(params, batch\) failed: .*must be a Tensor or TensorLike.* does it read a name that is not there\? params has 'w', 'b'; batch has 'x', 'y'/, run: using(o, tf, ({ params, batch }) => {
      const opt = momentum();
      const s = opt.init(params);
      try {
        return o.step(opt, (p, b) => tf.mean(tf.matMul(b['x'] as TF.Tensor2D, p['W'] as TF.Tensor2D)) as TF.Scalar, params, batch, s);
      } finally {
        o.disposeTree(s);
      }
    }) },
    // One batch where an iterable of batches was expected.
    { name: 'train(opt, loss, params, batch)', error: 'BatchError', message: /data must be an iterable of batches .* got a single batch; wrap it in an array: \[batch\]/, run: using(o, tf, ({ params, batch, loss }) => o.train(momentum(), loss, params, batch as never)) },
    // x and y of different lengths.
    { name: 'x and y of different lengths', error: 'BatchError', message: /different numbers of examples \(first axis\): x: 16, y: 12/, run: using(o, tf, ({ params, loss }) => {
      const bad = { x: tf.ones([16, 3]), y: tf.zeros([12, 1]) };
      const opt = momentum();
      const s = opt.init(params);
      try {
        return o.step(opt, loss, params, bad, s);
      } finally {
        o.disposeTree([bad, s]);
      }
    }) },
    { name: 'a 1-row y (would broadcast silently)', error: 'BatchError', message: /different numbers of examples \(first axis\): x: 16, y: 1/, run: using(o, tf, ({ params, loss }) => {
      const bad = [{ x: tf.ones([16, 3]), y: tf.zeros([1, 1]) }];
      return o.train(momentum(), loss, params, bad).finally(() => o.disposeTree(bad));
    }) },
    // State checks, before any gradient: the loss would fail on p.b first.
    { name: 'a parameter in the state but not in the params', error: 'StateError', message: /state\.transform\/\d+\/momentum\/b is a state for a parameter 'b' that the params do not have/, run: using(o, tf, ({ params, batch, loss }) => {
      const opt = momentum();
      const s = opt.init(params);
      try {
        return o.step(opt, loss, { w: params.w }, batch, s);
      } finally {
        o.disposeTree(s);
      }
    }) },
    { name: "plain sgd given adam's state", error: 'StateError', message: /the state does not fit this optimizer.*is not part of this optimizer's state \(is it another rule's state\?\)/s, run: using(o, tf, ({ params, batch, loss }) => {
      const s = o.optimizer(o.cleanGrad, o.adam(0.01)).init(params);
      try {
        return o.step(o.optimizer(o.cleanGrad, o.sgd(0.1)), loss, params, batch, s);
      } finally {
        o.disposeTree(s);
      }
    }) },
    // A non-finite loss value whose gradient is finite.
    { name: 'a NaN loss with a finite gradient', error: 'NonFiniteError', message: /the loss is NaN at step 0 \(the gradient is finite\); wrap the transform in applyIfFinite/, run: using(o, tf, ({ params, batch }) => {
      const opt = momentum();
      const s = opt.init(params);
      try {
        return o.step(opt, (p) => tf.add(tf.sum(p['w'] as TF.Tensor), NaN) as TF.Scalar, params, batch, s);
      } finally {
        o.disposeTree(s);
      }
    }) },
    // A checkpoint whose manifest was edited.
    { name: 'an edited checkpoint manifest (state.count)', error: 'CheckpointError', message: /checksum .* the manifest was edited or is corrupt/, run: using(o, tf, ({ params }) => {
      const opt = momentum();
      const s = opt.init(params);
      const { manifest, weights } = o.serialize({ params, state: s, opt });
      o.disposeTree(s);
      const edited = JSON.parse(JSON.stringify(manifest)) as { state: { count: number } };
      edited.state.count = 7;
      return o.deserialize(edited, weights);
    }) },
  ];
}
