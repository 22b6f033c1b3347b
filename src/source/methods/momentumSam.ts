import { momentumAscent } from '../../perturbation/momentumAscent.js';
import type { Hyper } from '../../schedule.js';
import { all, hyper, knownKeys, orThrow, rules } from '../../validate.js';
import { alias } from '../alias.js';
import { perturbedGrad } from '../perturbed.js';
import type { PerturbedGrad } from '../types.js';

/** Options of `momentumSam`. */
export interface MomentumSamOptions {
  /** ρ, the radius of the shift along the momentum; default 0.3 (the authors' MSAM class, MarlonBecker/MSAM). Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, the shift radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** μ, the momentum of v ← μ·v + g; give the transform's (default 0.9, as sgd(lr, { momentum: 0.9 })). Alias `μ`. */
  readonly momentum?: Hyper;
  /** Alias of `momentum` (μ, the momentum); giving both with different values is an error. */
  readonly μ?: Hyper;
}

/**
 * momentumSam({ ρ = 0.3, μ = 0.9 }) = perturbedGrad(momentumAscent(ρ, μ)): momentum-SAM, one gradient per step taken at
 * w − ρ·v/‖v‖, v ← μ·v + ∇L(w − ρ·v/‖v‖) the momentum of these gradients — as sgd(lr, { momentum: μ }) keeps it
 * (Becker et al. 2024, "Momentum-SAM: Sharpness Aware Minimization without Computational Overhead"; ρ from the authors' MarlonBecker/MSAM).
 */
export function momentumSam(options: MomentumSamOptions = {}): PerturbedGrad {
  const rho = alias<Hyper>('momentumSam', options, 'rho', 'ρ', 0.3);
  const mu = alias<Hyper>('momentumSam', options, 'momentum', 'μ', 0.9);
  orThrow(all({ options: knownKeys(options, ['rho', 'ρ', 'momentum', 'μ']), rho: hyper('ρ (rho)', rho, rules.nonNegative), mu: hyper('μ (momentum)', mu, rules.unitOpen) }), 'momentumSam');
  return perturbedGrad(momentumAscent(rho, mu));
}
