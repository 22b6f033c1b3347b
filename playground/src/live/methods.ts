// The methods the live view compares, as optimix gradient sources, with their display names and colours (the
// playground's --sgd / --sam / --rwp / --own variables, the same in every view).
import { cleanGrad, mRwp, rwp, sam, type GradientSource } from 'optimix';

/** The methods, in the order they train and are listed. */
export const METHODS = ['sgd', 'sam', 'rwp', 'm-rwp'] as const;
export type Method = (typeof METHODS)[number];

/** Display names. */
export const LABEL: Readonly<Record<Method, string>> = { sgd: 'SGD', sam: 'SAM', rwp: 'RWP', 'm-rwp': 'm-RWP' };

/** Each method's CSS colour variable (m-RWP takes --own: the playground's fourth colour). */
export const COLOUR: Readonly<Record<Method, string>> = { sgd: 'var(--sgd)', sam: 'var(--sam)', rwp: 'var(--rwp)', 'm-rwp': 'var(--own)' };

/** The perturbation sizes a source needs: RWP's and m-RWP's σ (λ = 0.5, the authors'), SAM's ρ. */
export interface Radii {
  readonly sigma: number;
  readonly rho: number;
}

/** sourceOf(method, { sigma, rho }): cleanGrad; sam({ ρ }); rwp({ σ, λ = 0.5 }) (both gradients on the batch); mRwp({ σ }) (each on its own half of a double batch). */
export function sourceOf(m: Method, { sigma, rho }: Radii): GradientSource {
  switch (m) {
    case 'sgd':
      return cleanGrad;
    case 'sam':
      return sam({ ρ: rho });
    case 'rwp':
      return rwp({ σ: sigma });
    case 'm-rwp':
      return mRwp({ σ: sigma });
  }
}

/** m-RWP gives each gradient its own half of a batch twice the size (the authors' two-GPU bookkeeping). */
export const isSplit = (m: Method): boolean => m === 'm-rwp';

/** The methods whose two gradients are independent (a `mix`): the worker interpreter can evaluate them at once. */
export const isMix = (m: Method): boolean => m === 'rwp' || m === 'm-rwp';
