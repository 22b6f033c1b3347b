import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { foldName, type Key } from '../random.js';
import { disposeTree, globalNorm, type Params } from '../tree.js';
import { checkFinite, checkInteger, checkKey, checkParams, numberOf, treeDot } from './common.js';
import { hessianVectorProduct, type HvpOptions } from './hvp.js';
import { normalTensor } from '../normalTensor.js';

/** Options of `topHessianEigenvalue` (and the Hessian-vector product it uses). */
export interface TopHessianEigenvalueOptions extends HvpOptions {
  /** Maximum number of power iterations (Hessian-vector products); default 20. */
  readonly iterations?: number;
  /** Stop when |λ_t − λ_{t−1}| ≤ tol·|λ_t|; default 1e-4. */
  readonly tol?: number;
  /** Key of the random start v₀ ~ N(0, I) (leaf n from `foldName(key, n)`), normalized to ‖v₀‖ = 1. */
  readonly key: Key;
}

/** What `topHessianEigenvalue` returns. */
export interface TopHessianEigenvalueResult {
  /** The last Rayleigh quotient vᵀHv, ‖v‖ = 1: the dominant eigenvalue (largest in magnitude). */
  readonly eigenvalue: number;
  /** Number of Hessian-vector products computed. */
  readonly iterations: number;
  /** Whether the relative change fell below tol before the iteration budget ran out. */
  readonly converged: boolean;
}

/**
 * topHessianEigenvalue(loss, params, batch, { iterations = 20, tol = 1e-4, key }) = λ_max(∇²L(w)) by power iteration v ← Hv/‖Hv‖, λ = vᵀHv (as in PyHessian, Yao et al. 2020; the sharpness of Keskar et al. 2017).
 *
 * Power iteration finds the eigenvalue of largest magnitude: at a minimum (H ⪰ 0) that is λ_max, away
 * from one a large negative eigenvalue can win (the sign of the result tells). Convergence is geometric
 * in |λ₂/λ₁|. Hv comes from {@link hessianVectorProduct} (central finite differences by default; pass
 * `method` / `step` to change), so the result carries its O(h²) and float32 errors (≈ 1e-4 relative).
 */
export function topHessianEigenvalue<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  options: TopHessianEigenvalueOptions,
): TopHessianEigenvalueResult {
  const fn = 'topHessianEigenvalue';
  checkParams(fn, params);
  const { iterations = 20, tol = 1e-4, key: k } = options;
  checkInteger(fn, 'iterations', iterations, 1);
  checkFinite(fn, 'tol', tol, { min: 0 });
  checkKey(fn, 'key', k);
  const hvpOptions: HvpOptions = { method: options.method ?? 'finiteDifference', step: options.step ?? 1e-3 };

  let v: Params = tf.tidy(() => {
    const u: Record<string, tf.Tensor> = {};
    for (const [n, w] of Object.entries(params)) u[n] = normalTensor(foldName(k, n), w.shape);
    const norm = globalNorm(u);
    const out: Record<string, tf.Tensor> = {};
    for (const n of Object.keys(u)) out[n] = tf.div(u[n] as tf.Tensor, norm);
    return out;
  });
  let eigenvalue = Number.NaN;
  let converged = false;
  let done = 0;
  try {
    for (let t = 0; t < iterations; t++) {
      const hv = hessianVectorProduct(loss, params, batch, v, hvpOptions);
      done++;
      let next: Params | undefined;
      try {
        const lambda = treeDot(v, hv);
        const hvNorm = numberOf(() => globalNorm(hv));
        const previous = eigenvalue;
        eigenvalue = lambda;
        if (!Number.isFinite(lambda) || !Number.isFinite(hvNorm)) break;
        if (hvNorm === 0) {
          converged = true; // v is in the null space: Hv = 0, λ = 0 for this direction.
          break;
        }
        if (Math.abs(lambda - previous) <= tol * Math.abs(lambda)) {
          converged = true;
          break;
        }
        next = tf.tidy(() => {
          const out: Record<string, tf.Tensor> = {};
          for (const n of Object.keys(hv)) out[n] = tf.div(hv[n] as tf.Tensor, hvNorm);
          return out;
        });
      } finally {
        disposeTree(hv);
      }
      if (next === undefined) break;
      disposeTree(v);
      v = next;
    }
  } finally {
    disposeTree(v);
  }
  return { eigenvalue, iterations: done, converged };
}
