import { UnknownKindError } from '../registry.js';
import { scheduleFromSpec, type ScheduleSpec } from '../schedule.js';
import type { SourceNode } from './node.js';
import { isNode, isSource, perturbations, sources } from './registries.js';
import type { GradientSource } from './types.js';
import { nodeDef } from './walk.js';

/** A JSON form of a hyperparameter: a number, or a schedule made by optimix's schedule constructors. */
export type HyperJSON =
  | number
  | {
      /** The schedule's constructor and arguments. */
      readonly schedule: ScheduleSpec;
    };

const isMaskField = (field: string): boolean => field === 'mask' || field.endsWith('Mask');

function valueJSON(v: unknown, where: string, field: string): unknown {
  if (typeof v === 'function') {
    const spec = (v as { spec?: ScheduleSpec }).spec;
    if (spec !== undefined) return { schedule: spec };
    if (isMaskField(field)) throw new TypeError(`toJSON: ${where} is a predicate; give the mask as a list of names to serialize it`);
    throw new TypeError(`toJSON: ${where} is a custom function schedule; only schedules made by optimix (cosineDecay, cosineIncrease, …) can be serialized`);
  }
  if (Array.isArray(v)) return v.map((x, i) => valueJSON(x, `${where}[${i}]`, field));
  if (isNode(v)) return nodeJSON(v);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, valueJSON(x, `${where}.${k}`, k)]));
  return v;
}

function nodeJSON(node: SourceNode): unknown {
  const { def } = nodeDef(node, 'toJSON');
  const out: Record<string, unknown> = { kind: node.kind };
  for (const [k, v] of Object.entries(node)) if (k !== 'kind' && v !== undefined) out[k] = valueJSON(v, `${node.kind}.${k}`, k);
  if (def.module !== undefined) out['module'] = def.module;
  return out;
}

/** toJSON(source): a JSON-safe form of a gradient source (schedules by spec, masks as name lists, `module` for kinds defined outside optimix); throws on custom functions. */
export function toJSON(source: GradientSource): unknown {
  return nodeJSON(source);
}

function valueFrom(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(valueFrom);
  if (isNode(v)) return nodeFrom(v);
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'schedule') return scheduleFromSpec((v as { schedule: ScheduleSpec }).schedule);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, valueFrom(x)]));
  }
  return v;
}

function nodeFrom(j: { readonly kind: string }): SourceNode {
  const module = (j as { module?: unknown }).module;
  const def = sources.find(j.kind) ?? perturbations.find(j.kind);
  if (def === undefined) {
    throw new UnknownKindError(
      `fromJSON: unknown kind '${j.kind}'; ${typeof module === 'string' ? `import ${module} (it defines it) first` : 'import the module that defines it first'}. Known: ${[...sources.kinds(), ...perturbations.kinds()].join(', ')}`,
    );
  }
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(j)) if (k !== 'kind' && k !== 'module' && v !== null && v !== undefined) fields[k] = valueFrom(v);
  return def.make(fields) as SourceNode;
}

/** fromJSON(json): the gradient source `toJSON` wrote, rebuilt through the validating constructors of its kinds. */
export function fromJSON(json: unknown): GradientSource {
  if (!isNode(json)) throw new TypeError(`fromJSON: not a serialized gradient source: ${JSON.stringify(json)}`);
  const node = nodeFrom(json);
  if (!isSource(node)) throw new TypeError(`fromJSON: '${json.kind}' is a perturbation, not a gradient source; wrap it: perturbedGrad(…)`);
  return node;
}

function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x === 'function' && typeof y === 'function') {
    const [sx, sy] = [(x as { spec?: unknown }).spec, (y as { spec?: unknown }).spec];
    return sx !== undefined && JSON.stringify(sx) === JSON.stringify(sy);
  }
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => same(v, y[i]));
  if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null && !Array.isArray(x) && !Array.isArray(y)) {
    const [rx, ry] = [x as Record<string, unknown>, y as Record<string, unknown>];
    const keys = new Set([...Object.keys(rx), ...Object.keys(ry)]);
    return [...keys].every((k) => same(rx[k], ry[k]));
  }
  return false;
}

/** equals(a, b): whether two sources compute the same thing (same kinds, structure, hyperparameters, masks; schedules by spec, other functions by identity). */
export function equals(a: GradientSource, b: GradientSource): boolean {
  return same(a, b);
}
