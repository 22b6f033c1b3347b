import { adaptiveFilterNoise, type AdaptiveFilterNoiseOptions } from '../perturbation/adaptiveFilterNoise.js';
import { adversarial } from '../perturbation/adversarial.js';
import { filterNoise, type FilterOptions } from '../perturbation/filterNoise.js';
import { cosineIncrease, isSchedule, type Hyper } from '../schedule.js';
import { alias } from './alias.js';
import { HyperparameterError } from '../errors.js';
import { checkKeys } from '../validate.js';
import { cleanGrad, mix, perturbedGrad } from './constructors.js';
import type { BatchMode, Mix, PerturbedGrad } from './types.js';

/** Options of `rwp` and `mRwp`: σ (noise, default 0.01), λ (mix weight, default 0.5), the batch arrangement, and filter options. */
export interface RwpOptions extends FilterOptions {
  /** σ, the noise scale relative to each filter's norm (number or schedule); default 0.01. Alias `σ`. */
  readonly sigma?: Hyper;
  /** Alias of `sigma`. */
  readonly σ?: Hyper;
  /** λ, the weight of the perturbed gradient in the mix; default 0.5. Alias `λ`. */
  readonly lambda?: Hyper;
  /** Alias of `lambda`. */
  readonly λ?: Hyper;
  /** `'same'` (default): both gradients on the whole batch; `'split'`: each on its own half (m-RWP). */
  readonly batch?: BatchMode;
}

/**
 * rwp({ σ = 0.01, λ = 0.5, batch = 'same' }) = mix(cleanGrad, perturbedGrad(filterNoise(σ)), λ): random weight perturbation,
 * g = (1 − λ)·∇L(w) + λ·∇L(w + ε) (Li et al. 2022, arXiv 2211.11489; defaults γ = 0.01, α = 0.5 from nblt/RWP).
 */
export function rwp(options: RwpOptions = {}): Mix {
  checkKeys('rwp', options, ['sigma', 'σ', 'lambda', 'λ', 'batch', 'axis', 'mask', 'draw']);
  const sigma = alias<Hyper>('rwp', options, 'sigma', 'σ', 0.01);
  const lambda = alias<Hyper>('rwp', options, 'lambda', 'λ', 0.5);
  const { axis, mask, draw } = options;
  return mix(cleanGrad, perturbedGrad(filterNoise(sigma, { ...(axis === undefined ? {} : { axis }), ...(mask === undefined ? {} : { mask }), ...(draw === undefined ? {} : { draw }) })), lambda, { batch: options.batch ?? 'same' });
}

/**
 * mRwp({ σ = 0.01, λ = 0.5 }): m-RWP, RWP with each gradient on its own half of the batch, as the authors' two-GPU code
 * gives each rank its own minibatch (Li et al. 2024, "Revisiting Random Weight Perturbation"; nblt/mARWP).
 */
export function mRwp(options: Omit<RwpOptions, 'batch'> = {}): Mix {
  checkKeys('mRwp', options, ['sigma', 'σ', 'lambda', 'λ', 'axis', 'mask', 'draw']);
  return rwp({ ...options, batch: 'split' });
}

/** Options of `arwp` and `mArwp`. */
export interface ArwpOptions extends AdaptiveFilterNoiseOptions {
  /** CosineInc's inc: σ rises from σ to σ·(1 + inc) over `steps` (arwp only); default 15. */
  readonly inc?: number;
  /** Total training steps T of the CosineInc schedule (arwp, when σ is a number and inc > 0). */
  readonly steps?: number;
  /** `mArwp`'s mix weight λ, default 0.5 (`arwp`, the perturbed gradient only, refuses it). Alias `λ`. */
  readonly lambda?: Hyper;
  /** Alias of `lambda`. */
  readonly λ?: Hyper;
}

