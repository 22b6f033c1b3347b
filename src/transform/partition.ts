import * as tf from '@tensorflow/tfjs-core';
import { HyperparameterError } from '../errors.js';
import type { Tree } from '../tree.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** A label per parameter: a function of its name (and shape), or a tree of labels keyed like the params. */
export type ParamLabels = ((name: string, x: { readonly shape: readonly number[]; readonly rank: number }) => string) | Readonly<Record<string, string>>;

/** State of `partition`: each label's transform state, over that label's leaves only. */
export interface PartitionState {
  /** Label → the state of its transform (holding only the leaves with that label). */
  readonly innerStates: { readonly [label: string]: State };
  readonly [k: string]: State;
}

const pick = (t: Tree, keep: readonly string[]): Tree => Object.fromEntries(keep.map((n) => [n, t[n]])) as Tree;

/**
 * partition(transforms, paramLabels): transforms[label] on the leaves with that label, each on its own leaves and with
 * its own state (optax.partition, formerly multi_transform). Every label must have a transform; every leaf a label.
 */
export const partition = defineTransform('partition', function partition(transforms: Readonly<Record<string, AnyTransformation>>, paramLabels: ParamLabels): GradientTransformation<PartitionState> {
  if (typeof transforms !== 'object' || transforms === null || Object.keys(transforms).length === 0) {
    throw new HyperparameterError('partition', [`transforms must be a non-empty object of label → transform, got ${String(transforms)}`]);
  }
  const bad = Object.entries(transforms).filter(([, t]) => typeof t?.init !== 'function' || typeof t?.update !== 'function');
  if (bad.length > 0) throw new HyperparameterError('partition', bad.map(([l]) => `transforms['${l}'] must be a gradient transformation { init, update }`));
  if (typeof paramLabels !== 'function' && (typeof paramLabels !== 'object' || paramLabels === null)) {
    throw new HyperparameterError('partition', [`paramLabels must be a function of the name or an object of labels, got ${String(paramLabels)}`]);
  }
  const labels = Object.keys(transforms);
  const groups = (tree: Tree): Record<string, string[]> => {
    const out: Record<string, string[]> = Object.fromEntries(labels.map((l) => [l, []]));
    const problems: string[] = [];
    for (const n of Object.keys(tree)) {
      const label = typeof paramLabels === 'function' ? paramLabels(n, tree[n] as Tree[string]) : paramLabels[n];
      if (label === undefined) problems.push(`paramLabels has no label for parameter '${n}'`);
      else if (!(label in out)) problems.push(`paramLabels gives parameter '${n}' the label '${label}', which has no transform (labels: ${labels.join(', ')})`);
      else out[label]!.push(n);
    }
    if (problems.length > 0) throw new HyperparameterError('partition', problems);
    return out;
  };
  return {
    init: (params) => {
      const g = groups(params);
      return { innerStates: Object.fromEntries(labels.map((l) => [l, transforms[l]!.init(pick(params, g[l]!)) as State])) };
    },
    update: (updates, state, params) =>
      tf.tidy(() => {
        const g = groups(params);
        const out: Record<string, Tree[string]> = { ...updates };
        const next: Record<string, State> = {};
        for (const l of labels) {
          const [u, s] = transforms[l]!.update(pick(updates, g[l]!), state.innerStates[l] as State, pick(params, g[l]!));
          for (const n of g[l]!) out[n] = u[n] as Tree[string];
          next[l] = s as State;
        }
        return [out, { innerStates: next }] as unknown as tf.TensorContainer;
      }) as unknown as readonly [Tree, PartitionState],
  };
});
