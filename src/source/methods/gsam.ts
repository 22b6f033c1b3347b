import { adversarial } from '../../perturbation/adversarial.js';
import type { Hyper } from '../../schedule.js';
import { all, hyper, knownKeys, orThrow, rules } from '../../validate.js';
import { alias } from '../alias.js';
import { cleanGrad } from '../clean.js';
import { perturbedGrad } from '../perturbed.js';
import { subtractOrthogonal, type SubtractOrthogonal } from '../subtractOrthogonal.js';

/** Options of `gsam`. */
export interface GsamOptions {
  /** ρ, SAM's radius (a number or a schedule: the paper decays ρ with the learning rate); default 0.05. Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, SAM's radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** α, how much of the clean gradient's part orthogonal to SAM's is subtracted; default 0.2. Alias `α`. */
  readonly alpha?: Hyper;
  /** Alias of `alpha` (α, the weight of the subtracted orthogonal part); giving both with different values is an error. */
  readonly α?: Hyper;
}

/**
 * gsam({ ρ = 0.05, α = 0.2 }) = subtractOrthogonal(sam(ρ), cleanGrad, α): surrogate-gap guided SAM,
 * d = ∇L(w+ε) − α·g⊥, g⊥ the part of ∇L(w) orthogonal to ∇L(w+ε), ε = ρ·∇L(w)/‖∇L(w)‖ (Zhuang et al. 2022, ICLR;
 * α = 0.2 from juntang-zhuang/GSAM's example; ρ = 0.05 SAM's default).
 */
export function gsam(options: GsamOptions = {}): SubtractOrthogonal {
  const rho = alias<Hyper>('gsam', options, 'rho', 'ρ', 0.05);
  const alpha = alias<Hyper>('gsam', options, 'alpha', 'α', 0.2);
  orThrow(all({ options: knownKeys(options, ['rho', 'ρ', 'alpha', 'α']), rho: hyper('ρ (rho)', rho, rules.nonNegative), alpha: hyper('α (alpha)', alpha, rules.nonNegative) }), 'gsam');
  return subtractOrthogonal(perturbedGrad(adversarial(rho)), cleanGrad, alpha);
}
