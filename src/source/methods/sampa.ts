import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from '../../schedule.js';
import { globalNorm, type Tree } from '../../tree.js';
import { all, checkKeys, hyper, orThrow, rules } from '../../validate.js';
import { alias } from '../alias.js';
import { defineSource } from '../define.js';
import { combine } from '../mix.js';
import type { Evaluation, ResolvedSource, SourceNode } from '../node.js';

/** SAMPa: a gradient source with state g_y = ∇L(y_t), the gradient at the previous step's lookahead point. */
export interface Sampa extends SourceNode {
  readonly kind: 'sampa';
  /** ρ, the radius of the ascent step. */
  readonly rho: Hyper;
  /** λ, the weight of the lookahead gradient ∇L(y_{t+1}). */
  readonly lambda: Hyper;
  /** η, the learning rate of the update rule (y_{t+1} = w − η·g_y): give the transform's. */
  readonly lr: Hyper;
}

/** One of SAMPa's two points, resolved: the ascent x̃ = w + ρ·g_y/‖g_y‖, or the lookahead y = w − η·g_y (g_y read at `of`). */
interface SampaPoint extends ResolvedSource {
  readonly role: 'ascent' | 'lookahead';
  /** ρ (ascent) or η (lookahead) at this step. */
  readonly size: number;
  /** The SAMPa node's path, where g_y is stored. */
  readonly of: string;
}

interface ResolvedSampa extends ResolvedSource {
  readonly rho: number;
  readonly lambda: number;
  readonly lr: number;
  readonly ascent: SampaPoint;
  readonly lookahead: SampaPoint;
}

const step = (w: Tree, d: Tree, c: tf.Scalar | number): Tree => Object.fromEntries(Object.entries(w).map(([n, x]) => [n, tf.add(x, tf.mul(d[n] as tf.Tensor, c))]));

// The points are their own kind, so that an interpreter can evaluate them apart (SAMPa's two gradients are independent).
defineSource<SourceNode, SampaPoint>({
  kind: 'sampa.point',
  make: (f) => Object.freeze({ kind: 'sampa.point', ...f }),
  evaluate: (node, params, batch, ctx) => {
    const gy = ctx.state[node.of];
    if (gy === undefined) throw new Error(`internal: no SAMPa state at ${node.of}`);
    const point = node.role === 'ascent' ? step(params, gy, tf.div(node.size, tf.add(globalNorm(gy), 1e-12)) as tf.Scalar) : step(params, gy, -node.size);
    const { value, grads } = ctx.gradient(point, batch);
    return { grads, loss: value, at: 'w+ε', state: node.role === 'lookahead' ? { [node.of]: grads } : {}, gradEvals: 1 };
  },
  describe: (node) => `∇L(${(node as unknown as SampaPoint).role === 'ascent' ? 'x̃' : 'y'})`,
  cost: () => ({ clean: new Set(), other: 1, depth: 1 }),
});

const checks = (rho: unknown, lambda: unknown, lr: unknown) =>
  all({ rho: hyper('ρ (rho)', rho, rules.nonNegative), lambda: hyper('λ (lambda)', lambda, rules.unit), lr: hyper('η (lr)', lr, rules.nonNegative) });

defineSource<Sampa, ResolvedSampa>({
  kind: 'sampa',
  stateful: true,
  sources: ['ascent', 'lookahead'],
  make: (f) => sampa({ rho: f['rho'] as Hyper, lambda: f['lambda'] as Hyper, lr: f['lr'] as Hyper }),
  resolve: (node, r) => {
    const path = r.path;
    const rho = r.hyper('sampa', 'ρ (rho)', node.rho, rules.nonNegative);
    const lr = r.hyper('sampa', 'η (lr)', node.lr, rules.nonNegative);
    const point = (role: 'ascent' | 'lookahead', size: number): SampaPoint => ({ kind: 'sampa.point', path: `${path}.${role}`, role, size, of: path });
    return { rho, lambda: r.hyper('sampa', 'λ (lambda)', node.lambda, rules.unit), lr, ascent: point('ascent', rho), lookahead: point('lookahead', lr) };
  },
  evaluate: (node, params, batch, ctx) => combine(node.lambda, ctx.evaluate(node.ascent, params, batch), ctx.evaluate(node.lookahead, params, batch)),
  branches: (node, batch) => ({ parts: [{ node: node.ascent, batch }, { node: node.lookahead, batch }], made: [], join: ([a, b]) => combine(node.lambda, a as Evaluation, b as Evaluation) }),
  describe: (node, d) => {
    const [r, l, e] = [d.hyper(node.rho, 'ρ'), d.hyper(node.lambda, 'λ'), d.hyper(node.lr, 'η')];
    const weights = typeof node.lambda === 'number' ? [d.num(1 - node.lambda), l] : [`(1−${l})`, l];
    d.define(`x̃ = w + ${r}·g_y/‖g_y‖, y = w − ${e}·g_y, g_y ← ∇L(y) (the previous step's)`);
    return `${weights[0]}·∇L(x̃${d.batch}) + ${weights[1]}·∇L(y${d.batch})`;
  },
  cost: () => ({ clean: new Set(), other: 2, depth: 1 }),
});

/** Options of `sampa`. */
export interface SampaOptions {
  /** ρ, the ascent radius; default 0.1 (LIONS-EPFL/SAMPa's `--rho`). Alias `ρ`. */
  readonly rho?: Hyper;
  /** Alias of `rho` (ρ, the ascent radius); giving both with different values is an error. */
  readonly ρ?: Hyper;
  /** λ, the weight of ∇L(y_{t+1}); default 0.2 (the authors' `--og`). Alias `λ`. */
  readonly lambda?: Hyper;
  /** Alias of `lambda` (λ, the weight of ∇L(y_{t+1})); giving both with different values is an error. */
  readonly λ?: Hyper;
  /** η, the learning rate of the transform (required: y_{t+1} = w_t − η·g_y is SGD's step from w_t). Alias `η`. */
  readonly lr?: Hyper;
  /** Alias of `lr` (η, the learning rate); giving both with different values is an error. */
  readonly η?: Hyper;
}

/**
 * sampa({ ρ = 0.1, λ = 0.2, lr }): SAMPa, SAM with its two gradients independent, so an interpreter runs them at once —
 * g = (1 − λ)·∇L(x̃_t) + λ·∇L(y_{t+1}), x̃_t = w_t + ρ·g_y/‖g_y‖, y_{t+1} = w_t − η·g_y, then g_y ← ∇L(y_{t+1});
 * g_y = 0 at first, as the authors' code (Xie et al. 2024, "SAMPa: Sharpness-aware Minimization Parallelized"; LIONS-EPFL/SAMPa).
 */
export function sampa(options: SampaOptions): Sampa {
  checkKeys('sampa', options, ['rho', 'ρ', 'lambda', 'λ', 'lr', 'η']);
  const rho = alias<Hyper>('sampa', options, 'rho', 'ρ', 0.1);
  const lambda = alias<Hyper>('sampa', options, 'lambda', 'λ', 0.2);
  const lr = alias<Hyper | undefined>('sampa', options, 'lr', 'η', undefined);
  if (lr === undefined) throw new RangeError('sampa: lr (η, the learning rate of the update rule: y = w − η·g_y) is required; pass the transform\'s learning rate');
  orThrow(checks(rho, lambda, lr), 'sampa');
  return Object.freeze({ kind: 'sampa', rho, lambda, lr });
}
