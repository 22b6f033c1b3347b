import fc from 'fast-check';
import { optimizer, type Optimizer } from '../optimizer.js';
import { key } from '../random.js';
import { cleanGrad } from '../source/constructors.js';
import type { GradientSource } from '../source/types.js';
import type { AnyTransformation } from '../transform/types.js';
import { arbSeed, type TreeOptions } from './arbitraries.js';
import { law, violated, type Law } from './law.js';
import { arbQuadratic, quadraticLoss, type Problem } from './problem.js';
import { runOptimizer } from './run.js';
import { isOptimizer } from './subject.js';
import type { TreeDesc } from './treeDesc.js';
import { lawOptions } from './options.js';

/** Options of `descendsOnQuadratic`. */
export interface DescentOptions {
  /** Steps k; default 10. */
  readonly steps?: number;
  /** The learning rate given to a factory `(lr) => transform`; default 0.01. */
  readonly learningRate?: number;
  /** The gradient source when a transform is given; default cleanGrad. */
  readonly source?: GradientSource;
  /** The random parameter trees; see `arbTree`. */
  readonly tree?: TreeOptions;
  /** Range of the per-element curvature a; default [0.5, 2]. */
  readonly curvature?: readonly [number, number];
  /** Range of |w| at the start; default [0.5, 2] (far from the minimum compared with k·lr). */
  readonly start?: readonly [number, number];
}

/** quadraticValue(params, problem): ½Σ a·w², in float64, for the quadratic of `arbQuadratic`. */
export function quadraticValue(params: TreeDesc, p: Problem): number {
  let s = 0;
  for (const [n, leaf] of Object.entries(params)) {
    const a = p.batches[0]![`a:${n}`]!.values;
    leaf.values.forEach((w, i) => (s += 0.5 * (a[i] as number) * w * w));
  }
  return s;
}

/**
 * descendsOnQuadratic(t, { steps }): on random convex quadratics L(w) = ½Σ a·w² (a ∈ [0.5, 2], |w₀| ∈ [0.5, 2]), with a small
 * learning rate, k steps end at a finite loss strictly below L(w₀). Give a transform, an optimizer, or `(lr) => transform`.
 */
export function descendsOnQuadratic(subject: AnyTransformation | Optimizer | ((learningRate: number) => AnyTransformation), options: DescentOptions = {}): Law<[[Problem, number]]> {
  lawOptions('descendsOnQuadratic', options, ['steps', 'learningRate', 'source', 'tree', 'curvature', 'start']);
  const { steps = 10, learningRate = 0.01 } = options;
  const opt: Optimizer = isOptimizer(subject)
    ? subject
    : optimizer(options.source ?? cleanGrad, typeof subject === 'function' ? subject(learningRate) : subject);
  const quad = arbQuadratic({ ...(options.tree ? { tree: options.tree } : {}), ...(options.curvature ? { curvature: options.curvature } : {}), ...(options.start ? { start: options.start } : {}) });
  return law('descends on a convex quadratic', fc.tuple(quad, arbSeed()), ([p, seed]) => {
    const run = runOptimizer(opt, quadraticLoss, p, key(seed), steps);
    const l0 = quadraticValue(p.params, p);
    const losses = run.params.map((w) => quadraticValue(w, p));
    const lk = losses[losses.length - 1]!;
    if (!(Number.isFinite(lk) && lk < l0)) {
      violated(`after ${steps} steps the loss is ${lk}, not below the initial ${l0}; losses: ${[l0, ...losses].map((l) => l.toPrecision(4)).join(' → ')}`);
    }
  });
}
