import type { BatchMode } from './types.js';

/**
 * A gradient source instantiated for one step: every hyperparameter a number, every mask a list of names,
 * every node labelled with its path. Plain JSON: this is what an interpreter runs and what a worker receives.
 */
export type ResolvedSource =
  | {
      /** ∇L(w; B). */
      readonly kind: 'clean';
      /** The node's path in the source tree, e.g. `g.b` (its noise is keyed by it). */
      readonly path: string;
    }
  | {
      /** ∇L(w + ε; B). */
      readonly kind: 'perturbed';
      /** The node's path in the source tree. */
      readonly path: string;
      /** The perturbation, instantiated. */
      readonly perturbation: ResolvedPerturbation;
    }
  | {
      /** (1 − λ)·a + λ·b. */
      readonly kind: 'mix';
      /** The node's path in the source tree. */
      readonly path: string;
      /** The first branch. */
      readonly a: ResolvedSource;
      /** The second branch. */
      readonly b: ResolvedSource;
      /** λ at this step. */
      readonly lambda: number;
      /** How the branches share the batch. */
      readonly batch: BatchMode;
    };

/** A perturbation instantiated for one step (see ResolvedSource). `names` are the leaves it displaces. */
export type ResolvedPerturbation =
  | {
      /** RWP's filter noise. */
      readonly kind: 'filterNoise';
      /** σ at this step. */
      readonly sigma: number;
      /** The filter axis. */
      readonly axis: number;
      /** The leaves it perturbs. */
      readonly names: readonly string[];
      /** Which independent draw. */
      readonly draw: number;
    }
  | {
      /** ARWP's adaptive filter noise. */
      readonly kind: 'adaptiveFilterNoise';
      /** σ at this step. */
      readonly sigma: number;
      /** η at this step. */
      readonly eta: number;
      /** β at this step. */
      readonly beta: number;
      /** The filter axis. */
      readonly axis: number;
      /** The leaves it perturbs. */
      readonly names: readonly string[];
      /** Which independent draw. */
      readonly draw: number;
    }
  | {
      /** SAM's (or ASAM's) ascent step. */
      readonly kind: 'adversarial';
      /** ρ at this step. */
      readonly rho: number;
      /** ASAM (true) or SAM (false). */
      readonly adaptive: boolean;
      /** ASAM's η. */
      readonly eta: number;
      /** The leaves it perturbs. */
      readonly names: readonly string[];
      /** The leaves that get ASAM's T = |w| + η (the others T = 1). */
      readonly adaptiveNames: readonly string[];
    };
