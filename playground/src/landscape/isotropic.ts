// An isotropic Gaussian perturbation, defined here with optimix's open algebra (definePerturbation), for the 2-D
// surfaces: ε ~ N(0, σ²·I). RWP's own filter noise scales each filter by its norm, and a 2-vector w is one filter, so
// there its std is σ·‖w‖ — larger the farther w is from the origin, an arbitrary point of a toy plane. Here the noise
// should be the same everywhere on the plot, so the playground's RWP uses this one (filter noise stays selectable).
import * as tf from '@tensorflow/tfjs-core';
import { definePerturbation, type ResolvedPerturbation } from 'optimix';

/** The node: ε ~ N(0, σ²·I) on every leaf. */
export interface IsotropicNoise {
  readonly kind: 'playground.isotropicNoise';
  readonly sigma: number;
}
interface Resolved extends ResolvedPerturbation {
  readonly sigma: number;
  readonly names: readonly string[];
}

/** isotropicNoise({ sigma }): ε = σ·z, z ~ N(0, I) (the same std at every point; RWP's noise without the filter norm). */
export const isotropicNoise = definePerturbation<IsotropicNoise, Resolved>({
  kind: 'playground.isotropicNoise',
  module: import.meta.url,
  validate: ({ sigma }) => (typeof sigma === 'number' && Number.isFinite(sigma) && sigma >= 0 ? [] : [`σ (sigma) must be a finite number ≥ 0, got ${String(sigma)}`]),
  describe: (p, d) => `${d.eps} ~ N(0,${d.num(p.sigma)}²·I)`,
  sample: (p, s) => Object.fromEntries(p.names.map((n) => [n, tf.mul(s.normal(n), p.sigma)])),
  draws: (p) => p.names,
  cost: () => ({ gradients: 0, depth: 0, clean: false }),
});
