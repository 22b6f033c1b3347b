import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from '../schedule.js';
import { definePerturbation } from '../source/define.js';
import type { ResolvedPerturbation, SourceNode } from '../source/node.js';
import { globalNorm, type Tree } from '../tree.js';
import { all, hyper, knownKeys, orThrow, rules } from '../validate.js';

/** F-SAM's ε = ρ·d/(‖d‖ + 1e-12), d = g − σ·m, m ← λ·m + (1 − λ)·g a moving average of the clean gradients g. */
export interface FriendlyAdversarial extends SourceNode {
  readonly kind: 'friendlyAdversarial';
  /** ρ ≥ 0, the ascent radius: ε = ρ·d/‖d‖ (number or schedule). */
  readonly rho: Hyper;
  /** σ ≥ 0, the share of the moving average removed: d = g − σ·m (number or schedule; `friendlyAdversarial`'s default 1). */
  readonly sigma: Hyper;
  /** λ ∈ [0, 1), the decay of m ← λ·m + (1 − λ)·g (number or schedule; `friendlyAdversarial`'s default 0.9). */
  readonly lambda: Hyper;
}

interface Resolved extends ResolvedPerturbation {
  readonly rho: number;
  readonly sigma: number;
  readonly lambda: number;
  /** The first step: m is set to g, and d = g (as the authors' code). */
  readonly first: boolean;
}

definePerturbation<FriendlyAdversarial, Resolved>({
  kind: 'friendlyAdversarial',
  stateful: true,
  make: (f) => friendlyAdversarial(f['rho'] as Hyper, { sigma: f['sigma'] as Hyper, lambda: f['lambda'] as Hyper }),
  resolve: (p, r) => ({
    rho: r.hyper('friendlyAdversarial', 'ρ (rho)', p.rho, rules.nonNegative),
    sigma: r.hyper('friendlyAdversarial', 'σ (sigma)', p.sigma, rules.nonNegative),
    lambda: r.hyper('friendlyAdversarial', 'λ (lambda)', p.lambda, rules.unitOpen),
    first: r.step === 0,
  }),
  describe: (p, d) => {
    const g = `∇L(${d.from})`;
    const l = d.hyper(p.lambda, 'λ');
    const rest = typeof p.lambda === 'number' ? d.num(1 - p.lambda) : `(1−${l})`;
    return `${d.eps} = ${d.hyper(p.rho, 'ρ')}·d/‖d‖, d = ${g} − ${d.hyper(p.sigma, 'σ')}·m, m ← ${l}·m + ${rest}·${g}`;
  },
  sample: (p, s) => {
    const g = s.gradient();
    const m = s.state as Tree;
    const dir = p.first ? g : Object.fromEntries(Object.entries(g).map(([n, x]) => [n, tf.sub(x, tf.mul(m[n] as tf.Tensor, p.sigma))]));
    const c = tf.div(p.rho, tf.add(globalNorm(dir), 1e-12));
    return Object.fromEntries(Object.entries(dir).map(([n, x]) => [n, tf.mul(x, c)]));
  },
  update: (p, m, _grads, _at, g) =>
    p.first ? Object.fromEntries(Object.entries(g as Tree).map(([n, x]) => [n, tf.clone(x)])) : Object.fromEntries(Object.entries(m).map(([n, x]) => [n, tf.add(tf.mul(x, p.lambda), tf.mul((g as Tree)[n] as tf.Tensor, 1 - p.lambda))])),
  cost: () => ({ gradients: 1, depth: 1, clean: true }),
});

/**
 * friendlyAdversarial(ρ, { σ = 1, λ = 0.9 }): F-SAM's ascent along the gradient's noise, ε = ρ·d/(‖d‖ + 1e-12),
 * d = g − σ·m, m ← λ·m + (1 − λ)·g with g = ∇L(w) (m = g and d = g at the first step) (Li et al. 2024, CVPR; nblt/F-SAM).
 */
export function friendlyAdversarial(rho: Hyper, options: { readonly sigma?: Hyper; readonly lambda?: Hyper } = {}): FriendlyAdversarial {
  const sigma = options.sigma ?? 1;
  const lambda = options.lambda ?? 0.9;
  orThrow(all({ options: knownKeys(options, ['sigma', 'lambda']), rho: hyper('ρ (rho)', rho, rules.nonNegative), sigma: hyper('σ (sigma)', sigma, rules.nonNegative), lambda: hyper('λ (lambda)', lambda, rules.unitOpen) }), 'friendlyAdversarial');
  return Object.freeze({ kind: 'friendlyAdversarial', rho, sigma, lambda });
}
