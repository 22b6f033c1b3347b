import * as tf from '@tensorflow/tfjs-core';
import { splitBatch } from '../batch.js';
import type { Hyper } from '../schedule.js';
import { zipWith } from '../tree.js';
import { all, hyper, ok, orThrow, problem, rules, type Validation } from '../validate.js';
import { defineSource } from './define.js';
import type { Evaluation, ResolvedSource, SourceNode } from './node.js';
import { isSource } from './registries.js';
import type { BatchMode, GradientSource, Mix } from './types.js';
import { isStateless } from './walk.js';

/** checkSource(name, x): x must be a node of a registered source kind. */
export const checkSource = (name: string, x: unknown): Validation<GradientSource> =>
  isSource(x) ? ok(x as GradientSource) : problem(`${name} must be a gradient source (cleanGrad, perturbedGrad(…), mix(…), …), got ${JSON.stringify(x)}`);

/** sameShape(a, b): the two resolved sources are equal but for their node paths (then a same-batch mix of them is one of them). */
export const sameShape = (a: SourceNode, b: SourceNode): boolean => JSON.stringify(a, pathless) === JSON.stringify(b, pathless);
const pathless = (k: string, v: unknown): unknown => (k === 'path' ? undefined : typeof v === 'function' ? ((v as { spec?: unknown }).spec ?? String(v)) : v);

/** combine(λ, a, b): (1 − λ)·a + λ·b of two evaluations, keeping the clean loss if either has one. */
export function combine(lambda: number, ea: Evaluation, eb: Evaluation): Evaluation {
  const grads = zipWith(ea.grads, eb.grads, (ga, gb) => tf.add(tf.mul(ga, 1 - lambda), tf.mul(gb, lambda)));
  const pick = ea.at === 'w' || eb.at !== 'w' ? ea : eb;
  return { grads, loss: pick.loss, at: pick.at, state: { ...ea.state, ...eb.state }, gradEvals: ea.gradEvals + eb.gradEvals };
}

type ResolvedMix = ResolvedSource & { readonly a: ResolvedSource; readonly b: ResolvedSource; readonly lambda: number; readonly batch: BatchMode };

/** One branch stands for both: a same-batch mix of two equal stateless sources is either of them. */
const collapses = (node: { readonly a: SourceNode; readonly b: SourceNode; readonly batch: BatchMode }): boolean => node.batch === 'same' && isStateless(node as unknown as SourceNode) && sameShape(node.a, node.b);

defineSource<Mix, ResolvedMix>({
  kind: 'mix',
  sources: ['a', 'b'],
  make: (f) => mix(f['a'] as GradientSource, f['b'] as GradientSource, f['lambda'] as Hyper, { batch: f['batch'] as BatchMode }),
  resolve: (node, r) => ({ a: r.source('a'), b: r.source('b'), lambda: r.hyper('mix', 'λ (lambda)', node.lambda, rules.unit), batch: node.batch }),
  evaluate: (node, params, batch, ctx) => {
    if (collapses(node)) return ctx.evaluate(node.a, params, batch);
    const [ba, bb] = node.batch === 'split' ? splitBatch(batch) : [batch, batch];
    return combine(node.lambda, ctx.evaluate(node.a, params, ba), ctx.evaluate(node.b, params, bb));
  },
  branches: (node, batch) => {
    if (collapses(node)) return { parts: [{ node: node.a, batch }], made: [], join: ([e]) => e as Evaluation };
    const [ba, bb] = node.batch === 'split' ? splitBatch(batch) : [batch, batch];
    const made: tf.Tensor[] = node.batch === 'split' ? [...Object.values(ba), ...Object.values(bb)] : [];
    return { parts: [{ node: node.a, batch: ba }, { node: node.b, batch: bb }], made, join: ([ea, eb]) => combine(node.lambda, ea as Evaluation, eb as Evaluation) };
  },
  describe: (node, d) => {
    const [ba, bb] = node.batch === 'split' ? d.splitBatch(2) : [d.batch, d.batch];
    const a = d.source(node.a, ba);
    const b = d.source(node.b, bb);
    const lam = typeof node.lambda === 'number' ? null : d.hyper(node.lambda, 'λ');
    const wrap = (t: string, src: GradientSource): string => (src.kind === 'mix' ? `(${t})` : t);
    return lam === null
      ? `${d.num(1 - (node.lambda as number))}·${wrap(a, node.a)} + ${d.num(node.lambda as number)}·${wrap(b, node.b)}`
      : `(1−${lam})·${wrap(a, node.a)} + ${lam}·${wrap(b, node.b)}`;
  },
  cost: (node, c) => {
    if (collapses(node)) return c.source(node.a);
    const [a, b] = node.batch === 'split' ? [c.source(node.a, `${c.batch}.a`), c.source(node.b, `${c.batch}.b`)] : [c.source(node.a), c.source(node.b)];
    return { clean: new Set([...a.clean, ...b.clean]), other: a.other + b.other, depth: Math.max(a.depth, b.depth) };
  },
});

/** mix(a, b, λ = 0.5, { batch = 'same' }): (1 − λ)·a + λ·b; with batch 'split' a sees the first half of B and b the second. */
export function mix(a: GradientSource, b: GradientSource, lambda: Hyper = 0.5, options: { readonly batch?: BatchMode } = {}): Mix {
  const batch = options.batch ?? 'same';
  orThrow(
    all({
      a: checkSource('a', a),
      b: checkSource('b', b),
      lambda: hyper('λ (lambda)', lambda, rules.unit),
      batch: batch === 'same' || batch === 'split' ? ok(batch) : problem(`batch must be 'same' or 'split', got ${JSON.stringify(batch)}`),
    }),
    'mix',
  );
  return Object.freeze({ kind: 'mix', a, b, lambda, batch });
}
