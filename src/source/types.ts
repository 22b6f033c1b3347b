import type { Hyper } from '../schedule.js';
import type { NameMask } from '../transform/masked.js';
import type { SourceNode } from './node.js';

/** Which leaves a perturbation touches: a name predicate, or an explicit list of names. Default: every leaf. */
export type LeafMask = NameMask | readonly string[];

/** RWP's noise: per output filter i, ε_i ~ N(0, (σ·‖W_i‖)²) (Li et al. 2022). */
export interface FilterNoise extends SourceNode {
  /** The tag. */
  readonly kind: 'filterNoise';
  /** σ, the noise scale relative to each filter's norm. */
  readonly sigma: Hyper;
  /** The filter axis; default −1 (last), tfjs's output-channel axis. */
  readonly axis: number;
  /** The leaves it perturbs; default all. */
  readonly mask?: LeafMask;
  /** Which independent draw: perturbations equal in every field draw the same noise unless their `draw` differs. */
  readonly draw: number;
}

/** ARWP's noise: filter noise divided by √(1 + η·Σ_j F_ij), F ← β·F + g² of the perturbed gradient (Li et al. 2024). */
export interface AdaptiveFilterNoise extends SourceNode {
  /** The tag. */
  readonly kind: 'adaptiveFilterNoise';
  /** σ, the base noise scale. */
  readonly sigma: Hyper;
  /** η, the strength of the adaptive shrinking. */
  readonly eta: Hyper;
  /** β, the decay of F. */
  readonly beta: Hyper;
  /** The filter axis; default −1 (last). */
  readonly axis: number;
  /** The leaves it perturbs; default all. */
  readonly mask?: LeafMask;
  /** Which independent draw (see FilterNoise.draw). */
  readonly draw: number;
}

/** SAM's ascent step ε = ρ·g/(‖g‖ + 1e-12) (Foret et al. 2021); ASAM's ε = ρ·T²⊙g/(‖T⊙g‖ + 1e-12), T = |w| + η (Kwon et al. 2021). */
export interface Adversarial extends SourceNode {
  /** The tag. */
  readonly kind: 'adversarial';
  /** ρ, the radius of the ascent step. */
  readonly rho: Hyper;
  /** ASAM (true) or SAM (false). */
  readonly adaptive: boolean;
  /** ASAM's η in T = |w| + η. */
  readonly eta: number;
  /** ASAM: which leaves get T = |w| + η (the others T = 1); default rank ≥ 2 (weights, not biases), as the authors' code. */
  readonly adaptiveMask?: LeafMask;
  /** The leaves it perturbs; default all. */
  readonly mask?: LeafMask;
}

/** How weights are displaced before a gradient is taken: a node of a registered perturbation kind (built-in or `definePerturbation`). */
export type Perturbation = SourceNode;

/** The perturbations optimix ships. */
export type BuiltinPerturbation = FilterNoise | AdaptiveFilterNoise | Adversarial;

/** ∇L(w; B): the gradient at the current weights. */
export interface CleanGrad extends SourceNode {
  /** The tag. */
  readonly kind: 'clean';
}

/** ∇L(w + ε; B), ε drawn by the perturbation. */
export interface PerturbedGrad extends SourceNode {
  /** The tag. */
  readonly kind: 'perturbed';
  /** How the weights are displaced. */
  readonly perturbation: Perturbation;
}

/** How a `mix` hands out the batch: both branches on all of B, or each on its own half. */
export type BatchMode = 'same' | 'split';

/** (1 − λ)·a + λ·b. The branches are independent: an interpreter may evaluate them at once. */
export interface Mix extends SourceNode {
  /** The tag. */
  readonly kind: 'mix';
  /** The first branch, weighted 1 − λ. */
  readonly a: GradientSource;
  /** The second branch, weighted λ. */
  readonly b: GradientSource;
  /** λ ∈ [0, 1] (number or schedule). */
  readonly lambda: Hyper;
  /** How the branches share the batch. */
  readonly batch: BatchMode;
}

/** Where a gradient comes from: data (a node of a registered source kind, built-in or `defineSource`), printed by `describe`, run by an interpreter. */
export type GradientSource = SourceNode;
