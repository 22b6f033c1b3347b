import type * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import type { Normals } from '../perturbation/normals.js';
import type { Key } from '../random.js';
import type { Registered } from '../registry.js';
import type { Hyper } from '../schedule.js';
import type { Tree } from '../tree.js';
import type { Rule } from '../validate.js';

/** A gradient source or a perturbation: data tagged by a registered kind; its other fields are its hyperparameters and children. */
export interface SourceNode {
  /** The registered kind, e.g. `'mix'`, `'filterNoise'`. */
  readonly kind: string;
}

/** A gradient source instantiated for one step (numbers for schedules, names for masks), with its path in the tree (plain JSON). */
export interface ResolvedSource {
  /** The registered kind, as in the unresolved node. */
  readonly kind: string;
  /** The node's path in the source tree, e.g. `g.b`: source state is stored under it. */
  readonly path: string;
  readonly [field: string]: unknown;
}

/** A perturbation instantiated for one step (plain JSON, no path: its noise is keyed by its value, not its place). */
export interface ResolvedPerturbation {
  /** The registered kind, as in the unresolved node. */
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** Per-node state of a gradient source, keyed by node path (ARWP's F accumulator, F-SAM's moving average, …). */
export type SourceState = Readonly<Record<string, Tree>>;

/** The result of evaluating a gradient source: the gradient, a loss, where that loss was taken, and updated node state. */
export interface Evaluation {
  /** The source's gradient, named like the params. */
  readonly grads: Tree;
  /** L(w; B) when some branch evaluated the clean point (`at: 'w'`), else the loss at the first perturbed point. */
  readonly loss: tf.Scalar;
  /** Where `loss` was taken: at the weights or at a perturbed point. */
  readonly at: 'w' | 'w+ε';
  /** The new state of the stateful nodes evaluated here (a subset of the paths). */
  readonly state: Record<string, Tree>;
  /** How many gradient evaluations (forward + backward passes) this took. */
  readonly gradEvals: number;
}

/** What an interpreter hands a node's `evaluate`: the loss, the step's key and state, and ways to take gradients. */
export interface NodeContext {
  /** L(w; B): the loss being minimized, as passed to `step`. */
  readonly loss: LossFn;
  /** The step's key: the optimizer's key folded with the step number (noise keys derive from it). */
  readonly stepKey: Key;
  /** The state of the stateful source nodes before this step, by node path. */
  readonly state: SourceState;
  /** Where the noise's standard normals come from (default `drawNormals`). */
  readonly normals?: Normals;
  /** evaluate(child, params, batch): a child source's evaluation. */
  readonly evaluate: (node: ResolvedSource, params: Tree, batch: Batch) => Evaluation;
  /** clean(params, batch): ∇L(params; B) as an evaluation at 'w', computed once per (params, batch) in a step (later calls cost 0). */
  readonly clean: (params: Tree, batch: Batch) => Evaluation;
  /** gradient(params, batch): L and ∇L at a point (one gradient evaluation, not shared). */
  readonly gradient: (params: Tree, batch: Batch) => {
    /** L(params; B). */
    readonly value: tf.Scalar;
    /** ∇L(params; B), named like the params. */
    readonly grads: Tree;
  };
}

/** What a gradient source costs per step: gradient evaluations (forward + backward passes) and the sequential depth. */
export interface Cost {
  /** Gradient evaluations per step (SGD 1, RWP 2, SAM 2). */
  readonly gradients: number;
  /** The longest chain of evaluations that must run one after the other (RWP 1: its two are independent; SAM 2). */
  readonly depth: number;
}

/** A cost as the walk counts it: clean gradients by batch label (shared between branches), other evaluations, depth. */
export interface NodeCost {
  /** Batch labels on which the clean gradient ∇L(w; B) is taken (one evaluation each, however many nodes use it). */
  readonly clean: ReadonlySet<string>;
  /** Gradient evaluations that are not shared. */
  readonly other: number;
  /** Sequential depth. */
  readonly depth: number;
}

/** A perturbation's own cost: gradients it takes before the perturbed one, the depth they add, and whether one is ∇L at its point. */
export interface PerturbationCost {
  /** Gradient evaluations it takes itself, before the perturbed one (SAM's adversarial 1, noise 0). */
  readonly gradients: number;
  /** The sequential depth those add (SAM's 1: its ascent gradient comes before the perturbed one). */
  readonly depth: number;
  /** One of the gradients is the clean gradient at the point the perturbation starts from (shared with a clean branch at w). */
  readonly clean: boolean;
}

/** Independent branches of a node (an interpreter may evaluate them at once) and how their evaluations join. */
export interface Branches {
  /** The parts, in join order: each a child source and the batch it is evaluated on. */
  readonly parts: ReadonlyArray<{
    /** The resolved child source to evaluate. */
    readonly node: ResolvedSource;
    /** The batch it is evaluated on (the node's, or a part of it such as a half). */
    readonly batch: Batch;
  }>;
  /** Tensors made for the branches (batch halves), the caller's to dispose after the join. */
  readonly made: readonly tf.Tensor[];
  /** join(evaluations): the node's evaluation from its parts' (in order). */
  readonly join: (evals: readonly Evaluation[]) => Evaluation;
}

/** Instantiates a node for one step: hyperparameters at the step, masks as names, children resolved. */
export interface Resolver {
  /** The step t being resolved (0 at the first step). */
  readonly step: number;
  /** The node's path (sources; '' for perturbations). */
  readonly path: string;
  /** The params' shapes by leaf name (what masks and noise draws need; no values). */
  readonly params: Readonly<
    Record<
      string,
      {
        /** The leaf's shape. */
        readonly shape: readonly number[];
        /** The leaf's rank (the shape's length). */
        readonly rank: number;
      }
    >
  >;
  /** hyper(where, name, h, rule): h at this step, checked against rule (a schedule that leaves its range fails here, naming it). */
  readonly hyper: (where: string, name: string, h: Hyper, rule: Rule) => number;
  /** names(mask): the leaves a mask selects (all when undefined). */
  readonly names: (mask: unknown) => string[];
  /** source(field): the child source in that field, resolved at `<path>.<field>`. */
  readonly source: (field: string) => ResolvedSource;
  /** perturbation(field): the child perturbation in that field, resolved. */
  readonly perturbation: (field: string) => ResolvedPerturbation;
}

/** Prints a node: a shared list of definitions (ε's, schedules) and fresh names. */
export interface Describer {
  /** The batch suffix of the current branch, '' or e.g. '; B₁'. */
  readonly batch: string;
  /** source(child, batch = this batch): the formula of a child source. */
  readonly source: (child: SourceNode, batch?: string) => string;
  /** perturbation(p): the perturbed point, e.g. `w+ε₁; B₁` (a fresh ε on this branch's batch), its definition recorded. */
  readonly perturbation: (p: SourceNode) => string;
  /** hyper(h, symbol): a number, or `symbol_t` with its schedule recorded. */
  readonly hyper: (h: Hyper, symbol: string) => string;
  /** num(x): x printed with 12 significant digits at most. */
  readonly num: (x: number) => string;
  /** define(text): add a definition after the formula (e.g. `v ← μ·v + g`). */
  readonly define: (text: string) => void;
  /** splitBatch(n): n fresh batch labels (B₁, B₂, …). */
  readonly splitBatch: (n: number) => string[];
}

/** Prints a perturbation: its ε's name, the point its gradients are taken at, and helpers. */
export interface PerturbationDescriber {
  /** The name of its ε, e.g. `ε` or `ε₂`. */
  readonly eps: string;
  /** The perturbed point, e.g. `w+ε` (ARWP's F accumulates ∇L there). */
  readonly point: string;
  /** The point the perturbation is computed from (`w`, or `w+ε₁` inside `nested`). */
  readonly from: string;
  /** hyper(h, symbol): a number, or `symbol_t` with its schedule recorded. */
  readonly hyper: (h: Hyper, symbol: string) => string;
  /** num(x): x printed with 12 significant digits at most. */
  readonly num: (x: number) => string;
  /** child(p, eps, from): a child perturbation's text, with its own ε name and base point. */
  readonly child: (p: SourceNode, eps: string, from: string) => string;
}

/** What a perturbation's `sample` may use. */
export interface SampleContext {
  /** The point the perturbation starts from (w, or w + ε₁ inside `nested`). Do not dispose. */
  readonly params: Tree;
  /** The step's batch (this branch's). */
  readonly batch: Batch;
  /** The perturbation's noise key: noiseKey(stepKey, resolved perturbation). */
  readonly key: Key;
  /** normal(name): N(0, 1) shaped like params[name], seeded by (key, name): the same draw under every interpreter. */
  readonly normal: (name: string) => tf.Tensor;
  /** gradient(): ∇L(params; B) — one gradient evaluation (shared with a clean branch at w; asked again, the same tensors). */
  readonly gradient: () => Tree;
  /** The perturbation's state (its `init`, then its `update`s), or undefined if it keeps none. */
  readonly state: Tree | undefined;
  /** sample(field, at): the ε of the child perturbation in that field, computed at the point `at` (for combinators such as `nested`). */
  readonly sample: (field: string, at: Tree) => Tree;
  /** The generator behind `normal` (for samplers written against (seed, shape)). */
  readonly normals: Normals;
}

/** The definition of a gradient-source kind: everything optimix needs to validate, print, save, cost and run it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- definitions are stored untyped in the registry
export interface SourceDefinition<S extends SourceNode = any, R extends ResolvedSource = any> extends Registered {
  /** Fields that hold child sources (children live at `<path>.<field>`). */
  readonly sources?: readonly string[];
  /** Fields that hold perturbations. */
  readonly perturbations?: readonly string[];
  /** make(fields): the node from its fields (validating; used by fromJSON and by the constructor `defineSource` returns). */
  readonly make: (fields: Record<string, unknown>) => S;
  /** resolve(node, r): the node for one step; default: schedules at the step, `mask` as `names`, children resolved. */
  readonly resolve?: (node: S, r: Resolver) => Omit<R, 'kind' | 'path'>;
  /** evaluate(node, params, batch, ctx): the gradient (call inside tf.tidy; make tensors freely). */
  readonly evaluate: (node: R, params: Tree, batch: Batch, ctx: NodeContext) => Evaluation;
  /** describe(node, d): the formula. */
  readonly describe: (node: S, d: Describer) => string;
  /** cost(node, c): gradient evaluations and depth, from the children's costs; default: the clean gradient, depth 1. */
  readonly cost?: (node: S, c: CostContext) => NodeCost;
  /** Keeps state across steps: a tree shaped like the params, zeros at first, stored at the node's path. */
  readonly stateful?: boolean;
  /** branches(node, batch): independent parts an interpreter may evaluate at once (e.g. mix's two sides). */
  readonly branches?: (node: R, batch: Batch) => Branches | undefined;
}

