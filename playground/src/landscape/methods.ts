// The pieces of the landscapes view's optimizers, from optimix's real constructors: the noise (the playground's
// isotropic one or RWP's filter noise), the user's own gradient source and update rule, and the methods' names.
import { adam, adversarial, cleanGrad, filterNoise, lion, mix, nested, perturbedGrad, sgd, type GradientSource, type Perturbation } from 'optimix';
import { isotropicNoise } from './isotropic.ts';
import { presetSource, type PresetId } from './presets.ts';

/** The source kinds the composer offers. */
export type SourceKind = 'clean' | 'noise' | 'adversarial' | 'mix' | 'nested' | 'nested-ascent-first' | 'mix-nested';
/** Which noise the composer's noisy sources use. */
export type NoiseKind = 'isotropic' | 'filter';
/** The update rules the composer offers. */
export type RuleKind = 'sgd' | 'adam' | 'lion';

/** The composer's settings (the "own" optimizer), or a preset. */
export interface OwnSettings {
  readonly source: SourceKind | `preset:${PresetId}`;
  readonly noise: NoiseKind;
  readonly sigma: number;
  readonly rho: number;
  readonly lambda: number;
  readonly rule: RuleKind;
  readonly lr: number;
  readonly momentum: number;
}

/** The shared settings of the three fixed optimizers. */
export interface BaseSettings {
  readonly lr: number;
  readonly momentum: number;
  readonly rho: number;
  readonly sigma: number;
  readonly lambda: number;
  readonly steps: number;
}

/** noise(kind, σ): the isotropic N(0, σ²I) or RWP's filter noise (std σ·‖w‖ for a 2-vector). */
export const noise = (kind: NoiseKind, sigma: number): Perturbation => (kind === 'isotropic' ? isotropicNoise({ sigma }) : filterNoise(sigma));

/** ownSource(o, steps): the gradient source the composer describes. */
export function ownSource(o: OwnSettings, steps: number): GradientSource {
  if (o.source.startsWith('preset:')) return presetSource(o.source.slice(7) as PresetId, { rho: o.rho, sigma: o.sigma, lambda: o.lambda, lr: o.lr, steps });
  switch (o.source as SourceKind) {
    case 'clean':
      return cleanGrad;
    case 'noise':
      return perturbedGrad(noise(o.noise, o.sigma));
    case 'adversarial':
      return perturbedGrad(adversarial(o.rho));
    case 'mix':
      return mix(cleanGrad, perturbedGrad(noise(o.noise, o.sigma)), o.lambda);
    case 'nested':
      return perturbedGrad(nested(noise(o.noise, o.sigma), adversarial(o.rho)));
    case 'nested-ascent-first':
      return perturbedGrad(nested(adversarial(o.rho), noise(o.noise, o.sigma)));
    case 'mix-nested':
      return mix(cleanGrad, perturbedGrad(nested(noise(o.noise, o.sigma), adversarial(o.rho))), o.lambda);
  }
}

/** rule(kind, lr, momentum): sgd(lr, { momentum }), adam(lr) or lion(lr). */
export function rule(kind: RuleKind, lr: number, momentum: number) {
  if (kind === 'adam') return adam(lr);
  if (kind === 'lion') return lion(lr);
  return sgd(lr, momentum > 0 ? { momentum } : {});
}

/** The four optimizers, by the name of their line on the plot. */
export type Method = 'sgd' | 'sam' | 'rwp' | 'own';
export const METHODS: readonly Method[] = ['sgd', 'sam', 'rwp', 'own'];
export const LABELS: Readonly<Record<Method, string>> = { sgd: 'SGD', sam: 'SAM', rwp: 'RWP', own: 'Your own' };

/** The composer's source settings a source uses (the others are greyed out). */
export type SourceKnob = 'noise' | 'sigma' | 'rho' | 'lambda';

/** knobs(source): which of noise kind, σ, ρ and λ a source kind or preset reads. */
export function knobs(source: OwnSettings['source']): readonly SourceKnob[] {
  const byKind: Record<string, readonly SourceKnob[]> = {
    clean: [],
    noise: ['noise', 'sigma'],
    adversarial: ['rho'],
    mix: ['noise', 'sigma', 'lambda'],
    nested: ['noise', 'sigma', 'rho'],
    'nested-ascent-first': ['noise', 'sigma', 'rho'],
    'mix-nested': ['noise', 'sigma', 'rho', 'lambda'],
    'preset:sgd': [],
    'preset:rsam': ['sigma', 'rho'],
    'preset:rwp': ['sigma', 'lambda'],
    'preset:m-rwp': ['sigma', 'lambda'],
    'preset:m-arwp': ['sigma', 'lambda'],
    'preset:arwp': ['sigma'],
  };
  return byKind[source] ?? ['rho'];
}
