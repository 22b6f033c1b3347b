import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { disposeTree, globalNorm, type Params } from '../tree.js';
import { checkFinite, checkParams, checkSameStructure, gradTree, numberOf } from './common.js';
import { checkKeys } from '../validate.js';

/**
 * How a Hessian-vector product is computed:
 * - `'finiteDifference'` (default): Hv ≈ (∇L(w + h·v) − ∇L(w − h·v)) / (2h), two gradient evaluations.
 * - `'autodiff'`: ∇_w ⟨∇L(w), v⟩ by nesting tf.grads. Exact, but tfjs 4.22 only differentiates a gradient
 *   correctly through ops whose gradient uses their inputs (matMul, add, mul, square, pow, sqrt, relu, sum,
 *   mean, reshape, …). Ops whose gradient uses their saved output (exp, sigmoid, tanh, softmax, log-softmax
 *   cross-entropy) give a silently wrong Hv (that term is dropped), and conv2d / maxPool throw (no gradient
 *   for Conv2DBackpropFilter / MaxPoolGrad). Use it only for losses built from the first kind of ops.
 */
export type HvpMethod = 'finiteDifference' | 'autodiff';

/** Options of `hessianVectorProduct`. */
export interface HvpOptions {
  /** `'finiteDifference'` (default) or `'autodiff'`; see {@link HvpMethod}. */
  readonly method?: HvpMethod;
  /**
   * Relative finite-difference step η; default 1e-3. The step is h = η·max(1, ‖w‖)/‖v‖ (global L2 norms),
   * so the displacement h·v has norm η·max(1, ‖w‖). The error is O(h²·‖∇³L‖) from truncation plus about
   * ε₃₂·‖∇L‖/h from float32 rounding (ε₃₂ ≈ 6e-8): too small an η drowns Hv in rounding noise.
   */
  readonly step?: number;
}

/**
 * hessianVectorProduct(loss, params, batch, v, { method = 'finiteDifference', step = 1e-3 }) = ∇²L(w)·v ≈ (∇L(w + h·v) − ∇L(w − h·v)) / (2h), h = step·max(1, ‖w‖)/‖v‖ (central difference, cf. Pearlmutter 1994 "Fast exact multiplication by the Hessian"; exact `autodiff` variant opt-in).
 *
 * v must have params' leaf names and shapes. Returns a new tree the caller owns (dispose it); a zero v
 * gives zeros. Neither params, batch nor v is modified or disposed.
 */
export function hessianVectorProduct<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  v: Params,
  options: HvpOptions = {},
): Params {
  const fn = 'hessianVectorProduct';
  checkKeys(fn, options, ['method', 'step']);
  checkParams(fn, params);
  checkSameStructure(fn, 'v', params, v);
  const method = options.method ?? 'finiteDifference';
  if (method !== 'finiteDifference' && method !== 'autodiff') {
    throw new RangeError(`${fn}: method must be 'finiteDifference' or 'autodiff', got ${String(method)}`);
  }
  const step = options.step ?? 1e-3;
  checkFinite(fn, 'step', step, { min: 0, exclusive: true });
  const names = Object.keys(params);
  return method === 'autodiff' ? hvpAutodiff(loss, params, batch, v, names) : hvpFiniteDifference(loss, params, batch, v, names, step);
}

function hvpFiniteDifference<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  v: Params,
  names: string[],
  step: number,
): Params {
  const vNorm = numberOf(() => globalNorm(v));
  if (!(vNorm > 0)) {
    if (Number.isNaN(vNorm)) throw new RangeError(`hessianVectorProduct: v contains non-finite values`);
    return tf.tidy(() => {
      const z: Record<string, tf.Tensor> = {};
      for (const n of names) z[n] = tf.zerosLike(params[n] as tf.Tensor);
      return z;
    });
  }
  const wNorm = numberOf(() => globalNorm(params));
  const h = (step * Math.max(1, wNorm)) / vNorm;
  const shifted = (sign: 1 | -1): Params => {
    const p: Record<string, tf.Tensor> = {};
    for (const n of names) p[n] = tf.add(params[n] as tf.Tensor, tf.mul(v[n] as tf.Tensor, sign * h));
    return p;
  };
  const gPlus = tf.tidy(() => gradTree(loss, shifted(1), batch));
  try {
    const gMinus = tf.tidy(() => gradTree(loss, shifted(-1), batch));
    try {
      return tf.tidy(() => {
        const out: Record<string, tf.Tensor> = {};
        for (const n of names) out[n] = tf.div(tf.sub(gPlus[n] as tf.Tensor, gMinus[n] as tf.Tensor), 2 * h);
        return out;
      });
    } finally {
      disposeTree(gMinus);
    }
  } finally {
    disposeTree(gPlus);
  }
}

function hvpAutodiff<B extends Batch>(loss: LossFn<B>, params: Params, batch: B, v: Params, names: string[]): Params {
  return tf.tidy(() => {
    const build = (ts: tf.Tensor[]): Params => {
      const p: Record<string, tf.Tensor> = {};
      names.forEach((n, i) => {
        p[n] = ts[i] as tf.Tensor;
      });
      return p;
    };
    const f = (...ts: tf.Tensor[]): tf.Scalar => loss(build(ts), batch);
    // ⟨∇L(w), v⟩ as a function of w; its gradient is H·v.
    const gDotV = (...ts: tf.Tensor[]): tf.Scalar => {
      const g = tf.grads(f)(ts);
      const parts = g.map((gi, i) => tf.sum(tf.mul(gi, v[names[i] as string] as tf.Tensor)));
      return tf.addN(parts) as tf.Scalar;
    };
    const hv = tf.grads(gDotV)(names.map((n) => params[n] as tf.Tensor));
    return build(hv);
  });
}
