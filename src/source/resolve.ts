import { HyperparameterError } from '../errors.js';
import { isSchedule, valueAt, type Hyper } from '../schedule.js';
import { checkValue, type Rule } from '../validate.js';
import type { ResolvedPerturbation, ResolvedSource, Resolver, SourceNode } from './node.js';
import type { LeafMask } from './types.js';
import { perturbationDef, sourceDef } from './walk.js';

export { statefulPaths, isStateless } from './walk.js';

/** Node paths: the root is `g`; a child in field f of the node at p is at `p.f` (mix: `<path>.a`, `<path>.b`). Source state is keyed by path. */
export const ROOT_PATH = 'g';

/** The params' shapes by leaf name (shape and rank, no values): what resolving a node needs to know of the params. */
export type Shapes = Resolver['params'];

/** selectNames(mask, params): the leaf names a mask selects (all when no mask), in the params' order. */
export function selectNames(mask: LeafMask | undefined, params: Shapes): string[] {
  const names = Object.keys(params);
  if (mask === undefined) return names;
  if (typeof mask === 'function') return names.filter((n) => mask(n, params[n] as { shape: number[]; rank: number }));
  const unknown = mask.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new RangeError(`perturbation mask names leaves the parameters do not have: ${unknown.join(', ')}`);
  return names.filter((n) => mask.includes(n));
}

const resolver = (node: SourceNode, step: number, params: Shapes, path: string): Resolver => {
  const rec = node as unknown as Record<string, unknown>;
  return {
    step,
    path,
    params,
    hyper: (where: string, name: string, h: Hyper, rule: Rule) => checkValue(where, name, valueAt(h, step), rule, step),
    names: (mask: unknown) => selectNames(mask as LeafMask | undefined, params),
    source: (field: string) => resolve(rec[field] as SourceNode, step, params, `${path}.${field}`),
    perturbation: (field: string) => resolvePerturbation(rec[field] as SourceNode, step, params),
  };
};

/**
 * defaultFields(node, def, r): the generic instantiation — child sources and perturbations resolved, schedules at the step,
 * `mask` as the leaf `names`; when a schedule was evaluated, the values are checked again through the kind's `make`.
 */
function defaultFields(node: SourceNode, def: { readonly sources?: readonly string[]; readonly perturbations?: readonly string[]; readonly make: (f: Record<string, unknown>) => unknown }, r: Resolver, withNames: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let scheduled = false;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'kind' || k === 'mask') continue;
    if (def.sources?.includes(k) === true) out[k] = r.source(k);
    else if (def.perturbations?.includes(k) === true) out[k] = r.perturbation(k);
    else if (isSchedule(v)) {
      out[k] = valueAt(v, r.step);
      scheduled = true;
    } else out[k] = v;
  }
  if (scheduled) {
    const plain = Object.fromEntries(Object.entries(out).filter(([k]) => !(def.sources?.includes(k) === true || def.perturbations?.includes(k) === true)));
    try {
      def.make({ ...node, ...plain });
    } catch (e) {
      if (e instanceof HyperparameterError) throw new HyperparameterError(e.where, e.problems.map((p) => `${p}, from its schedule at step ${r.step}`));
      throw e;
    }
  }
  if (withNames) out['names'] = r.names((node as { mask?: unknown }).mask);
  return out;
}

/** resolvePerturbation(p, step, params): the perturbation instantiated for one step (plain JSON, no path). */
export function resolvePerturbation(p: SourceNode, step: number, params: Shapes): ResolvedPerturbation {
  const def = perturbationDef(p, 'perturbedGrad');
  const r = resolver(p, step, params, '');
  return { kind: p.kind, ...(def.resolve ? def.resolve(p, r) : defaultFields(p, def, r, true)) };
}

/** resolve(source, step, params): the source instantiated for one step — numbers for schedules, names for masks, a path on every node. */
export function resolve(source: SourceNode, step: number, params: Shapes, path = ROOT_PATH): ResolvedSource {
  const def = sourceDef(source, 'resolve');
  const r = resolver(source, step, params, path);
  return { kind: source.kind, path, ...(def.resolve ? def.resolve(source, r) : defaultFields(source, def, r, false)) };
}
