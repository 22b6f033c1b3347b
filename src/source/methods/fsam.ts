import { friendlyAdversarial } from '../../perturbation/friendlyAdversarial.js';
import type { Hyper } from '../../schedule.js';
import { all, hyper, knownKeys, orThrow, rules } from '../../validate.js';
import { alias } from '../alias.js';
import { perturbedGrad } from '../perturbed.js';
import type { PerturbedGrad } from '../types.js';

/** Options of `fsam`. */
export interface FsamOptions {
  /** ρ, the ascent radius; default 0.05 (nblt/F-SAM's FriendlySAM default). Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, the ascent radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** σ, how much of the gradients' moving average is removed; default 1. Alias `σ`. */
  readonly sigma?: Hyper;
  /** Alias of `sigma` (σ, the share of the moving average removed); giving both with different values is an error. */
  readonly σ?: Hyper;
  /** λ, the decay of the moving average m; default 0.9. Alias `λ`. */
  readonly lambda?: Hyper;
  /** Alias of `lambda` (λ, the moving average's decay); giving both with different values is an error. */
  readonly λ?: Hyper;
}

/**
 * fsam({ ρ = 0.05, σ = 1, λ = 0.9 }) = perturbedGrad(friendlyAdversarial(ρ, { σ, λ })): friendly SAM, the ascent along the
 * batch gradient's noise, ∇L(w + ρ·d/‖d‖), d = ∇L(w) − σ·m, m ← λ·m + (1 − λ)·∇L(w) (Li et al. 2024, CVPR; defaults
 * from nblt/F-SAM's FriendlySAM class). Two gradients, one after the other.
 */
export function fsam(options: FsamOptions = {}): PerturbedGrad {
  const rho = alias<Hyper>('fsam', options, 'rho', 'ρ', 0.05);
  const sigma = alias<Hyper>('fsam', options, 'sigma', 'σ', 1);
  const lambda = alias<Hyper>('fsam', options, 'lambda', 'λ', 0.9);
  orThrow(all({ options: knownKeys(options, ['rho', 'ρ', 'sigma', 'σ', 'lambda', 'λ']), rho: hyper('ρ (rho)', rho, rules.nonNegative), sigma: hyper('σ (sigma)', sigma, rules.nonNegative), lambda: hyper('λ (lambda)', lambda, rules.unitOpen) }), 'fsam');
  return perturbedGrad(friendlyAdversarial(rho, { sigma, lambda }));
}
