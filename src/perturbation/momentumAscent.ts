import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from '../schedule.js';
import { definePerturbation } from '../source/define.js';
import type { ResolvedPerturbation, SourceNode } from '../source/node.js';
import { globalNorm, type Tree } from '../tree.js';
import { all, hyper, orThrow, rules } from '../validate.js';

/** MSAM's ε = −ρ·v/(‖v‖ + 1e-12), v ← μ·v + g the momentum of the perturbed gradients (v = 0 at first: no shift). */
export interface MomentumAscent extends SourceNode {
  readonly kind: 'momentumAscent';
  /** ρ ≥ 0, the length of the shift ε = −ρ·v/‖v‖ (number or schedule). */
  readonly rho: Hyper;
  /** μ ∈ [0, 1), the momentum of v ← μ·v + ∇L(w + ε) (number or schedule). */
  readonly mu: Hyper;
}

interface Resolved extends ResolvedPerturbation {
  readonly rho: number;
  readonly mu: number;
}

definePerturbation<MomentumAscent, Resolved>({
  kind: 'momentumAscent',
  stateful: true,
  make: (f) => momentumAscent(f['rho'] as Hyper, f['mu'] as Hyper),
  resolve: (p, r) => ({ rho: r.hyper('momentumAscent', 'ρ (rho)', p.rho, rules.nonNegative), mu: r.hyper('momentumAscent', 'μ (momentum)', p.mu, rules.unitOpen) }),
  describe: (p, d) => `${d.eps} = −${d.hyper(p.rho, 'ρ')}·v/‖v‖, v ← ${d.hyper(p.mu, 'μ')}·v + ∇L(${d.point})`,
  sample: (p, s) => {
    const v = s.state as Tree;
    const c = tf.div(-p.rho, tf.add(globalNorm(v), 1e-12));
    return Object.fromEntries(Object.entries(v).map(([n, x]) => [n, tf.mul(x, c)]));
  },
  update: (p, v, grads) => Object.fromEntries(Object.entries(v).map(([n, x]) => [n, tf.add(tf.mul(x, p.mu), grads[n] as tf.Tensor)])),
});

/**
 * momentumAscent(ρ, μ): ε = −ρ·v/(‖v‖ + 1e-12), v ← μ·v + ∇L(w + ε) — the perturbation along the momentum of momentum-SAM,
 * no gradient of its own (Becker et al. 2024, "Momentum-SAM: Sharpness Aware Minimization without Computational Overhead").
 */
export function momentumAscent(rho: Hyper, mu: Hyper): MomentumAscent {
  orThrow(all({ rho: hyper('ρ (rho)', rho, rules.nonNegative), mu: hyper('μ (momentum)', mu, rules.unitOpen) }), 'momentumAscent');
  return Object.freeze({ kind: 'momentumAscent', rho, mu });
}
