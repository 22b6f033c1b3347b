import * as tf from '@tensorflow/tfjs-core';
import type { Key } from '../random.js';
import type { Hyper } from '../schedule.js';
import { definePerturbation } from '../source/define.js';
import type { ResolvedPerturbation } from '../source/node.js';
import type { FilterNoise, LeafMask } from '../source/types.js';
import { filterNorms, type Tree } from '../tree.js';
import { hyper, orThrow, rules } from '../validate.js';
import { drawNormals, normalSeed, type Normals } from './normals.js';

/** Options shared by the filter-noise perturbations. */
export interface FilterOptions {
  /** The filter (output) axis; default −1, the last axis, as tfjs lays out `[in, out]` and `[kh, kw, in, out]`. */
  readonly axis?: number;
  /** Perturb only these leaves (a name predicate or list); default all, as the authors' code. */
  readonly mask?: LeafMask;
  /**
   * Which independent draw, default 0. Noise is a pure function of (key, step, perturbation): two equal perturbations
   * draw equal noise — so mix(a, a, λ) = a exactly — unless their `draw` differs, e.g. to average two noise samples.
   */
  readonly draw?: number;
}

/** filterNoise(σ = 0.01, { axis = −1, mask }): RWP's noise, ε_i ~ N(0, (σ·‖W_i‖)²) per output filter i; rank-1 leaves std σ·(‖p‖ + 1e-16) (Li et al. 2022). */
export function filterNoise(sigma: Hyper = 0.01, options: FilterOptions = {}): FilterNoise {
  orThrow(hyper('σ (sigma)', sigma, rules.nonNegative), 'filterNoise');
  checkAxis('filterNoise', options.axis);
  checkDraw('filterNoise', options.draw);
  return Object.freeze({ kind: 'filterNoise', sigma, axis: options.axis ?? -1, draw: options.draw ?? 0, ...(options.mask === undefined ? {} : { mask: options.mask }) });
}

/** checkDraw: the draw index must be a non-negative integer. */
export function checkDraw(where: string, draw: number | undefined): void {
  if (draw !== undefined && !(Number.isInteger(draw) && draw >= 0)) throw new TypeError(`${where}: draw must be an integer ≥ 0, got ${String(draw)}`);
}

/** checkAxis: the filter axis must be an integer. */
export function checkAxis(where: string, axis: number | undefined): void {
  if (axis !== undefined && !Number.isInteger(axis)) throw new TypeError(`${where}: axis must be an integer, got ${String(axis)}`);
}

/**
 * filterStd(w, σ, axis) = σ·‖W_i‖ per filter (broadcastable against w) for rank ≥ 2, σ·(‖w‖ + 1e-16) for rank ≤ 1.
 * The noise scale of RWP, shared with ARWP.
 */
export function filterStd(w: tf.Tensor, sigma: number, axis: number): tf.Tensor {
  return tf.tidy(() => (w.rank >= 2 ? tf.mul(filterNorms(w, axis), sigma) : tf.mul(tf.add(filterNorms(w, axis), 1e-16), sigma)));
}

/** standardNormal(w, k, name, normals = drawNormals): N(0, 1) noise shaped like w, seeded by normalSeed(k, name). */
export function standardNormal(w: tf.Tensor, k: Key, name: string, normals: Normals = drawNormals): tf.Tensor {
  return normals(normalSeed(k, name), w.shape);
}

/** sampleFilterNoise: ε for the leaves in `names` (others get none), std σ‖W_i‖ per filter; normals from `normals`. */
export function sampleFilterNoise(params: Tree, sigma: number, axis: number, names: readonly string[], k: Key, normals: Normals = drawNormals): Tree {
  const eps: Record<string, tf.Tensor> = {};
  for (const name of names) {
    const w = params[name] as tf.Tensor;
    eps[name] = tf.tidy(() => tf.mul(standardNormal(w, k, name, normals), filterStd(w, sigma, axis)));
  }
  return eps;
}

definePerturbation<FilterNoise, ResolvedFilterNoise>({
  kind: 'filterNoise',
  make: (f) => filterNoise(f['sigma'] as Hyper, { axis: f['axis'] as number, draw: (f['draw'] as number | undefined) ?? 0, ...(f['mask'] === undefined ? {} : { mask: f['mask'] as LeafMask }) }),
  resolve: (p, r) => ({ sigma: r.hyper('filterNoise', 'σ (sigma)', p.sigma, rules.nonNegative), axis: p.axis, names: r.names(p.mask), draw: p.draw }),
  describe: (p, d) => `${d.eps}_i ~ N(0,(${d.hyper(p.sigma, 'σ')}·‖w_i‖)²)`,
  sample: (p, s) => sampleFilterNoise(s.params, p.sigma, p.axis, p.names, s.key, s.normals),
  draws: (p) => p.names,
});

/** FilterNoise at one step. */
export interface ResolvedFilterNoise extends ResolvedPerturbation {
  readonly kind: 'filterNoise';
  readonly sigma: number;
  readonly axis: number;
  readonly names: readonly string[];
  readonly draw: number;
}
