import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import type { Batch, LossFn } from '../model.js';
import type { Tree } from '../tree.js';
import { arbTree, arbValues, type TreeOptions } from './arbitraries.js';
import { materialize, sizeOf, type TreeDesc } from './treeDesc.js';

/** A training problem as plain data: a params description and the batches (descriptions) the steps cycle through. */
export interface Problem {
  /** The initial parameters. */
  readonly params: TreeDesc;
  /** The batches, cycled through step by step. */
  readonly batches: readonly TreeDesc[];
}

/** A loss and an arbitrary of problems for it: what the optimizer-level laws run `step` on. */
export interface ProblemKit {
  /** The loss the problems are for. */
  readonly loss: LossFn;
  /** Random problems. */
  readonly problem: fc.Arbitrary<Problem>;
}

/** materializeBatches(p): the problem's batches as tensor trees (the caller disposes them). */
export function materializeBatches(p: Problem): Batch[] {
  return p.batches.map((b) => materialize(b));
}

/**
 * leastSquaresLoss(w; B) = Σ_leaves (1/n)·Σ_examples ½‖x ⊙ w − y‖², with B holding `x:<leaf>` and `y:<leaf>` of shape
 * [n, …leaf shape]. Smooth, every leaf used, gradient depending on the batch: the kit's default problem.
 */
export const leastSquaresLoss: LossFn = (params: Tree, batch: Batch) =>
  tf.tidy(() => {
    const terms = Object.entries(params).map(([n, w]) => {
      const x = batch[`x:${n}`];
      const y = batch[`y:${n}`];
      if (x === undefined || y === undefined) throw new RangeError(`leastSquaresLoss: the batch has no 'x:${n}' / 'y:${n}'`);
      return tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.mul(x, w), y)))), x.shape[0] ?? 1);
    });
    return (terms.length === 0 ? tf.scalar(0) : tf.addN(terms)) as tf.Scalar;
  });

/** arbProblem({ tree, batches = 2, batchSize = 2–4 }): random params in [−2, 2] and batches for `leastSquaresLoss`. */
export function arbProblem(options: { readonly tree?: TreeOptions; readonly batches?: number; readonly minBatchSize?: number; readonly maxBatchSize?: number } = {}): fc.Arbitrary<Problem> {
  const { batches = 2, minBatchSize = 2, maxBatchSize = 4 } = options;
  return arbTree({ min: -2, max: 2, ...options.tree }).chain((params) => {
    const names = Object.keys(params);
    const batch = fc.integer({ min: minBatchSize, max: maxBatchSize }).chain((n) =>
      fc.tuple(...names.flatMap((name) => {
        const shape = [n, ...params[name]!.shape];
        return [arbValues(sizeOf(shape), { min: -2, max: 2 }), arbValues(sizeOf(shape), { min: -2, max: 2 })];
      })).map((vals) => {
        const out: Record<string, { shape: number[]; values: Float32Array }> = {};
        names.forEach((name, i) => {
          const shape = [n, ...params[name]!.shape];
          out[`x:${name}`] = { shape, values: vals[2 * i]! };
          out[`y:${name}`] = { shape, values: vals[2 * i + 1]! };
        });
        return out as TreeDesc;
      }),
    );
    return fc.array(batch, { minLength: batches, maxLength: batches }).map((bs) => ({ params, batches: bs }));
  });
}

/** The kit's default problem: `leastSquaresLoss` on `arbProblem()`. */
export const leastSquares = (options: Parameters<typeof arbProblem>[0] = {}): ProblemKit => ({ loss: leastSquaresLoss, problem: arbProblem(options) });

/**
 * quadraticLoss(w; B) = Σ_leaves ½·Σ a ⊙ w² (averaged over B's rows, which are equal): a convex quadratic with curvature
 * `a:<leaf>` per element, minimum at w = 0.
 */
export const quadraticLoss: LossFn = (params: Tree, batch: Batch) =>
  tf.tidy(() => {
    const terms = Object.entries(params).map(([n, w]) => {
      const a = batch[`a:${n}`];
      if (a === undefined) throw new RangeError(`quadraticLoss: the batch has no 'a:${n}'`);
      return tf.div(tf.mul(0.5, tf.sum(tf.mul(a, tf.square(w)))), a.shape[0] ?? 1);
    });
    return (terms.length === 0 ? tf.scalar(0) : tf.addN(terms)) as tf.Scalar;
  });

/** Values of magnitude in [lo, hi] with random signs (so no coordinate starts at the minimum). */
const awayFromZero = (lo: number, hi: number) => (n: number) =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.float32Array({ minLength: n, maxLength: n, min: Math.fround(lo), max: Math.fround(hi), noNaN: true }))
    .map(([signs, mags]) => Float32Array.from(mags, (m, i) => (signs[i] ? -m : m)));

/**
 * arbQuadratic({ tree, curvature = [0.5, 2], start = [0.5, 2] }): a convex quadratic L(w) = ½Σ a·w² (a per element in the
 * curvature range, the same on both rows of the batch, so 'split' batches see it too) and a start with |w| in the start range.
 */
export function arbQuadratic(options: { readonly tree?: TreeOptions; readonly curvature?: readonly [number, number]; readonly start?: readonly [number, number] } = {}): fc.Arbitrary<Problem> {
  const [clo, chi] = options.curvature ?? [0.5, 2];
  const [slo, shi] = options.start ?? [0.5, 2];
  return arbTree({ maxLeaves: 2, ...options.tree, values: awayFromZero(slo, shi) }).chain((params) => {
    const names = Object.keys(params);
    return fc
      .tuple(...names.map((n) => arbValues(sizeOf(params[n]!.shape), { min: clo, max: chi })))
      .map((curv) => {
        const batch: Record<string, { shape: number[]; values: Float32Array }> = {};
        names.forEach((n, i) => {
          const c = curv[i]!;
          const twice = new Float32Array(2 * c.length);
          twice.set(c, 0);
          twice.set(c, c.length);
          batch[`a:${n}`] = { shape: [2, ...params[n]!.shape], values: twice };
        });
        return { params, batches: [batch] };
      });
  });
}
