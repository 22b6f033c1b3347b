import { labelOf, type Hyper } from '../schedule.js';
import { cost } from './cost.js';
import type { Describer, PerturbationDescriber, SourceNode } from './node.js';
import { perturbationDef, sourceDef } from './walk.js';
import { checkKeys } from '../validate.js';

const num = (x: number): string => String(Number(x.toPrecision(12)));
const sub = (i: number): string => String.fromCharCode(0x2081 + i);

function countPerturbations(s: SourceNode): number {
  const def = sourceDef(s, 'describe');
  const rec = s as unknown as Record<string, SourceNode>;
  return (def.perturbations ?? []).filter((f) => rec[f] !== undefined).length + (def.sources ?? []).reduce((n, f) => n + (rec[f] === undefined ? 0 : countPerturbations(rec[f] as SourceNode)), 0);
}

/**
 * describe(source, { cost = false }): the formula a gradient source computes, in plain text, e.g.
 * `0.5·∇L(w) + 0.5·∇L(w+ε), ε_i ~ N(0,(0.01·‖w_i‖)²)`; with `{ cost: true }` followed by `[2 gradients, depth 1]`.
 */
export function describe(source: SourceNode, options: { readonly cost?: boolean } = {}): string {
  checkKeys('describe', options, ['cost']);
  const defs: string[] = [];
  const many = countPerturbations(source) > 1;
  let eps = 0;
  let batches = 0;
  const hyper = (h: Hyper, symbol: string): string => {
    if (typeof h === 'number') return num(h);
    defs.push(`${symbol}_t = ${labelOf(h)}`);
    return `${symbol}_t`;
  };
  // `batch` (e.g. '; B_k') marks the gradients a perturbation takes as ones on that batch: ∇L(w; B_k), not ∇L(w).
  const perturbationText = (p: SourceNode, name: string, point: string, from: string, batch = ''): string => {
    const bare = (f: string): string => (batch === '' ? f : f.replace(batch, ''));
    const d: PerturbationDescriber = { eps: name, point, from: `${from}${batch}`, hyper, num, child: (c, e, f) => perturbationText(c, e, `${bare(f)}+${e}`, bare(f), batch) };
    return perturbationDef(p, 'describe').describe(p, d);
  };
  const describer = (batch: string): Describer => ({
    batch,
    source: (child, b = batch) => sourceDef(child, 'describe').describe(child, describer(b)),
    perturbation: (p) => {
      const one = many ? `ε${sub(eps++)}` : 'ε';
      const name = batch.endsWith('_k') ? `${one}_k` : one; // micro-batches: one ε per micro-batch B_k
      const point = `w+${name}${batch}`;
      defs.push(perturbationText(p, name, point, 'w', batch));
      return point;
    },
    hyper,
    num,
    define: (text) => void defs.push(text),
    splitBatch: (n) => Array.from({ length: n }, () => `; B${sub(batches++)}`),
  });
  const body = describer('').source(source);
  const text = defs.length === 0 ? body : `${body}, ${defs.join(', ')}`;
  if (options.cost !== true) return text;
  const c = cost(source);
  return `${text}  [${c.gradients} gradient${c.gradients === 1 ? '' : 's'}, depth ${c.depth}]`;
}
