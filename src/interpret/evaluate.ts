import * as tf from '@tensorflow/tfjs-core';
import type { Batch, LossFn } from '../model.js';
import { accumulateSquares, sampleAdaptiveFilterNoise } from '../perturbation/adaptiveFilterNoise.js';
import { sampleAdversarial } from '../perturbation/adversarial.js';
import { sampleFilterNoise } from '../perturbation/filterNoise.js';
import type { Normals } from '../perturbation/normals.js';
import type { Key } from '../random.js';
import { noiseKey } from '../source/noiseKey.js';
import type { ResolvedPerturbation, ResolvedSource } from '../source/resolved.js';
import { isStateless } from '../source/resolve.js';
import { zipWith, type Tree } from '../tree.js';
import { splitBatch } from './splitBatch.js';
import { valueAndGrad } from './valueAndGrad.js';

/** Per-node state of a gradient source, keyed by node path (ARWP's F accumulator). */
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

/** What every node evaluation shares within one step. */
export interface EvalContext {
  readonly loss: LossFn;
  readonly stepKey: Key;
  readonly state: SourceState;
  /** Where the noise's standard normals come from; default `drawNormals` (the parallel interpreter may have them drawn ahead). */
  readonly normals?: Normals;
}

const perturb = (params: Tree, eps: Tree): Tree => {
  const out: Record<string, tf.Tensor> = { ...params };
  for (const [n, e] of Object.entries(eps)) out[n] = tf.add(params[n] as tf.Tensor, e);
  return out;
};

/** sameShape(a, b): the two resolved sources are equal but for their node paths (then a same-batch mix of them is one of them). */
export const sameShape = (a: ResolvedSource, b: ResolvedSource): boolean =>
  JSON.stringify(a, (k, v: unknown) => (k === 'path' ? undefined : v)) === JSON.stringify(b, (k, v: unknown) => (k === 'path' ? undefined : v));

/**
 * evaluate(node, params, batch, ctx): run a resolved gradient source one step, in this thread. Deterministic:
 * a perturbation's noise is drawn from noiseKey(stepKey, perturbation), so any interpreter gets the same numbers.
 * Call inside tf.tidy; it creates tensors freely and returns new ones.
 */
export function evaluate(node: ResolvedSource, params: Tree, batch: Batch, ctx: EvalContext, memo = new Map<Batch, Evaluation>()): Evaluation {
  switch (node.kind) {
    case 'clean': {
      const hit = memo.get(batch);
      if (hit !== undefined) return { ...hit, gradEvals: 0, state: {} };
      const { value, grads } = valueAndGrad(ctx.loss, params, batch);
      const e: Evaluation = { grads, loss: value, at: 'w', state: {}, gradEvals: 1 };
      memo.set(batch, e);
      return e;
    }
    case 'perturbed':
      return evaluatePerturbed(node.path, node.perturbation, params, batch, ctx, memo);
    case 'mix': {
      if (node.batch === 'same' && isStateless(node) && sameShape(node.a, node.b)) return evaluate(node.a, params, batch, ctx, memo);
      const [ba, bb] = node.batch === 'split' ? splitBatch(batch) : [batch, batch];
      const ea = evaluate(node.a, params, ba, ctx, memo);
      const eb = evaluate(node.b, params, bb, ctx, memo);
      return combine(node.lambda, ea, eb);
    }
  }
}

/** combine(λ, a, b): (1 − λ)·a + λ·b of two evaluations, keeping the clean loss if either has one. */
export function combine(lambda: number, ea: Evaluation, eb: Evaluation): Evaluation {
  const grads = zipWith(ea.grads, eb.grads, (ga, gb) => tf.add(tf.mul(ga, 1 - lambda), tf.mul(gb, lambda)));
  const pick = ea.at === 'w' || eb.at !== 'w' ? ea : eb;
  return { grads, loss: pick.loss, at: pick.at, state: { ...ea.state, ...eb.state }, gradEvals: ea.gradEvals + eb.gradEvals };
}

function evaluatePerturbed(path: string, p: ResolvedPerturbation, params: Tree, batch: Batch, ctx: EvalContext, memo: Map<Batch, Evaluation>): Evaluation {
  const k = noiseKey(ctx.stepKey, p);
  switch (p.kind) {
    case 'filterNoise': {
      const { value, grads } = valueAndGrad(ctx.loss, perturb(params, sampleFilterNoise(params, p.sigma, p.axis, p.names, k, ctx.normals)), batch);
      return { grads, loss: value, at: 'w+ε', state: {}, gradEvals: 1 };
    }
    case 'adaptiveFilterNoise': {
      const F = ctx.state[path];
      if (F === undefined) throw new Error(`internal: no state for the adaptive noise at ${path}`);
      const { value, grads } = valueAndGrad(ctx.loss, perturb(params, sampleAdaptiveFilterNoise(params, F, p, k, ctx.normals)), batch);
      return { grads, loss: value, at: 'w+ε', state: { [path]: accumulateSquares(F, grads, p.beta, p.names) }, gradEvals: 1 };
    }
    case 'adversarial': {
      const clean = evaluate({ kind: 'clean', path: `${path}.clean` }, params, batch, ctx, memo);
      const { grads } = valueAndGrad(ctx.loss, perturb(params, sampleAdversarial(params, clean.grads, p)), batch);
      return { grads, loss: clean.loss, at: 'w', state: {}, gradEvals: clean.gradEvals + 1 };
    }
  }
}
