import * as tf from '@tensorflow/tfjs-core';
import { OptimixError } from '../errors.js';
import { scheduleFromSpec, type ScheduleSpec } from '../schedule.js';
import { constructorKind, paramName, specOf, transforms } from './define.js';
import type { AnyTransformation } from './types.js';
import { exceptBiasesAndNorms } from './addDecayedWeights.js';

/** The library's named predicates (masks), saved by name: `{ function: 'exceptBiasesAndNorms' }`. */
const NAMED: Readonly<Record<string, unknown>> = { exceptBiasesAndNorms };
const nameOf = (f: unknown): string | undefined => Object.keys(NAMED).find((k) => NAMED[k] === f);

/** A transform that cannot be saved: made without a registered constructor, or holding a custom function. */
export class UnregisteredPartError extends OptimixError {}

/** The JSON form of a transform: its kind, its arguments, and the defining module for kinds outside optimix. */
export interface TransformJSON {
  /** The registered kind. */
  readonly transform: string;
  /** The constructor's arguments as JSON (schedules `{ schedule }`, transforms nested, constructors `{ constructor }`). */
  readonly args: readonly unknown[];
  /** The module that defines the kind (absent for optimix's own). */
  readonly module?: string;
}

const isPlain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor);
const isTransform = (x: unknown): boolean => isPlain(x) && typeof x['init'] === 'function' && typeof x['update'] === 'function';

/** trimArgs(args): the arguments without trailing undefined or empty options objects (sgd(0.1) and sgd(0.1, {}) are one rule). */
export function trimArgs(args: readonly unknown[]): readonly unknown[] {
  let n = args.length;
  while (n > 0 && (args[n - 1] === undefined || (isPlain(args[n - 1]) && Object.keys(args[n - 1] as object).length === 0))) n--;
  return args.slice(0, n);
}

function valueJSON(v: unknown, where: string): unknown {
  if (v === undefined) return null;
  if (typeof v === 'function') {
    const kind = constructorKind(v);
    if (kind !== undefined) return { constructor: kind };
    const named = nameOf(v);
    if (named !== undefined) return { function: named };
    const spec = (v as { spec?: ScheduleSpec }).spec;
    if (spec !== undefined) return { schedule: spec };
    throw new UnregisteredPartError(
      `toJSON: ${where} is a custom function; only schedules made by optimix, masks given as names, trees of booleans or exceptBiasesAndNorms, and constructors made by defineTransform can be saved`,
    );
  }
  if (v instanceof tf.Tensor) throw new UnregisteredPartError(`toJSON: ${where} is a tensor; give it as numbers`);
  if (isTransform(v)) return transformJSON(v as AnyTransformation, where);
  if (Array.isArray(v)) return v.map((x, i) => valueJSON(x, `${where}[${i}]`));
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, valueJSON(x, `${where}.${k}`)]));
  if (typeof v === 'number' && !Number.isFinite(v)) return { number: String(v) };
  return v;
}

/** transformJSON(t, where): the JSON of a transform made by registered constructors; an UnregisteredPartError names the first part that is not. */
export function transformJSON(t: AnyTransformation, where = 'the transform'): TransformJSON {
  const spec = specOf(t);
  if (spec === undefined) {
    throw new UnregisteredPartError(
      `toJSON: ${where} was not made by a registered constructor (it is a bare { init, update }); make its constructor with defineTransform(name, constructor) to save it. Known kinds: ${transforms.kinds().join(', ')}`,
    );
  }
  const def = transforms.get(spec.kind, 'toJSON');
  const args = trimArgs(spec.args).map((a, i) => valueJSON(a, `${spec.kind}.${paramName(def, i)}`));
  return def.module !== undefined ? { transform: spec.kind, args, module: def.module } : { transform: spec.kind, args };
}

/** isTransformJSON(x): whether x is shaped like a transform's JSON. */
export const isTransformJSON = (x: unknown): x is TransformJSON => isPlain(x) && typeof x['transform'] === 'string' && Array.isArray(x['args']);

function valueFrom(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(valueFrom);
  if (isTransformJSON(v)) return transformFromJSON(v);
  if (isPlain(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'schedule') return scheduleFromSpec(v['schedule'] as ScheduleSpec);
    if (keys.length === 1 && keys[0] === 'constructor' && typeof v['constructor'] === 'string') return transforms.get(v['constructor'], 'fromJSON').make;
    if (keys.length === 1 && keys[0] === 'number' && typeof v['number'] === 'string') return Number(v['number']);
    if (keys.length === 1 && keys[0] === 'function' && typeof v['function'] === 'string') {
      const f = NAMED[v['function']];
      if (f === undefined) throw new TypeError(`fromJSON: unknown named function '${v['function']}'; known: ${Object.keys(NAMED).join(', ')}`);
      return f;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, valueFrom(x)]));
  }
  return v;
}

/** transformFromJSON(json): the transform `transformJSON` wrote, rebuilt through its kinds' validating constructors. */
export function transformFromJSON(json: unknown): AnyTransformation {
  if (!isTransformJSON(json)) throw new TypeError(`fromJSON: not a serialized transform (expected { transform, args }): ${JSON.stringify(json)}`);
  const def = transforms.get(json.transform, 'fromJSON', json.module);
  return def.make(...json.args.map((a) => (a === null ? undefined : valueFrom(a))));
}
