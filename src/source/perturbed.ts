import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../model.js';
import { drawNormals, normalSeed } from '../perturbation/normals.js';
import type { Tree } from '../tree.js';
import { defineSource } from './define.js';
import type { Evaluation, NodeContext, ResolvedPerturbation, ResolvedSource, SampleContext } from './node.js';
import { noiseKey } from './noiseKey.js';
import { isPerturbation, perturbations } from './registries.js';
import type { Perturbation, PerturbedGrad } from './types.js';

/** perturb(params, eps): w + ε as new tensors (leaves without ε are shared, not copied). */
export const perturb = (params: Tree, eps: Tree): Tree => {
  const out: Record<string, tf.Tensor> = { ...params };
  for (const [n, e] of Object.entries(eps)) out[n] = tf.add(params[n] as tf.Tensor, e);
  return out;
};

/** A perturbation being sampled in a step: ε's, the gradients they took, the clean evaluation if one was at w. */
interface Sampling {
  evals: number;
  clean: Evaluation | undefined;
  readonly updates: Array<(grads: Tree) => readonly [string, Tree]>;
}

/** sampleAt(p, path, at, w, batch, ctx, sampling): ε of perturbation p computed at the point `at` (w itself at the top). */
function sampleAt(p: ResolvedPerturbation, path: string, at: Tree, w: Tree, batch: Batch, ctx: NodeContext, sampling: Sampling): Tree {
  const def = perturbations.get(p.kind, 'perturbedGrad');
  const key = noiseKey(ctx.stepKey, p);
  const normals = ctx.normals ?? drawNormals;
  const state = def.stateful === true ? ctx.state[path] : undefined;
  if (def.stateful === true && state === undefined) throw new Error(`internal: no state for the ${p.kind} perturbation at ${path}`);
  let taken: Tree | undefined; // ∇L at `at`, once sample asked for it
  const s: SampleContext = {
    params: at,
    batch,
    key,
    normals,
    normal: (name) => normals(normalSeed(key, name), (at[name] as tf.Tensor).shape),
    gradient: () => {
      if (taken !== undefined) return taken;
      if (at === w) {
        const e = ctx.clean(w, batch);
        sampling.evals += e.gradEvals;
        sampling.clean = e;
        taken = e.grads;
      } else {
        sampling.evals++;
        taken = ctx.gradient(at, batch).grads;
      }
      return taken;
    },
    state,
    sample: (field, point) => sampleAt(p[field] as ResolvedPerturbation, `${path}.${field}`, point, w, batch, ctx, sampling),
  };
  const eps = def.sample(p, s);
  if (def.update !== undefined && state !== undefined) {
    const update = def.update;
    sampling.updates.push((grads) => [path, update(p, state, grads, at, taken)]);
  }
  return eps;
}

defineSource<PerturbedGrad, ResolvedSource & { perturbation: ResolvedPerturbation }>({
  kind: 'perturbed',
  perturbations: ['perturbation'],
  make: (f) => perturbedGrad(f['perturbation'] as Perturbation),
  resolve: (_node, r) => ({ perturbation: r.perturbation('perturbation') }),
  evaluate: (node, params, batch, ctx) => {
    const sampling: Sampling = { evals: 0, clean: undefined, updates: [] };
    const eps = sampleAt(node.perturbation, node.path, params, params, batch, ctx, sampling);
    const { value, grads } = ctx.gradient(perturb(params, eps), batch);
    const state = Object.fromEntries(sampling.updates.map((u) => u(grads)));
    const c = sampling.clean;
    return { grads, loss: c?.loss ?? value, at: c === undefined ? 'w+ε' : 'w', state, gradEvals: sampling.evals + 1 };
  },
  describe: (node, d) => `∇L(${d.perturbation(node.perturbation)})`,
  cost: (node, c) => {
    const p = c.perturbation(node.perturbation);
    return { clean: new Set(p.clean ? [c.batch] : []), other: 1 + p.gradients - (p.clean ? 1 : 0), depth: 1 + p.depth };
  },
});

/** perturbedGrad(p): ∇L(w + ε; B), with ε drawn by the perturbation p (filterNoise, adaptiveFilterNoise, adversarial, or one you define). */
export function perturbedGrad(perturbation: Perturbation): PerturbedGrad {
  if (!isPerturbation(perturbation)) {
    throw new TypeError(`perturbedGrad: perturbation must be filterNoise(…), adaptiveFilterNoise(…), adversarial(…) or a kind made with definePerturbation, got ${JSON.stringify(perturbation)}`);
  }
  return Object.freeze({ kind: 'perturbed', perturbation });
}
