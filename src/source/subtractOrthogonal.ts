import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from '../schedule.js';
import { globalNorm, type Tree } from '../tree.js';
import { all, hyper, orThrow, rules } from '../validate.js';
import { defineSource } from './define.js';
import { checkSource } from './mix.js';
import type { ResolvedSource, SourceNode } from './node.js';
import type { GradientSource } from './types.js';

/** a − α·b⊥, b⊥ the part of b orthogonal to a: a nonlinear combination of two branch gradients (GSAM's). */
export interface SubtractOrthogonal extends SourceNode {
  readonly kind: 'subtractOrthogonal';
  /** a, the source whose gradient g_a is kept (GSAM: SAM's ∇L(w+ε)). */
  readonly a: GradientSource;
  /** b, the source whose gradient's part orthogonal to g_a is subtracted (GSAM: the clean ∇L(w)). */
  readonly b: GradientSource;
  /** α ≥ 0 (number or schedule). */
  readonly alpha: Hyper;
}

interface Resolved extends ResolvedSource {
  readonly a: ResolvedSource;
  readonly b: ResolvedSource;
  readonly alpha: number;
}

const dot = (x: Tree, y: Tree): tf.Scalar => tf.addN(Object.keys(x).map((n) => tf.sum(tf.mul(x[n] as tf.Tensor, y[n] as tf.Tensor)))) as tf.Scalar;

/**
 * orthogonalPart(b, a) = b − cos(a, b)·‖b‖·a/(‖a‖ + 1e-12), cos(a, b) = ⟨a, b⟩/(‖a‖‖b‖ + 1e-12): the component of b
 * orthogonal to a, with the guards of the GSAM authors' code (juntang-zhuang/GSAM `gradient_decompose`).
 */
export function orthogonalPart(b: Tree, a: Tree): Tree {
  const [na, nb] = [globalNorm(a), globalNorm(b)];
  const cos = tf.div(dot(a, b), tf.add(tf.mul(na, nb), 1e-12));
  const c = tf.div(tf.mul(cos, nb), tf.add(na, 1e-12));
  return Object.fromEntries(Object.keys(b).map((n) => [n, tf.sub(b[n] as tf.Tensor, tf.mul(a[n] as tf.Tensor, c))]));
}

defineSource<SubtractOrthogonal, Resolved>({
  kind: 'subtractOrthogonal',
  sources: ['a', 'b'],
  make: (f) => subtractOrthogonal(f['a'] as GradientSource, f['b'] as GradientSource, f['alpha'] as Hyper),
  resolve: (node, r) => ({ a: r.source('a'), b: r.source('b'), alpha: r.hyper('subtractOrthogonal', 'α (alpha)', node.alpha, rules.nonNegative) }),
  evaluate: (node, params, batch, ctx) => {
    const ea = ctx.evaluate(node.a, params, batch);
    const eb = ctx.evaluate(node.b, params, batch);
    const perp = orthogonalPart(eb.grads, ea.grads);
    const grads = Object.fromEntries(Object.keys(ea.grads).map((n) => [n, tf.sub(ea.grads[n] as tf.Tensor, tf.mul(perp[n] as tf.Tensor, node.alpha))]));
    const pick = ea.at === 'w' || eb.at !== 'w' ? ea : eb;
    return { grads, loss: pick.loss, at: pick.at, state: { ...ea.state, ...eb.state }, gradEvals: ea.gradEvals + eb.gradEvals };
  },
  describe: (node, d) => `${d.source(node.a)} − ${d.hyper(node.alpha, 'α')}·(${d.source(node.b)})⊥`,
  cost: (node, c) => {
    const [a, b] = [c.source(node.a), c.source(node.b)];
    return { clean: new Set([...a.clean, ...b.clean]), other: a.other + b.other, depth: Math.max(a.depth, b.depth) };
  },
});

/**
 * subtractOrthogonal(a, b, α): g = g_a − α·g_b⊥, g_b⊥ = g_b − (⟨g_a, g_b⟩/‖g_a‖²)·g_a the part of b's gradient orthogonal
 * to a's — GSAM's surrogate-gap step when a = SAM's gradient and b = the clean one (Zhuang et al. 2022). Both branches on
 * the same batch; a clean gradient they share is taken once.
 */
export function subtractOrthogonal(a: GradientSource, b: GradientSource, alpha: Hyper): SubtractOrthogonal {
  orThrow(all({ a: checkSource('a', a), b: checkSource('b', b), alpha: hyper('α (alpha)', alpha, rules.nonNegative) }), 'subtractOrthogonal');
  return Object.freeze({ kind: 'subtractOrthogonal', a, b, alpha });
}