/** What a source's `cost` may ask. */
export interface CostContext {
  /** The current batch label ('B' at the root). */
  readonly batch: string;
  /** source(child, batch = this batch): a child's cost. */
  readonly source: (child: SourceNode, batch?: string) => NodeCost;
  /** perturbation(p): a perturbation's own cost. */
  readonly perturbation: (p: SourceNode) => PerturbationCost;
}

/** The definition of a perturbation kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface PerturbationDefinition<P extends SourceNode = any, R extends ResolvedPerturbation = any> extends Registered {
  /** Fields that hold child perturbations. */
  readonly perturbations?: readonly string[];
  /** make(fields): the node from its fields (validating). */
  readonly make: (fields: Record<string, unknown>) => P;
  /** resolve(p, r): the perturbation for one step; default: schedules at the step, `mask` as `names`, children resolved. */
  readonly resolve?: (p: P, r: Resolver) => Omit<R, 'kind'>;
  /** describe(p, d): the definition of its ε, e.g. `ε_i ~ N(0,(0.01·‖w_i‖)²)`. */
  readonly describe: (p: P, d: PerturbationDescriber) => string;
  /** sample(p, s): ε for the leaves it displaces (others are left out). */
  readonly sample: (p: R, s: SampleContext) => Tree;
  /** Keeps state across steps: a tree shaped like the params, zeros at first (ARWP's F), updated by `update`. */
  readonly stateful?: boolean;
  /** update(p, state, grads, params, gradient): the new state after the perturbed gradient `grads` was taken (`gradient`: ∇L at params, if sample asked for it). */
  readonly update?: (p: R, state: Tree, grads: Tree, params: Tree, gradient: Tree | undefined) => Tree;
  /** draws(p): the leaves whose normals `sample` draws (so they can be drawn ahead of the step); default none. */
  readonly draws?: (p: R) => readonly string[];
  /** cost(p, child): the gradients it takes itself; default none. */
  readonly cost?: (p: P, child: (p: SourceNode) => PerturbationCost) => PerturbationCost;
}
