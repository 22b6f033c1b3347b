import * as tf from '@tensorflow/tfjs-core';
import { splitBatchN } from '../batch.js';
import { HyperparameterError } from '../errors.js';
import type { Batch } from '../model.js';
import { defineSource } from './define.js';
import { checkSource } from './mix.js';
import type { Evaluation, NodeCost, ResolvedSource, SourceNode } from './node.js';
import type { GradientSource } from './types.js';
import { isStateless } from './walk.js';

/** (1/n)·Σ_k s(B_k): a source evaluated on each of n micro-batches, averaged (m-sharpness: one ε per micro-batch). */
export interface MicroBatches extends SourceNode {
  readonly kind: 'microBatches';
  /** s, the source evaluated on each micro-batch B_k. */
  readonly of: GradientSource;
  /** n, the number of micro-batches. */
  readonly n: number;
}

interface Resolved extends ResolvedSource {
  readonly of: ResolvedSource;
  readonly n: number;
}

/** average(evals): the mean of n evaluations' gradients and losses (summed in order, then scaled by 1/n). */
function average(evals: readonly Evaluation[]): Evaluation {
  const first = evals[0] as Evaluation;
  const k = 1 / evals.length;
  const grads = Object.fromEntries(Object.keys(first.grads).map((name) => [name, tf.mul(tf.addN(evals.map((e) => e.grads[name] as tf.Tensor)), k)]));
  const loss = tf.mul(tf.addN(evals.map((e) => e.loss)), k) as tf.Scalar;
  return { grads, loss, at: first.at, state: {}, gradEvals: evals.reduce((s, e) => s + e.gradEvals, 0) };
}

const parts = (node: Resolved, batch: Batch) => splitBatchN(batch, node.n).map((b) => ({ node: node.of, batch: b }));

defineSource<MicroBatches, Resolved>({
  kind: 'microBatches',
  sources: ['of'],
  make: (f) => microBatches(f['of'] as GradientSource, f['n'] as number),
  resolve: (node, r) => ({ of: r.source('of'), n: node.n }),
  evaluate: (node, params, batch, ctx) => average(parts(node, batch).map((p) => ctx.evaluate(p.node, params, p.batch))),
  branches: (node, batch) => {
    const ps = parts(node, batch);
    return { parts: ps, made: ps.flatMap((p) => Object.values(p.batch)), join: average };
  },
  describe: (node, d) => `(1/${node.n})·Σ_k ${d.source(node.of, `; B_k`)}, B = B₁ ∪ … ∪ B_${node.n}`,
  cost: (node, c) => {
    const each: NodeCost[] = Array.from({ length: node.n }, (_, k) => c.source(node.of, `${c.batch}.${k}`));
    return { clean: new Set(each.flatMap((e) => [...e.clean])), other: each.reduce((s, e) => s + e.other, 0), depth: Math.max(...each.map((e) => e.depth)) };
  },
});

/**
 * microBatches(s, n): g = (1/n)·Σ_k s(B_k), s evaluated on each of n consecutive micro-batches B_k of the batch (sizes
 * within one of each other); the parts are independent (the parallel interpreter spreads them). s must keep no state.
 */
export function microBatches(of: GradientSource, n: number): MicroBatches {
  const problems: string[] = [];
  const src = checkSource('of', of);
  if (src._tag === 'Left') problems.push(...src.left);
  else if (!isStateless(of)) problems.push('of must keep no state across steps (each micro-batch would share it)');
  if (!(Number.isInteger(n) && n >= 1)) problems.push(`n (the number of micro-batches) must be an integer ≥ 1, got ${String(n)}`);
  if (problems.length > 0) throw new HyperparameterError('microBatches', problems);
  return Object.freeze({ kind: 'microBatches', of, n });
}
