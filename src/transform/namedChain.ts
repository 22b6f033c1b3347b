import * as tf from '@tensorflow/tfjs-core';
import { HyperparameterError } from '../errors.js';
import type { Tree } from '../tree.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** namedChain([name, t]…): chain(t₁, …, tₙ) whose state is keyed by the names, so `state.name` reads one member's state (optax.named_chain). Names must be unique. */
export const namedChain = defineTransform('namedChain', function namedChain(...members: readonly (readonly [string, AnyTransformation])[]): GradientTransformation<{ readonly [name: string]: State }> {
  const problems: string[] = [];
  const seen = new Set<string>();
  members.forEach((m, i) => {
    if (!Array.isArray(m) || typeof m[0] !== 'string' || typeof m[1]?.update !== 'function') problems.push(`member ${i} must be a [name, transform] pair`);
    else if (seen.has(m[0])) problems.push(`member ${i}: the name '${m[0]}' is used twice (names must be unique)`);
    else seen.add(m[0]);
  });
  if (problems.length > 0) throw new HyperparameterError('namedChain', problems);
  return {
    init: (params) => Object.fromEntries(members.map(([n, t]) => [n, t.init(params) as State])),
    update: (updates, state, params) =>
      tf.tidy(() => {
        let u: Tree = updates;
        const next: Record<string, State> = {};
        for (const [n, t] of members) {
          const [v, s] = t.update(u, state[n] as State, params);
          u = v;
          next[n] = s as State;
        }
        return [u, next] as unknown as tf.TensorContainer;
      }) as unknown as readonly [Tree, { readonly [name: string]: State }],
    handlesNonFinite: members[0]?.[1].handlesNonFinite === true,
  };
});