const adaptive = (where: string, o: ArwpOptions, sigma: Hyper) =>
  adaptiveFilterNoise({
    sigma,
    eta: alias<Hyper>(where, o, 'eta', 'η', 1),
    beta: alias<Hyper>(where, o, 'beta', 'β', 0.9),
    ...(o.axis === undefined ? {} : { axis: o.axis }),
    ...(o.mask === undefined ? {} : { mask: o.mask }),
    ...(o.draw === undefined ? {} : { draw: o.draw }),
  });

/**
 * arwp({ σ = 0.01, inc = 15, steps, η = 1, β = 0.9 }) = perturbedGrad(adaptiveFilterNoise({ σ: cosineIncrease(σ, inc, steps), η, β })):
 * adaptive RWP at 1× cost, the perturbed gradient only (Li et al. 2024; defaults from nblt/mARWP).
 */
export function arwp(options: ArwpOptions = {}): PerturbedGrad {
  if ('lambda' in options || 'λ' in options) throw new HyperparameterError('arwp', ['λ (lambda) is not an option of arwp, which uses the perturbed gradient only; mArwp mixes it with the clean one'], 'options');
  checkKeys('arwp', options, ['sigma', 'σ', 'eta', 'η', 'beta', 'β', 'inc', 'steps', 'axis', 'mask', 'draw']);
  const sigma = alias<Hyper>('arwp', options, 'sigma', 'σ', 0.01);
  const inc = options.inc ?? 15;
  let s: Hyper = sigma;
  if (!isSchedule(sigma) && inc !== 0) {
    if (options.steps === undefined) throw new HyperparameterError('arwp', ['steps (T of the CosineInc noise schedule, the total number of training steps) is required, e.g. arwp({ steps: 1000 }); or pass inc: 0 or a schedule as σ']);
    s = cosineIncrease(sigma, inc, options.steps);
  }
  return perturbedGrad(adaptive('arwp', options, s));
}

/**
 * mArwp({ σ = 0.01, λ = 0.5, η = 1, β = 0.9 }) = mix(cleanGrad, perturbedGrad(adaptiveFilterNoise({ σ, η, β })), λ, { batch: 'split' }):
 * m-ARWP, a clean gradient and an adaptive-noise gradient on separate batches (Li et al. 2024; nblt/mARWP).
 */
export function mArwp(options: Omit<ArwpOptions, 'inc' | 'steps'> = {}): Mix {
  checkKeys('mArwp', options, ['sigma', 'σ', 'lambda', 'λ', 'eta', 'η', 'beta', 'β', 'axis', 'mask', 'draw']);
  const sigma = alias<Hyper>('mArwp', options, 'sigma', 'σ', 0.01);
  const lambda = alias<Hyper>('mArwp', options, 'lambda', 'λ', 0.5);
  return mix(cleanGrad, perturbedGrad(adaptive('mArwp', options, sigma)), lambda, { batch: 'split' });
}

/** sam({ ρ = 0.05 }) = perturbedGrad(adversarial(ρ)): sharpness-aware minimization, ∇L(w + ρ·g/‖g‖) (Foret et al. 2021; default from davda54/sam). */
export function sam(options: { readonly rho?: Hyper; readonly ρ?: Hyper } = {}): PerturbedGrad {
  checkKeys('sam', options, ['rho', 'ρ']);
  return perturbedGrad(adversarial(alias<Hyper>('sam', options, 'rho', 'ρ', 0.05)));
}

/** asam({ ρ = 0.5, η = 0.01 }) = perturbedGrad(adversarial(ρ, { adaptive: true, η })): adaptive SAM (Kwon et al. 2021; defaults from SamsungLabs/ASAM). */
export function asam(options: { readonly rho?: Hyper; readonly ρ?: Hyper; readonly eta?: number; readonly η?: number } = {}): PerturbedGrad {
  checkKeys('asam', options, ['rho', 'ρ', 'eta', 'η']);
  return perturbedGrad(adversarial(alias<Hyper>('asam', options, 'rho', 'ρ', 0.5), { adaptive: true, eta: alias<number>('asam', options, 'eta', 'η', 0.01) }));
}

