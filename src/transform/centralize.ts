import * as tf from '@tensorflow/tfjs-core';
import { map, reductionAxes } from '../tree.js';
import { all, knownKeys, num, orThrow } from '../validate.js';
import { stateless, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/**
 * centralize({ axis = 0 }): gradient centralization (Yong et al. 2020): a leaf of rank ≥ 2 loses its mean over every axis
 * but `axis`, u ↦ u − mean(u); rank ≤ 1 passes through. The default keeps axis 0, as optax.centralize (PyTorch's output
 * axis); `centralize({ axis: -1 })` centralizes each output filter of tfjs's `[in, out]` and `[kh, kw, in, out]`, the paper's.
 */
export const centralize = defineTransform('centralize', function centralize(options: { readonly axis?: number } = {}): GradientTransformation<null> {
  const { axis = 0 } = options;
  orThrow(all({ options: knownKeys(options, ['axis']), axis: num('axis', axis, { test: (x) => Number.isInteger(x), says: 'must be an integer' }) }), 'centralize');
  return stateless((u) => map(u, (x) => (x.rank > 1 ? tf.sub(x, tf.mean(x, reductionAxes(x, axis), true)) : x)));
});
