import * as tf from '@tensorflow/tfjs-core';
import { map, zipWith, zerosLike, type Tree } from '../tree.js';
import { all, bool, knownKeys, num, orThrow, rules } from '../validate.js';
import { transformation, type GradientTransformation } from './types.js';
import { defineTransform } from './define.js';

/** trace({ decay, nesterov = false }): m ← decay·m + u; output m, or u + decay·m with Nesterov (as torch.optim.SGD and tf.train.momentum). */
export const trace = defineTransform('trace', function trace(options: { readonly decay: number; readonly nesterov?: boolean }): GradientTransformation<{
  /** The momentum m, named like the params. */
  readonly momentum: Tree;
}> {
  const { decay, nesterov = false } = options;
  orThrow(all({ options: knownKeys(options, ['decay', 'nesterov']), decay: num('momentum', decay, rules.unitOpen), nesterov: bool('nesterov', nesterov) }), 'trace');
  return transformation(
    (params) => ({ momentum: zerosLike(params) }),
    (u, { momentum }) => {
      const m = zipWith(momentum, u, (mi, ui) => tf.add(tf.mul(mi, decay), ui));
      const out = nesterov ? zipWith(u, m, (ui, mi) => tf.add(ui, tf.mul(mi, decay))) : map(m, (x) => x);
      return [out, { momentum: m }];
    },
  );
}, { params: ['options'], formula: ([o], f) => { const { decay, nesterov } = o as { decay: number; nesterov?: boolean }; return `m ← ${f.num(decay)}·m + g; g ← ${nesterov === true ? `g + ${f.num(decay)}·m (Nesterov)` : 'm'}`; } });
