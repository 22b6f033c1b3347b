import * as tf from '@tensorflow/tfjs-core';
import { foldName, toSeed, type Key } from '../random.js';
import { noiseKey } from '../source/noiseKey.js';
import type { ResolvedPerturbation, SourceNode } from '../source/node.js';
import { perturbations, sources } from '../source/registries.js';

/** Where standard normals come from: (seed, shape) → N(0, 1) values, a pure function of the seed. */
export type Normals = (seed: number, shape: readonly number[]) => tf.Tensor;

/** A standard-normal draw a perturbation will make: its seed and shape. */
export interface NormalDraw {
  readonly seed: number;
  readonly shape: readonly number[];
}

/** drawNormals(seed, shape) = tf.randomNormal(shape, 0, 1, 'float32', seed): the generator behind all of optimix's noise. */
export const drawNormals: Normals = (seed, shape) => tf.randomNormal([...shape], 0, 1, 'float32', seed);

/** normalSeed(k, name) = toSeed(foldName(k, name)): the seed of leaf `name`'s normals under the perturbation's key k. */
export const normalSeed = (k: Key, name: string): number => toSeed(foldName(k, name));

/**
 * noiseDraws(p, stepKey, params): the normals perturbation p (and its child perturbations) draws at the step with this
 * key, one per displaced leaf its definition's `draws` lists (none for SAM's adversarial ε, which comes from the
 * gradient). They depend on the key and the shapes only, so they can be drawn ahead of the step, anywhere, with the same values.
 */
export function noiseDraws(p: ResolvedPerturbation, stepKey: Key, params: Readonly<Record<string, { readonly shape: readonly number[] }>>): NormalDraw[] {
  const def = perturbations.get(p.kind, 'noiseDraws');
  const k = noiseKey(stepKey, p);
  const own = (def.draws?.(p) ?? []).map((name) => ({ seed: normalSeed(k, name), shape: (params[name] as { shape: readonly number[] }).shape }));
  return [...own, ...(def.perturbations ?? []).flatMap((f) => noiseDraws(p[f] as ResolvedPerturbation, stepKey, params))];
}

/** sourceDraws(node, stepKey, params): every normal the perturbations of a resolved source draw at a step (see noiseDraws). */
export function sourceDraws(node: SourceNode, stepKey: Key, params: Readonly<Record<string, { readonly shape: readonly number[] }>>): NormalDraw[] {
  const def = sources.get(node.kind, 'sourceDraws');
  const rec = node as unknown as Record<string, SourceNode>;
  return [
    ...(def.perturbations ?? []).flatMap((f) => (rec[f] === undefined ? [] : noiseDraws(rec[f] as ResolvedPerturbation, stepKey, params))),
    ...(def.sources ?? []).flatMap((f) => (rec[f] === undefined ? [] : sourceDraws(rec[f] as SourceNode, stepKey, params))),
  ];
}

/** drawsNoise(node): whether a resolved source's perturbations draw normals at all (RWP's filter noise does, SAM's ascent not). */
export function drawsNoise(node: SourceNode): boolean {
  const shapes = new Proxy({}, { get: () => ({ shape: [] }) }) as Readonly<Record<string, { readonly shape: readonly number[] }>>;
  return sourceDraws(node, [0, 0] as unknown as Key, shapes).length > 0;
}
