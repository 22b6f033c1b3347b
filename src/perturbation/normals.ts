import * as tf from '@tensorflow/tfjs-core';
import { foldName, toSeed, type Key } from '../random.js';
import { normals, seedWords } from '../normal.js';
import { noiseKey } from '../source/noiseKey.js';
import type { ResolvedPerturbation } from '../source/resolved.js';

/** Where standard normals come from: (seed, shape) → N(0, 1) values, a pure function of the seed. */
export type Normals = (seed: number, shape: readonly number[]) => tf.Tensor;

/** A standard-normal draw a perturbation will make: its seed and shape. */
export interface NormalDraw {
  readonly seed: number;
  readonly shape: readonly number[];
}

/**
 * drawNormals(seed, shape) = normals(seedWords(seed), size) reshaped: Philox-4×32-10 + float32 Box–Muller (src/normal.ts),
 * the generator behind all of optimix's noise; element i of a leaf's noise depends on (seed, i) only.
 */
export const drawNormals: Normals = (seed, shape) => tf.tensor(normals(seedWords(seed), shape.reduce((a, b) => a * b, 1)), [...shape], 'float32');

/** normalSeed(k, name) = toSeed(foldName(k, name)): the seed of leaf `name`'s normals under the perturbation's key k. */
export const normalSeed = (k: Key, name: string): number => toSeed(foldName(k, name));

/**
 * noiseDraws(p, stepKey, params): the normals perturbation p draws at the step with this key, one per displaced leaf
 * (none for SAM's adversarial ε, which comes from the gradient). They depend on the key and the shapes only, so they
 * can be drawn ahead of the step, anywhere, with the same values.
 */
export function noiseDraws(p: ResolvedPerturbation, stepKey: Key, params: Readonly<Record<string, { readonly shape: readonly number[] }>>): NormalDraw[] {
  if (p.kind === 'adversarial') return [];
  const k = noiseKey(stepKey, p);
  return p.names.map((name) => ({ seed: normalSeed(k, name), shape: (params[name] as { shape: readonly number[] }).shape }));
}
