// The one place where the parallel interpreter looks at source kinds: how a source splits into independent leaves,
// what a leaf costs, whether its batch can be sharded, its state after sharding, and which noise it draws next step.
// (A registry of kinds, each giving its children, evaluation and cost model, can replace these walks.)
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../model.js';
import type { Optimizer, OptimizerState } from '../optimizer.js';
import { accumulateSquares } from '../perturbation/adaptiveFilterNoise.js';
import { noiseDraws, type NormalDraw } from '../perturbation/normals.js';
import { fold as foldKey } from '../random.js';
import type { ResolvedSource } from '../source/resolved.js';
import { isStateless, resolve } from '../source/resolve.js';
import type { Tree } from '../tree.js';
import { sameShape, type SourceState } from './evaluate.js';
import { splitBatch } from './splitBatch.js';

/** The independent pieces of a source: leaves (evaluated anywhere) joined by mixes (combined on the main thread). */
export type Plan = { readonly kind: 'leaf'; readonly node: ResolvedSource; readonly batch: Batch } | { readonly kind: 'mix'; readonly lambda: number; readonly a: Plan; readonly b: Plan };

export type Leaf = Extract<Plan, { kind: 'leaf' }>;

/** plan(node, batch): split a source at its mixes, as `evaluate` would walk it (same batch halves, same shortcut). */
export function plan(node: ResolvedSource, batch: Batch, made: tf.Tensor[]): Plan {
  if (node.kind !== 'mix') return { kind: 'leaf', node, batch };
  if (node.batch === 'same' && isStateless(node) && sameShape(node.a, node.b)) return plan(node.a, batch, made);
  let [ba, bb] = [batch, batch];
  if (node.batch === 'split') {
    [ba, bb] = splitBatch(batch);
    made.push(...Object.values(ba), ...Object.values(bb));
  }
  return { kind: 'mix', lambda: node.lambda, a: plan(node.a, ba, made), b: plan(node.b, bb, made) };
}

/** leaves(plan): its leaves, in order. */
export const leaves = (p: Plan): Leaf[] => (p.kind === 'leaf' ? [p] : [...leaves(p.a), ...leaves(p.b)]);

/** cost(node, batch): [examples × forward+backward passes, draws noise] — compared in that order. */
export const cost = (node: ResolvedSource, batch: Batch): readonly [number, number] => {
  const adversarial = node.kind === 'perturbed' && node.perturbation.kind === 'adversarial';
  return [(Object.values(batch)[0]?.shape[0] ?? 0) * (adversarial ? 2 : 1), node.kind === 'perturbed' && !adversarial ? 1 : 0];
};

/**
 * shardable(node): whether a leaf's batch may be cut into shards whose gradients are averaged. Every leaf kind is:
 * a clean or noisy gradient is a mean over examples; SAM's ε is then taken per shard from that shard's gradient (as
 * SAM's data-parallel code does); ARWP's accumulator is updated once from the averaged gradient (leafState).
 */
export const shardable = (node: ResolvedSource): boolean => node.kind !== 'mix';

/** leafState(node, state, grads): a sharded leaf's new state, from its averaged gradient (ARWP: F ← β·F + g²). */
export function leafState(node: ResolvedSource, state: SourceState, grads: Tree): Record<string, Tree> {
  if (node.kind !== 'perturbed' || node.perturbation.kind !== 'adaptiveFilterNoise') return {};
  const F = state[node.path];
  if (F === undefined) throw new Error(`internal: no state for the adaptive noise at ${node.path}`);
  return { [node.path]: accumulateSquares(F, grads, node.perturbation.beta, node.perturbation.names) };
}

/** find(node, path): the node at `path` in a resolved source, if there is one. */
const find = (node: ResolvedSource, path: string): ResolvedSource | undefined =>
  node.path === path ? node : node.kind === 'mix' ? (find(node.a, path) ?? find(node.b, path)) : undefined;

/**
 * upcoming(opt, params, state, path): the normals the node at `path` will draw at the next step (state.count + 1), if
 * the source there is a noise perturbation; none when it cannot be told (e.g. a schedule that ends at this step).
 */
export function upcoming(opt: Optimizer, params: Tree, state: OptimizerState, path: string): NormalDraw[] {
  try {
    const node = find(resolve(opt.source, state.count + 1, params), path);
    return node?.kind === 'perturbed' ? noiseDraws(node.perturbation, foldKey(state.key, state.count + 1), params) : [];
  } catch {
    return [];
  }
}
