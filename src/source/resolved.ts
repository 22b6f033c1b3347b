import type { BatchMode } from './types.js';

/**
 * A gradient source instantiated for one step: every hyperparameter a number, every mask a list of names,
 * every node labelled with its path. Plain JSON: this is what an interpreter runs and what a worker receives.
 */
export type ResolvedSource =
  | { readonly kind: 'clean'; readonly path: string }
  | { readonly kind: 'perturbed'; readonly path: string; readonly perturbation: ResolvedPerturbation }
  | { readonly kind: 'mix'; readonly path: string; readonly a: ResolvedSource; readonly b: ResolvedSource; readonly lambda: number; readonly batch: BatchMode };

/** A perturbation instantiated for one step (see ResolvedSource). `names` are the leaves it displaces. */
export type ResolvedPerturbation =
  | { readonly kind: 'filterNoise'; readonly sigma: number; readonly axis: number; readonly names: readonly string[]; readonly draw: number }
  | { readonly kind: 'adaptiveFilterNoise'; readonly sigma: number; readonly eta: number; readonly beta: number; readonly axis: number; readonly names: readonly string[]; readonly draw: number }
  | { readonly kind: 'adversarial'; readonly rho: number; readonly adaptive: boolean; readonly eta: number; readonly names: readonly string[]; readonly adaptiveNames: readonly string[] };
