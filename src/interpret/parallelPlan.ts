// The one place where the parallel interpreter walks a source: how it splits into independent leaves (each kind's
// `branches`), what a leaf costs (the source's cost model), whether its batch can be sharded, and which noise it draws
// next step. Every question goes to the kinds' definitions in the registry: no kind is named here.
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../model.js';
import type { Optimizer, OptimizerState } from '../optimizer.js';
import { drawsNoise, sourceDraws, type NormalDraw } from '../perturbation/normals.js';
import { fold as foldKey } from '../random.js';
import { cost as sourceCost } from '../source/cost.js';
import type { Branches } from '../source/node.js';
import type { ResolvedSource } from '../source/resolved.js';
import { isStateless, resolve } from '../source/resolve.js';
import { resolvedChildren, sourceDef } from '../source/walk.js';
import type { Tree } from '../tree.js';

/** The independent pieces of a source: leaves (evaluated anywhere) joined by their nodes' `join` (on the main thread). */
export type Plan = { readonly kind: 'leaf'; readonly node: ResolvedSource; readonly batch: Batch } | { readonly kind: 'join'; readonly join: Branches['join']; readonly parts: readonly Plan[] };

export type Leaf = Extract<Plan, { kind: 'leaf' }>;

/** plan(node, batch): split a source at the nodes whose definition gives independent branches (mix, …), as `evaluate` walks it. */
export function plan(node: ResolvedSource, batch: Batch, made: tf.Tensor[]): Plan {
  const b = sourceDef(node, 'parallel.step').branches?.(node, batch);
  if (b === undefined) return { kind: 'leaf', node, batch };
  made.push(...b.made);
  return { kind: 'join', join: b.join, parts: b.parts.map((q) => plan(q.node, q.batch, made)) };
}

/** leaves(plan): its leaves, in order. */
export const leaves = (p: Plan): Leaf[] => (p.kind === 'leaf' ? [p] : p.parts.flatMap(leaves));

/** cost(node, batch): [examples × gradient evaluations (the source's cost model), draws noise] — compared in that order. */
export const cost = (node: ResolvedSource, batch: Batch): readonly [number, number] =>
  [(Object.values(batch)[0]?.shape[0] ?? 0) * sourceCost(node).gradients, drawsNoise(node) ? 1 : 0];

/**
 * shardable(node): whether a leaf's batch may be cut into shards whose gradients are averaged: a leaf that keeps no
 * state across steps (a clean or noisy gradient is a mean over examples, the noise the same on every shard; SAM's ε
 * is then taken per shard from that shard's gradient, as SAM's data-parallel code does). A stateful leaf (ARWP's F,
 * LookSAM's stored component, …) runs whole, so that its state is updated exactly as `sequential` updates it.
 */
export const shardable = (node: ResolvedSource): boolean => isStateless(node);

/** find(node, path): the node at `path` in a resolved source, if there is one. */
const find = (node: ResolvedSource, path: string): ResolvedSource | undefined =>
  node.path === path ? node : resolvedChildren(node).reduce<ResolvedSource | undefined>((hit, c) => hit ?? find(c, path), undefined);

/**
 * upcoming(opt, params, state, path): the normals the node at `path` will draw at the next step (state.count + 1);
 * none when it cannot be told (e.g. a schedule that ends at this step).
 */
export function upcoming(opt: Optimizer, params: Tree, state: OptimizerState, path: string): NormalDraw[] {
  try {
    const node = find(resolve(opt.source, state.count + 1, params), path);
    return node === undefined ? [] : sourceDraws(node, foldKey(state.key, state.count + 1), params);
  } catch {
    return [];
  }
}
