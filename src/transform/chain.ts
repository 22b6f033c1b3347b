import * as tf from '@tensorflow/tfjs-core';
import type { Tree } from '../tree.js';
import type { AnyTransformation, GradientTransformation, State } from './types.js';
import { defineTransform } from './define.js';

/** chain(t₁, …, tₙ): apply t₁ then t₂ … then tₙ to the updates; state is the tuple of their states. A monoid with `identity` as unit. */
export const chain = defineTransform('chain', function chain(...transforms: readonly AnyTransformation[]): GradientTransformation<readonly State[]> {
  transforms.forEach((t, i) => {
    if (typeof t?.init !== 'function' || typeof t?.update !== 'function') throw new TypeError(`chain: argument ${i + 1} must be a gradient transformation { init, update }, got ${JSON.stringify(t)}`);
  });
  return {
    init: (params) => transforms.map((t) => t.init(params) as State),
    update: (updates, states, params) =>
      tf.tidy(() => {
        let u: Tree = updates;
        const next = transforms.map((t, i) => {
          const [v, s] = t.update(u, states[i], params);
          u = v;
          return s as State;
        });
        return [u, next] as unknown as tf.TensorContainer;
      }) as unknown as readonly [Tree, readonly State[]],
    // Only the first member sees the raw gradient: a NaN would reach the state of any member before applyIfFinite.
    handlesNonFinite: transforms[0]?.handlesNonFinite === true,
  };
}, { params: ['...transforms'], inline: true });
