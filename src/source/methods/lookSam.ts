import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from '../../schedule.js';
import { globalNorm, type Tree } from '../../tree.js';
import { all, hyper, knownKeys, num, orThrow, rules } from '../../validate.js';
import { alias } from '../alias.js';
import { defineSource } from '../define.js';
import type { ResolvedSource, SourceNode } from '../node.js';
import { perturb } from '../perturbed.js';
import { orthogonalPart } from '../subtractOrthogonal.js';

/** LookSAM: a full SAM step every k steps, storing g_v; in between the clean gradient plus α·(‖g‖/‖g_v‖)·g_v. */
export interface LookSam extends SourceNode {
  readonly kind: 'lookSam';
  /** ρ ≥ 0, SAM's radius on the full steps: g_s = ∇L(w + ρ·g/‖g‖) (number or schedule). */
  readonly rho: Hyper;
  /** α ≥ 0, the weight of g_v on the other steps: g + α·(‖g‖/‖g_v‖)·g_v (number or schedule). */
  readonly alpha: Hyper;
  /** k, an integer ≥ 1: a full SAM step at steps t ≡ 0 (mod k). */
  readonly k: number;
}

interface Resolved extends ResolvedSource {
  readonly rho: number;
  readonly alpha: number;
  readonly k: number;
  /** This step takes the full SAM gradient (step % k = 0). */
  readonly full: boolean;
}

const scaled = (t: Tree, c: tf.Scalar | number): Tree => Object.fromEntries(Object.entries(t).map(([n, x]) => [n, tf.mul(x, c)]));

defineSource<LookSam, Resolved>({
  kind: 'lookSam',
  stateful: true,
  make: (f) => lookSam({ rho: f['rho'] as Hyper, alpha: f['alpha'] as Hyper, k: f['k'] as number }),
  resolve: (node, r) => ({
    rho: r.hyper('lookSam', 'ρ (rho)', node.rho, rules.nonNegative),
    alpha: r.hyper('lookSam', 'α (alpha)', node.alpha, rules.nonNegative),
    k: node.k,
    full: r.step % node.k === 0,
  }),
  evaluate: (node, params, batch, ctx) => {
    const clean = ctx.clean(params, batch);
    const g = clean.grads;
    if (node.full) {
      const eps = scaled(g, tf.div(node.rho, tf.add(globalNorm(g), 1e-12)) as tf.Scalar);
      const { grads } = ctx.gradient(perturb(params, eps), batch);
      return { grads, loss: clean.loss, at: 'w', state: { [node.path]: orthogonalPart(grads, g) }, gradEvals: clean.gradEvals + 1 };
    }
    const gv = ctx.state[node.path];
    if (gv === undefined) throw new Error(`internal: no LookSAM state at ${node.path}`);
    const c = tf.div(tf.mul(globalNorm(g), node.alpha), tf.add(globalNorm(gv), 1e-12)) as tf.Scalar;
    const grads = Object.fromEntries(Object.entries(g).map(([n, x]) => [n, tf.add(x, tf.mul(gv[n] as tf.Tensor, c))]));
    // g_v carried to the next state as a copy, so that each state owns its tensors (freeing an old state frees nothing of the new).
    const kept = Object.fromEntries(Object.entries(gv).map(([n, x]) => [n, tf.clone(x)]));
    return { grads, loss: clean.loss, at: 'w', state: { [node.path]: kept }, gradEvals: clean.gradEvals };
  },
  describe: (node, d) => {
    const g = `∇L(w${d.batch})`;
    d.define(`every ${node.k} steps g_s = ∇L(w + ${d.hyper(node.rho, 'ρ')}·${g}/‖${g}‖) and g_v ← g_s⊥${g}`);
    return `${g} + ${d.hyper(node.alpha, 'α')}·‖${g}‖·g_v/‖g_v‖ (g_s on the k-th steps)`;
  },
  // The mean per step: the clean gradient every step, the perturbed one every k-th.
  cost: (node, c) => ({ clean: new Set([c.batch]), other: 1 / node.k, depth: 1 + 1 / node.k }),
});

/** Options of `lookSam`. */
export interface LookSamOptions {
  /** ρ, SAM's radius on the full steps; default 0.1. Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, SAM's radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** α, how much of the stored g_v is added in between; default 0.7. Alias `α`. */
  readonly alpha?: Hyper;
  /** Alias of `alpha` (α, the weight of g_v); giving both with different values is an error. */
  readonly α?: Hyper;
  /** k, a full SAM step every k steps (the first is one); default 5. */
  readonly k?: number;
}

/**
 * lookSam({ ρ = 0.1, α = 0.7, k = 5 }): LookSAM — at steps t ≡ 0 (mod k) SAM's g_s = ∇L(w + ρ·g/‖g‖), storing
 * g_v = g_s − (⟨g_s, g⟩/‖g‖²)·g; at the others g + α·(‖g‖/‖g_v‖)·g_v, g = ∇L(w): one gradient on k − 1 of k steps
 * (Liu et al. 2022, "Towards Efficient and Scalable Sharpness-Aware Minimization", CVPR; defaults k = 5, α = 0.7, ρ = 0.1 from
 * the unofficial Leminhbinh0209/LookSAM, no code of the authors' found).
 */
export function lookSam(options: LookSamOptions = {}): LookSam {
  const rho = alias<Hyper>('lookSam', options, 'rho', 'ρ', 0.1);
  const alpha = alias<Hyper>('lookSam', options, 'alpha', 'α', 0.7);
  const k = options.k ?? 5;
  orThrow(all({ options: knownKeys(options, ['rho', 'ρ', 'alpha', 'α', 'k']), rho: hyper('ρ (rho)', rho, rules.nonNegative), alpha: hyper('α (alpha)', alpha, rules.nonNegative), k: num('k (steps between full SAM steps)', k, rules.positiveInteger) }), 'lookSam');
  return Object.freeze({ kind: 'lookSam', rho, alpha, k });
}
