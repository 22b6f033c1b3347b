import * as tf from '@tensorflow/tfjs-core';
import { labelOf, type Hyper } from '../schedule.js';
import { bodyOf, constructorKind, specOf, transforms, type TransformFormatter } from './define.js';
import { trimArgs } from './json.js';
import type { AnyTransformation } from './types.js';

const num = (x: number): string => String(Number(x.toPrecision(12)));
const isTransform = (x: unknown): x is AnyTransformation => typeof x === 'object' && x !== null && typeof (x as { update?: unknown }).update === 'function';

/** The short printed form of an argument: numbers, schedules by label, options objects, transforms by kind. */
function argText(v: unknown): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'function') return constructorKind(v) ?? ((v as { label?: string }).label !== undefined ? labelOf(v as Hyper) : v.name !== '' ? v.name : '(a function)');
  if (v instanceof tf.Tensor) return `tensor[${v.shape.join(', ')}]`;
  if (isTransform(v)) return specOf(v)?.kind ?? '{ init, update }';
  if (Array.isArray(v)) return `[${v.map(argText).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${argText(x)}`).join(', ')} }`;
  return JSON.stringify(v) ?? String(v);
}

/** The transforms among a value's parts (chain members, masked's inner, partition's branches), in order. */
function transformsIn(v: unknown): AnyTransformation[] {
  if (isTransform(v)) return [v];
  if (Array.isArray(v)) return v.flatMap(transformsIn);
  if (typeof v === 'object' && v !== null && !(v instanceof tf.Tensor)) return Object.values(v).flatMap(transformsIn);
  return [];
}

/**
 * describeTransform(t, defs): the update a transform computes, one line per step of it, e.g.
 * `g ← g + 0.0001·w`, `m ← 0.9·m + g; g ← m`, `g ← −η_t·g`; schedules' definitions are appended to `defs`.
 */
export function describeTransform(t: AnyTransformation, defs: string[] = [], indent = ''): string[] {
  const seen = new Set<string>();
  const f: TransformFormatter = {
    num,
    hyper: (h, symbol) => {
      if (typeof h === 'number') return num(h);
      const line = `${symbol}_t = ${labelOf(h)}`;
      if (!seen.has(line) && !defs.includes(line)) defs.push(line);
      seen.add(line);
      return `${symbol}_t`;
    },
  };
  const spec = specOf(t);
  if (spec === undefined) return [`${indent}(an unregistered transform { init, update })`];
  const def = transforms.find(spec.kind);
  const args = trimArgs(spec.args);
  if (def?.formula !== undefined) return [`${indent}${def.formula(args, f)}   [${spec.kind}]`];
  const inner = bodyOf(t);
  const members = inner !== undefined ? [inner] : [...transformsIn(args), ...(def?.expand?.(args) ?? [])];
  if (def?.inline === true) return members.flatMap((m) => describeTransform(m, defs, indent));
  const header = `${indent}${spec.kind}(${args.map(argText).join(', ')})${members.length > 0 ? (inner !== undefined ? ' =' : ':') : ''}`;
  return [header, ...members.flatMap((m) => describeTransform(m, defs, `${indent}  `))];
}
