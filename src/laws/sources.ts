import fc from 'fast-check';
import type { LossFn } from '../model.js';
import { optimizer } from '../optimizer.js';
import { key } from '../random.js';
import { cleanGrad, mix } from '../source/constructors.js';
import type { BatchMode, GradientSource } from '../source/types.js';
import { chain } from '../transform/chain.js';
import { sgd } from '../transform/rules.js';
import type { GradientTransformation } from '../transform/types.js';
import { arbSeed, arbUnit } from './arbitraries.js';
import { compareTrees, type Tolerance } from './compare.js';
import { law, violated, type Law } from './law.js';
import { leastSquares, type Problem, type ProblemKit } from './problem.js';
import { runOptimizer } from './run.js';
import { snapshot, type TreeDesc } from './treeDesc.js';
import { lawOptions } from './options.js';

/** recorder(sink): a transformation that passes updates through unchanged and pushes a snapshot of each into sink (for reading a source's gradient). */
export function recorder(sink: TreeDesc[]): GradientTransformation<null> {
  return {
    init: () => null,
    update: (u) => {
      sink.push(snapshot(u));
      return [u, null];
    },
  };
}

/**
 * sourceGradients(source, loss, problem, seed, steps, lr): the gradient the source hands the transform at each of
 * `steps` steps of SGD(lr) from key(seed) (lr = 0: every step at the initial params).
 */
export function sourceGradients(source: GradientSource, loss: LossFn, problem: Problem, seed: number, steps = 1, learningRate = 0): TreeDesc[] {
  const sink: TreeDesc[] = [];
  runOptimizer(optimizer(source, chain(recorder(sink), sgd(learningRate))), loss, problem, key(seed), steps, { record: false });
  return sink;
}

/** Options of the source laws: the problem (loss + random problems; default least squares), steps, tolerance. */
export interface SourceLawOptions {
  /** The loss and random problems; default `leastSquares()`. */
  readonly problem?: ProblemKit;
  /** Steps of SGD per run (params move between steps); default 3. */
  readonly steps?: number;
  /** The SGD learning rate between steps; default 0.01. */
  readonly learningRate?: number;
  /** How gradients are compared; default 'exact'. */
  readonly tolerance?: Tolerance;
  /** The law's name in reports. */
  readonly name?: string;
}

/** sameGradient(a, b): under the same key, on random params and batches, sources a and b hand the transform the same gradient at every step. */
export function sameGradient(a: GradientSource, b: GradientSource, options: SourceLawOptions = {}): Law<[[Problem, number]]> {
  lawOptions('sameGradient', options, ['problem', 'steps', 'learningRate', 'tolerance', 'name']);
  const { loss, problem } = options.problem ?? leastSquares();
  const { steps = 3, learningRate = 0.01, tolerance = 'exact' } = options;
  return law(options.name ?? 'same gradient', fc.tuple(problem, arbSeed()), ([p, seed]) => {
    const ga = sourceGradients(a, loss, p, seed, steps, learningRate);
    const gb = sourceGradients(b, loss, p, seed, steps, learningRate);
    for (let i = 0; i < steps; i++) {
      const d = compareTrees(ga[i]!, gb[i]!, tolerance);
      if (d !== null) violated(`step ${i}: the gradients differ: ${d}`);
    }
  });
}

/** reducesToClean(source): the source gives exactly cleanGrad's gradient (e.g. perturbedGrad(filterNoise(0)), mix(cleanGrad, cleanGrad, λ)). */
export function reducesToClean(source: GradientSource, options: SourceLawOptions = {}): Law<[[Problem, number]]> {
  lawOptions('reducesToClean', options, ['problem', 'steps', 'learningRate', 'tolerance', 'name']);
  return sameGradient(source, cleanGrad, { name: 'reduces to cleanGrad', ...options });
}

/**
 * The default tolerance of `mixIsLinear`, relative to |(1−λ)·g(0)| + |λ·g(1)| per element: the mixed gradient rounds
 * 1−λ, λ, both products and their sum in float32, ≤ 3·2⁻²⁴ ≈ 1.8e-7 of that magnitude; 1e-6 leaves a margin.
 */
export const MIX_RTOL = 1e-6;

/**
 * mixIsLinear(a, b): g(λ) = (1 − λ)·g(0) + λ·g(1) for g(λ) the gradient of mix(a, b, λ) under one key — the branches'
 * noise does not depend on λ — to MIX_RTOL of |(1−λ)g(0)| + |λg(1)| elementwise.
 */
export function mixIsLinear(a: GradientSource, b: GradientSource, options: Omit<SourceLawOptions, 'tolerance' | 'steps' | 'learningRate'> & { readonly batch?: BatchMode; readonly rtol?: number } = {}): Law<[[Problem, number, number]]> {
  lawOptions('mixIsLinear', options, ['problem', 'name', 'batch', 'rtol']);
  const { loss, problem } = options.problem ?? leastSquares();
  const rtol = options.rtol ?? MIX_RTOL;
  const batch = { batch: options.batch ?? 'same' } as const;
  return law(options.name ?? 'mix is linear in λ', fc.tuple(problem, arbSeed(), arbUnit()), ([p, seed, lambda]) => {
    const g = (l: number): TreeDesc => sourceGradients(mix(a, b, l, batch), loss, p, seed, 1, 0)[0]!;
    const [g0, g1, gl] = [g(0), g(1), g(lambda)];
    for (const [n, leaf] of Object.entries(gl)) {
      const x0 = g0[n]!.values;
      const x1 = g1[n]!.values;
      const expected = Float64Array.from(x0, (v, i) => (1 - lambda) * v + lambda * (x1[i] as number));
      const bound = Float64Array.from(x0, (v, i) => rtol * (Math.abs((1 - lambda) * v) + Math.abs(lambda * (x1[i] as number))) + 1e-30);
      for (let i = 0; i < leaf.values.length; i++) {
        const got = leaf.values[i] as number;
        if (!(Math.abs(got - (expected[i] as number)) <= (bound[i] as number))) {
          violated(`λ = ${lambda}, leaf '${n}'[${i}]: g(λ) = ${got}, (1−λ)·g(0) + λ·g(1) = ${expected[i]} (g(0) = ${x0[i]}, g(1) = ${x1[i]}; tolerance ${bound[i]})`);
        }
      }
    }
  });
}
