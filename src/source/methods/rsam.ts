import { adversarial } from '../../perturbation/adversarial.js';
import { filterNoise } from '../../perturbation/filterNoise.js';
import { nested } from '../../perturbation/nested.js';
import type { Hyper } from '../../schedule.js';
import { all, hyper, knownKeys, orThrow, rules } from '../../validate.js';
import { alias } from '../alias.js';
import { perturbedGrad } from '../perturbed.js';
import type { PerturbedGrad } from '../types.js';

/** Options of `rsam`. */
export interface RsamOptions {
  /** ρ, the ascent radius; default 0.05 (SAM's). Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, the ascent radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** σ, the smoothing noise relative to each filter's norm; default 0.01 (RWP's). Alias `σ`. */
  readonly sigma?: Hyper;
  /** Alias of `sigma` (σ, the relative smoothing noise); giving both with different values is an error. */
  readonly σ?: Hyper;
}

/**
 * rsam({ ρ = 0.05, σ = 0.01 }) = perturbedGrad(nested(filterNoise(σ), adversarial(ρ))): random-smoothing SAM — the ascent
 * taken on the smoothed weights, g = ∇L(w + δ + ε), δ_i ~ N(0, (σ‖w_i‖)²), ε = ρ·∇L(w+δ)/‖∇L(w+δ)‖ (Liu et al. 2022,
 * "Random Sharpness-Aware Minimization", NeurIPS). Two gradients, one after the other.
 */
export function rsam(options: RsamOptions = {}): PerturbedGrad {
  const rho = alias<Hyper>('rsam', options, 'rho', 'ρ', 0.05);
  const sigma = alias<Hyper>('rsam', options, 'sigma', 'σ', 0.01);
  orThrow(all({ options: knownKeys(options, ['rho', 'ρ', 'sigma', 'σ']), rho: hyper('ρ (rho)', rho, rules.nonNegative), sigma: hyper('σ (sigma)', sigma, rules.nonNegative) }), 'rsam');
  return perturbedGrad(nested(filterNoise(sigma), adversarial(rho)));
}
