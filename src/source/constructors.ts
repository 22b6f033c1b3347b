import type { Hyper } from '../schedule.js';
import { all, hyper, knownKeys, ok, orThrow, problem, rules, type Validation } from '../validate.js';
import type { BatchMode, CleanGrad, GradientSource, Mix, Perturbation, PerturbedGrad } from './types.js';

const SOURCES = new Set(['clean', 'perturbed', 'mix']);
const PERTURBATIONS = new Set(['filterNoise', 'adaptiveFilterNoise', 'adversarial']);

const isSource = (x: unknown): x is GradientSource => typeof x === 'object' && x !== null && SOURCES.has((x as { kind?: string }).kind ?? '');
const checkSource = (name: string, x: unknown): Validation<GradientSource> =>
  isSource(x) ? ok(x) : problem(`${name} must be a gradient source (cleanGrad, perturbedGrad(…), mix(…)), got ${JSON.stringify(x)}`);

/** cleanGrad: ∇L(w; B), the gradient at the current weights. */
export const cleanGrad: CleanGrad = Object.freeze({ kind: 'clean' });

/** perturbedGrad(p): ∇L(w + ε; B), with ε drawn by the perturbation p (filterNoise, adaptiveFilterNoise, adversarial). */
export function perturbedGrad(perturbation: Perturbation): PerturbedGrad {
  if (typeof perturbation !== 'object' || perturbation === null || !PERTURBATIONS.has((perturbation as { kind?: string }).kind ?? '')) {
    throw new TypeError(`perturbedGrad: perturbation must be filterNoise(…), adaptiveFilterNoise(…) or adversarial(…), got ${JSON.stringify(perturbation)}`);
  }
  return Object.freeze({ kind: 'perturbed', perturbation });
}

/** mix(a, b, λ = 0.5, { batch = 'same' }): (1 − λ)·a + λ·b; with batch 'split' a sees the first half of B and b the second. */
export function mix(a: GradientSource, b: GradientSource, lambda: Hyper = 0.5, options: { readonly batch?: BatchMode } = {}): Mix {
  const batch = options.batch ?? 'same';
  orThrow(
    all({
      options: knownKeys(options, ['batch']),
      a: checkSource('a', a),
      b: checkSource('b', b),
      lambda: hyper('λ (lambda)', lambda, rules.unit),
      batch: batch === 'same' || batch === 'split' ? ok(batch) : problem(`batch must be 'same' or 'split', got ${JSON.stringify(batch)}`),
    }),
    'mix',
  );
  return Object.freeze({ kind: 'mix', a, b, lambda, batch });
}
