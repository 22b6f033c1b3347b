import * as tf from '@tensorflow/tfjs-core';
import { definePerturbation } from '../source/define.js';
import type { ResolvedPerturbation, SourceNode } from '../source/node.js';
import { isPerturbation } from '../source/registries.js';
import type { Perturbation } from '../source/types.js';
import type { Tree } from '../tree.js';

/** ε = ε₁ + ε₂, the second computed at w + ε₁. */
export interface Nested extends SourceNode {
  readonly kind: 'nested';
  /** ε₁, computed at the starting point w. */
  readonly first: Perturbation;
  /** ε₂, computed at w + ε₁. */
  readonly second: Perturbation;
}

const plus = (a: Tree, b: Tree): Tree => {
  const out: Record<string, tf.Tensor> = { ...a };
  for (const [n, e] of Object.entries(b)) out[n] = a[n] === undefined ? e : tf.add(a[n] as tf.Tensor, e);
  return out;
};

definePerturbation<Nested, ResolvedPerturbation & { first: ResolvedPerturbation; second: ResolvedPerturbation }>({
  kind: 'nested',
  perturbations: ['first', 'second'],
  make: (f) => nested(f['first'] as Perturbation, f['second'] as Perturbation),
  resolve: (_p, r) => ({ first: r.perturbation('first'), second: r.perturbation('second') }),
  describe: (p, d) => {
    const [e1, e2] = [`${d.eps}⁽¹⁾`, `${d.eps}⁽²⁾`];
    return `${d.eps} = ${e1} + ${e2}, ${d.child(p.first, e1, d.from)}, ${d.child(p.second, e2, `${d.from}+${e1}`)}`;
  },
  sample: (_p, s) => {
    const e1 = s.sample('first', s.params);
    const at: Record<string, tf.Tensor> = { ...s.params };
    for (const [n, e] of Object.entries(e1)) at[n] = tf.add(s.params[n] as tf.Tensor, e);
    return plus(e1, s.sample('second', at));
  },
  cost: (p, child) => {
    const [a, b] = [child(p.first), child(p.second)];
    return { gradients: a.gradients + b.gradients, depth: a.depth + b.depth, clean: a.clean };
  },
});

/**
 * nested(first, second): ε = ε₁ + ε₂ with ε₁ drawn by `first` at w and ε₂ by `second` at w + ε₁ — e.g. random
 * smoothing before SAM's ascent, nested(filterNoise(σ), adversarial(ρ)): ε₂ = ρ·∇L(w+ε₁)/‖∇L(w+ε₁)‖ (RSAM, Liu et al. 2022).
 */
export function nested(first: Perturbation, second: Perturbation): Nested {
  const bad = [['first', first], ['second', second]].filter(([, p]) => !isPerturbation(p)).map(([n, p]) => `${String(n)} must be a perturbation (filterNoise(…), adversarial(…), …), got ${JSON.stringify(p)}`);
  if (bad.length > 0) throw new TypeError(`nested: ${bad.join('; ')}`);
  return Object.freeze({ kind: 'nested', first, second });
}
