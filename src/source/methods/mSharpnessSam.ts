import { adversarial } from '../../perturbation/adversarial.js';
import type { Hyper } from '../../schedule.js';
import { HyperparameterError } from '../../errors.js';
import { alias } from '../alias.js';
import { microBatches, type MicroBatches } from '../microBatches.js';
import { perturbedGrad } from '../perturbed.js';
import { hyper, keyProblems, rules } from '../../validate.js';

/** Options of `mSharpnessSam`. */
export interface MSharpnessSamOptions {
  /** ρ, the ascent radius; default 0.05. Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, the ascent radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** n, how many micro-batches the batch is cut into, each with its own ε (the paper's m is the batch size / n). Required. */
  readonly microBatches: number;
}

/**
 * mSharpnessSam({ ρ = 0.05, microBatches: n }) = microBatches(sam(ρ), n): SAM with one ascent per micro-batch of m = |B|/n
 * examples, g = (1/n)·Σ_k ∇L(w + ε_k; B_k), ε_k = ρ·∇L(w; B_k)/‖∇L(w; B_k)‖ — the m-sharpness of Foret et al. 2021 (§4.1),
 * which data-parallel SAM computes per accelerator. The n parts are independent (parallel spreads them).
 */
export function mSharpnessSam(options: MSharpnessSamOptions): MicroBatches {
  const rho = alias<Hyper>('mSharpnessSam', options, 'rho', 'ρ', 0.05);
  const n = options?.microBatches;
  const problems: string[] = keyProblems(options, ['rho', 'ρ', 'microBatches']);
  const r = hyper('ρ (rho)', rho, rules.nonNegative);
  if (r._tag === 'Left') problems.push(...r.left);
  if (!(Number.isInteger(n) && n >= 1)) problems.push(`microBatches (n, the number of micro-batches) must be an integer ≥ 1, got ${String(n)}`);
  if (problems.length > 0) throw new HyperparameterError('mSharpnessSam', problems);
  return microBatches(perturbedGrad(adversarial(rho)), n);
}
