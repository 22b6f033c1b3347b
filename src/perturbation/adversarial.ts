import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from '../schedule.js';
import { definePerturbation } from '../source/define.js';
import type { ResolvedPerturbation } from '../source/node.js';
import type { Adversarial, LeafMask } from '../source/types.js';
import { globalNorm, type Tree } from '../tree.js';
import { all, bool, hyper, num, orThrow, rules } from '../validate.js';

/** Options of `adversarial`. */
export interface AdversarialOptions {
  /** ASAM: scale by T = |w| + η (Kwon et al. 2021). Default false (SAM). */
  readonly adaptive?: boolean;
  /** ASAM's η; default 0.01. */
  readonly eta?: number;
  /** Alias of `eta`. */
  readonly η?: number;
  /** ASAM: leaves that get T = |w| + η; default rank ≥ 2 (weights), others T = 1, as the authors' code. */
  readonly adaptiveMask?: LeafMask;
  /** Perturb only these leaves; default all. */
  readonly mask?: LeafMask;
}

/**
 * adversarial(ρ = 0.05): SAM's ε = ρ·g/(‖g‖ + 1e-12), g = ∇L(w; B), ‖·‖ the global L2 norm (Foret et al. 2021).
 * With { adaptive: true, η = 0.01 }: ASAM's ε = ρ·T²⊙g/(‖T⊙g‖ + 1e-12), T = |w| + η (Kwon et al. 2021).
 */
export function adversarial(rho: Hyper = 0.05, options: AdversarialOptions = {}): Adversarial {
  const eta = options.eta ?? options.η ?? 0.01;
  if (options.eta !== undefined && options.η !== undefined && options.eta !== options.η) {
    throw new TypeError(`adversarial: both 'eta' and 'η' are given, with different values; give one`);
  }
  const adaptive = options.adaptive ?? false;
  orThrow(all({ rho: hyper('ρ (rho)', rho, rules.nonNegative), eta: num('η (eta)', eta, rules.nonNegative), adaptive: bool('adaptive', adaptive) }), 'adversarial');
  return Object.freeze({
    kind: 'adversarial',
    rho,
    adaptive,
    eta,
    ...(options.adaptiveMask === undefined ? {} : { adaptiveMask: options.adaptiveMask }),
    ...(options.mask === undefined ? {} : { mask: options.mask }),
  });
}

/** sampleAdversarial: ε from the clean gradient g (SAM, or ASAM when adaptive), restricted to `names`. */
export function sampleAdversarial(
  params: Tree,
  grads: Tree,
  p: { rho: number; adaptive: boolean; eta: number; names: readonly string[]; adaptiveNames: readonly string[] },
): Tree {
  return tf.tidy(() => {
    const T: Record<string, tf.Tensor | null> = {};
    for (const n of p.names) T[n] = p.adaptive && p.adaptiveNames.includes(n) ? tf.add(tf.abs(params[n] as tf.Tensor), p.eta) : null;
    const tg: Record<string, tf.Tensor> = {};
    for (const n of p.names) tg[n] = T[n] ? tf.mul(T[n] as tf.Tensor, grads[n] as tf.Tensor) : (grads[n] as tf.Tensor);
    const scale = tf.div(p.rho, tf.add(globalNorm(tg), 1e-12));
    const eps: Record<string, tf.Tensor> = {};
    for (const n of p.names) eps[n] = tf.mul(T[n] ? tf.mul(T[n] as tf.Tensor, tg[n] as tf.Tensor) : (tg[n] as tf.Tensor), scale);
    return eps;
  });
}

/** Adversarial at one step. */
export interface ResolvedAdversarial extends ResolvedPerturbation {
  readonly kind: 'adversarial';
  readonly rho: number;
  readonly adaptive: boolean;
  readonly eta: number;
  readonly names: readonly string[];
  readonly adaptiveNames: readonly string[];
}

definePerturbation<Adversarial, ResolvedAdversarial>({
  kind: 'adversarial',
  make: (f) =>
    adversarial(f['rho'] as Hyper, {
      adaptive: f['adaptive'] as boolean,
      eta: f['eta'] as number,
      ...(f['adaptiveMask'] === undefined ? {} : { adaptiveMask: f['adaptiveMask'] as LeafMask }),
      ...(f['mask'] === undefined ? {} : { mask: f['mask'] as LeafMask }),
    }),
  resolve: (p, r) => {
    const names = r.names(p.mask);
    const adaptiveNames = p.adaptive ? r.names(p.adaptiveMask ?? ((_n: string, x: { rank: number }) => x.rank >= 2)).filter((n) => names.includes(n)) : [];
    return { rho: r.hyper('adversarial', 'ρ (rho)', p.rho, rules.nonNegative), adaptive: p.adaptive, eta: p.eta, names, adaptiveNames };
  },
  describe: (p, d) => {
    const r = d.hyper(p.rho, 'ρ');
    const g = `∇L(${d.from})`;
    return p.adaptive ? `${d.eps} = ${r}·T²${g}/‖T${g}‖, T = |w| + ${d.num(p.eta)}` : `${d.eps} = ${r}·${g}/‖${g}‖`;
  },
  sample: (p, s) => sampleAdversarial(s.params, s.gradient(), p),
  cost: () => ({ gradients: 1, depth: 1, clean: true }),
});
