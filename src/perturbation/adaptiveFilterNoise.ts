import * as tf from '@tensorflow/tfjs-core';
import type { Key } from '../random.js';
import type { Hyper } from '../schedule.js';
import { alias } from '../source/alias.js';
import { definePerturbation } from '../source/define.js';
import type { ResolvedPerturbation } from '../source/node.js';
import type { AdaptiveFilterNoise, LeafMask } from '../source/types.js';
import { reductionAxes, type Tree } from '../tree.js';
import { all, hyper, orThrow, rules } from '../validate.js';
import { checkAxis, checkDraw, filterStd, standardNormal, type FilterOptions } from './filterNoise.js';
import { drawNormals, type Normals } from './normals.js';

/** Options of `adaptiveFilterNoise`; ASCII or Greek names. Defaults σ = 0.01, η = 1, β = 0.9 (Li et al. 2024, nblt/mARWP). */
export interface AdaptiveFilterNoiseOptions extends FilterOptions {
  /** σ, the base noise scale relative to each filter's norm; default 0.01. Alias `σ`. */
  readonly sigma?: Hyper;
  /** Alias of `sigma`. */
  readonly σ?: Hyper;
  /** η, how strongly the accumulated squared gradient F shrinks the noise; default 1. Alias `η`. */
  readonly eta?: Hyper;
  /** Alias of `eta`. */
  readonly η?: Hyper;
  /** β, the decay of F ← β·F + g²; default 0.9. Alias `β`. */
  readonly beta?: Hyper;
  /** Alias of `beta`. */
  readonly β?: Hyper;
}

/**
 * adaptiveFilterNoise({ σ = 0.01, η = 1, β = 0.9 }): ARWP's noise, ε_i ~ N(0, (σ·‖W_i‖)²) / √(1 + η·Σ_j F_ij), with
 * F ← β·F + g² accumulating the squared perturbed gradient (no 1 − β factor, as the authors' code); rank-1 leaves
 * divide elementwise (Li et al. 2024, "Revisiting Random Weight Perturbation").
 */
export function adaptiveFilterNoise(options: AdaptiveFilterNoiseOptions = {}): AdaptiveFilterNoise {
  const sigma = alias<Hyper>('adaptiveFilterNoise', options, 'sigma', 'σ', 0.01);
  const eta = alias<Hyper>('adaptiveFilterNoise', options, 'eta', 'η', 1);
  const beta = alias<Hyper>('adaptiveFilterNoise', options, 'beta', 'β', 0.9);
  orThrow(
    all({ sigma: hyper('σ (sigma)', sigma, rules.nonNegative), eta: hyper('η (eta)', eta, rules.nonNegative), beta: hyper('β (beta)', beta, rules.unitOpen) }),
    'adaptiveFilterNoise',
  );
  checkAxis('adaptiveFilterNoise', options.axis);
  checkDraw('adaptiveFilterNoise', options.draw);
  return Object.freeze({ kind: 'adaptiveFilterNoise', sigma, eta, beta, axis: options.axis ?? -1, draw: options.draw ?? 0, ...(options.mask === undefined ? {} : { mask: options.mask }) });
}

/** sampleAdaptiveFilterNoise: ε_i = N(0,1)·σ‖W_i‖ / √(1 + η·Σ_j F_ij) for the leaves in `names` (F summed over each filter; elementwise for rank ≤ 1). */
export function sampleAdaptiveFilterNoise(params: Tree, F: Tree, p: { sigma: number; eta: number; axis: number; names: readonly string[] }, k: Key, normals: Normals = drawNormals): Tree {
  const eps: Record<string, tf.Tensor> = {};
  for (const name of p.names) {
    const w = params[name] as tf.Tensor;
    const f = F[name] as tf.Tensor;
    eps[name] = tf.tidy(() => {
      const fSum = w.rank >= 2 ? tf.sum(f, reductionAxes(w, p.axis), true) : f;
      const scale = tf.div(filterStd(w, p.sigma, p.axis), tf.sqrt(tf.add(tf.mul(fSum, p.eta), 1)));
      return tf.mul(standardNormal(w, k, name, normals), scale);
    });
  }
  return eps;
}

/** accumulateSquares: F ← β·F + g² on the leaves in `names` (the others keep F). */
export function accumulateSquares(F: Tree, grads: Tree, beta: number, names: readonly string[]): Tree {
  const out: Record<string, tf.Tensor> = { ...F };
  for (const name of names) out[name] = tf.tidy(() => tf.add(tf.mul(F[name] as tf.Tensor, beta), tf.square(grads[name] as tf.Tensor)));
  return out;
}

/** AdaptiveFilterNoise at one step. */
export interface ResolvedAdaptiveFilterNoise extends ResolvedPerturbation {
  readonly kind: 'adaptiveFilterNoise';
  readonly sigma: number;
  readonly eta: number;
  readonly beta: number;
  readonly axis: number;
  readonly names: readonly string[];
  readonly draw: number;
}

definePerturbation<AdaptiveFilterNoise, ResolvedAdaptiveFilterNoise>({
  kind: 'adaptiveFilterNoise',
  stateful: true,
  make: (f) =>
    adaptiveFilterNoise({ sigma: f['sigma'] as Hyper, eta: f['eta'] as Hyper, beta: f['beta'] as Hyper, axis: f['axis'] as number, draw: (f['draw'] as number | undefined) ?? 0, ...(f['mask'] === undefined ? {} : { mask: f['mask'] as LeafMask }) }),
  resolve: (p, r) => ({
    sigma: r.hyper('adaptiveFilterNoise', 'σ (sigma)', p.sigma, rules.nonNegative),
    eta: r.hyper('adaptiveFilterNoise', 'η (eta)', p.eta, rules.nonNegative),
    beta: r.hyper('adaptiveFilterNoise', 'β (beta)', p.beta, rules.unitOpen),
    axis: p.axis,
    names: r.names(p.mask),
    draw: p.draw,
  }),
  describe: (p, d) => `${d.eps}_i ~ N(0,(${d.hyper(p.sigma, 'σ')}·‖w_i‖)²/(1 + ${d.hyper(p.eta, 'η')}·Σ_j F_ij)), F ← ${d.hyper(p.beta, 'β')}·F + ∇L(${d.point})²`,
  sample: (p, s) => sampleAdaptiveFilterNoise(s.params, s.state as Tree, p, s.key, s.normals),
  update: (p, F, grads) => accumulateSquares(F, grads, p.beta, p.names),
  draws: (p) => p.names,
});
