import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { foldName, key as rootKey, type Key } from '../random.js';
import { disposeTree, globalNorm, type Params } from '../tree.js';
import { checkFinite, checkInteger, checkKey, checkParams, scalarOf, valueAndGradTree, evalLossAt } from './common.js';
import { normalTensor } from '../normalTensor.js';

/** Options of `samSharpness`. */
export interface SamSharpnessOptions {
  /** Radius ρ ≥ 0 of the L2 ball (global norm over all leaves). */
  readonly rho: number;
  /** Number of projected ascent steps after the first SAM step; default 5 (0 gives SAM's one-step estimate). */
  readonly steps?: number;
  /** Length of each (normalized) ascent step; default 2ρ. Must be > 0. */
  readonly stepSize?: number;
  /** Key for the random start used only when ∇L(w) = 0 (or is not finite); default key(0). */
  readonly key?: Key;
}

/** What `samSharpness` returns. */
export interface SamSharpnessResult {
  /** max over the iterates of L(w + ε_t) − L(w): a lower bound on the true max over the ball. */
  readonly sharpness: number;
  /** L(w). */
  readonly loss: number;
  /** L(w) + sharpness, the largest perturbed loss found. */
  readonly perturbedLoss: number;
  /** L(w + ε_t) − L(w) for each iterate t = 0 … steps (t = 0 is SAM's ε = ρ·g/‖g‖). */
  readonly history: number[];
}

/**
 * samSharpness(loss, params, batch, { rho, steps = 5, stepSize = 2ρ, key = key(0) }) ≈ max_{‖ε‖₂≤ρ} L(w + ε) − L(w), SAM's sharpness (Foret et al. 2021, "Sharpness-Aware Minimization"), by projected normalized gradient ascent.
 *
 * Approximation: ε₀ = ρ·g/‖g‖ with g = ∇L(w) (SAM's one-step solution; a random direction of norm ρ if
 * g = 0), then `steps` times ε ← Π_ρ(ε + stepSize·∇L(w+ε)/‖∇L(w+ε)‖), Π_ρ the projection on the ball
 * ‖ε‖ ≤ ρ (global L2 norm over all leaves). The largest L(w + ε_t) − L(w) seen is returned, so the
 * result is a lower bound on the true maximum that can only grow with `steps`. With a step of 2ρ the
 * iteration is a damped form of the fixed point ε = ρ·∇L(w+ε)/‖∇L(w+ε)‖ (the maximizer's KKT condition
 * on the sphere); for a convex loss each step does not decrease L, and at w = 0 of a quadratic it is a
 * shifted power iteration converging to ½ρ²λ_max. Cost: steps + 1 gradient evaluations and one loss.
 */
export function samSharpness<B extends Batch>(
  loss: LossFn<B>,
  params: Params,
  batch: B,
  options: SamSharpnessOptions,
): SamSharpnessResult {
  const fn = 'samSharpness';
  checkParams(fn, params);
  const { rho, steps = 5 } = options;
  checkFinite(fn, 'rho', rho, { min: 0 });
  checkInteger(fn, 'steps', steps, 0);
  const stepSize = options.stepSize ?? 2 * rho;
  if (rho > 0) checkFinite(fn, 'stepSize', stepSize, { min: 0, exclusive: true });
  const k = options.key ?? rootKey(0);
  checkKey(fn, 'key', k);

  const names = Object.keys(params);
  const addTree = (eps: Params): Params => {
    const p: Record<string, tf.Tensor> = {};
    for (const n of names) p[n] = tf.add(params[n] as tf.Tensor, eps[n] as tf.Tensor);
    return p;
  };

  // L(w) and g = ∇L(w); ε₀ = ρ·g/‖g‖ (random direction when g vanishes).
  let base = 0;
  let eps: Params = tf.tidy(() => {
    const { value, grads } = valueAndGradTree(loss, params, batch);
    base = scalarOf(value);
    let dir = grads;
    let norm = scalarOf(globalNorm(grads));
    if (!(norm > 1e-12) || !Number.isFinite(norm)) {
      const u: Record<string, tf.Tensor> = {};
      for (const n of names) {
        const w = params[n] as tf.Tensor;
        u[n] = normalTensor(foldName(k, n), w.shape);
      }
      dir = u;
      norm = scalarOf(globalNorm(u));
    }
    const c = rho / norm;
    const e: Record<string, tf.Tensor> = {};
    for (const n of names) e[n] = tf.mul(dir[n] as tf.Tensor, c);
    return e;
  });
  if (rho === 0) {
    disposeTree(eps);
    return { sharpness: 0, loss: base, perturbedLoss: base, history: [0] };
  }

  const history: number[] = [];
  try {
    for (let t = 0; t <= steps; t++) {
      if (t === steps) {
        history.push(evalLossAt(loss, () => addTree(eps), batch) - base);
        break;
      }
      let stop = false;
      const next: Params = tf.tidy(() => {
        const { value, grads } = valueAndGradTree(loss, addTree(eps), batch);
        history.push(scalarOf(value) - base);
        const gn = scalarOf(globalNorm(grads));
        if (!(gn > 0) || !Number.isFinite(gn)) {
          stop = true;
          return {};
        }
        const moved: Record<string, tf.Tensor> = {};
        for (const n of names) moved[n] = tf.add(eps[n] as tf.Tensor, tf.mul(grads[n] as tf.Tensor, stepSize / gn));
        const mn = scalarOf(globalNorm(moved));
        const shrink = mn > rho ? rho / mn : 1;
        const out: Record<string, tf.Tensor> = {};
        for (const n of names) out[n] = tf.mul(moved[n] as tf.Tensor, shrink);
        return out;
      });
      if (stop) break;
      disposeTree(eps);
      eps = next;
    }
  } finally {
    disposeTree(eps);
  }
  const finite = history.filter((h) => !Number.isNaN(h));
  const sharpness = finite.length === 0 ? Number.NaN : Math.max(...finite);
  return { sharpness, loss: base, perturbedLoss: base + sharpness, history };
}
