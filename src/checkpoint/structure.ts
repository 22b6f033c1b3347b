import * as tf from '@tensorflow/tfjs-core';
import { fromWords, isKey } from '../random.js';
import { isStoredDtype, type Json, type StoredDtype } from './format.js';

/** One step of a path into a state structure: an object key or an array index. */
export type PathSegment = string | number;

/** A tensor met while encoding a structure: its name (a JSON pointer to where it was first met) and path. */
export interface TensorRef {
  readonly name: string;
  readonly path: readonly PathSegment[];
  readonly tensor: tf.Tensor;
}

/** pointer(path): the RFC 6901 JSON pointer of a path (`/state/transform/0/momentum/dense~1kernel`): unambiguous for any key. */
export function pointer(path: readonly PathSegment[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** pathText(path): a path as JavaScript reads it, for messages: `state.transform[0].momentum['dense/kernel']`. */
export function pathText(path: readonly PathSegment[]): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `[${JSON.stringify(s).replace(/^"|"$/g, "'")}]`))
    .join('');
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
};

/** A key that `make` in random.ts built: a frozen pair of uint32 words. Plain (unfrozen) number pairs stay arrays. */
const isFrozenKey = (x: unknown): x is readonly [number, number] => isKey(x) && Object.isFrozen(x);

/** Encoding context: the tensors met so far (each stored once; aliases refer to the first name) and every problem. */
export interface EncodeContext {
  readonly tensors: TensorRef[];
  readonly names: Map<tf.Tensor, string>;
  readonly problems: string[];
}

/** newContext(): an empty encoding context. */
export const newContext = (): EncodeContext => ({ tensors: [], names: new Map(), problems: [] });

/**
 * encode(value, path, ctx): the JSON skeleton of a state structure. Tensors become `{ $tensor: name }` (recorded in ctx, data
 * not read), a key `{ $key: [hi, lo] }`, NaN/±Infinity/−0 `{ $number: "NaN" }`, objects with `$`-keys `{ $object: … }`.
 * Anything that is not plain data (functions, class instances, undefined) is a problem named by its path.
 */
export function encode(value: unknown, path: readonly PathSegment[], ctx: EncodeContext): Json {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) {
      ctx.problems.push(`${pathText(path)} is a disposed tensor`);
      return null;
    }
    if (!isStoredDtype(value.dtype)) {
      ctx.problems.push(`${pathText(path)} has dtype ${value.dtype}; a checkpoint stores float32, int32 and bool tensors`);
      return null;
    }
    const seen = ctx.names.get(value);
    if (seen !== undefined) return { $tensor: seen };
    const name = pointer(path);
    ctx.names.set(value, name);
    ctx.tensors.push({ name, path: [...path], tensor: value });
    return { $tensor: name };
  }
  if (isFrozenKey(value)) return { $key: [value[0], value[1]] };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $number: 'NaN' };
    if (value === Infinity || value === -Infinity) return { $number: String(value) };
    if (Object.is(value, -0)) return { $number: '-0' };
    return value;
  }
  if (typeof value === 'boolean' || typeof value === 'string' || value === null) return value;
  if (Array.isArray(value)) return value.map((v, i) => encode(v, [...path, i], ctx));
  if (isPlainObject(value)) {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, [...path, k], ctx);
    return Object.keys(value).some((k) => k.startsWith('$')) ? { $object: out } : out;
  }
  const what = typeof value === 'object' ? `an instance of ${(value as object).constructor?.name ?? 'a class'}` : typeof value;
  ctx.problems.push(`${pathText(path)} is ${what}; optimizer state must be plain data (tensors, numbers, booleans, strings, null, arrays, objects)`);
  return null;
}

/** The tag of a tagged skeleton node (`$tensor`, `$key`, `$number`, `$object`), or undefined for plain JSON. */
function tagOf(node: Json): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && (keys[0] as string).startsWith('$') ? keys[0] : undefined;
}

const NUMBERS: Readonly<Record<string, number>> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };

/**
 * decode(skeleton, tensor, path, problems): the value a skeleton describes; `tensor(name)` gives the tensor for a reference
 * (the same object for the same name, so aliases stay aliases). Malformed nodes are problems named by path.
 */
export function decode(node: Json, tensor: (name: string, path: readonly PathSegment[]) => tf.Tensor | null, path: readonly PathSegment[], problems: string[]): unknown {
  const tag = tagOf(node);
  if (tag !== undefined) {
    const v = (node as Record<string, Json>)[tag] as Json;
    switch (tag) {
      case '$tensor':
        if (typeof v !== 'string') break;
        return tensor(v, path);
      case '$key':
        if (!Array.isArray(v) || !isKey(v)) break;
        return fromWords(v as unknown as readonly [number, number]);
      case '$number':
        if (typeof v !== 'string' || !(v in NUMBERS)) break;
        return NUMBERS[v];
      case '$object': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) break;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = decode(x, tensor, [...path, k], problems);
        return out;
      }
    }
    problems.push(`${pathText(path)}: malformed ${tag} entry ${JSON.stringify(node)} in the manifest`);
    return null;
  }
  if (Array.isArray(node)) return node.map((x, i) => decode(x, tensor, [...path, i], problems));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(node)) out[k] = decode(x, tensor, [...path, k], problems);
    return out;
  }
  return node;
}

/** Shape and dtype of a tensor, as kinds() needs them. */
export interface TensorInfo {
  readonly shape: readonly number[];
  readonly dtype: StoredDtype | string;
}

/** tensorKind(info): `float32[3,2]`. */
export const tensorKind = (t: TensorInfo): string => `${t.dtype}[${t.shape.join(',')}]`;

/**
 * kinds(skeleton, infos, path): every leaf of a skeleton with its kind — `float32[3,2]`, `number`, `boolean`, `string`, `null`,
 * `key`, `[]`/`{}` for empty containers — keyed by its path text. Used to compare two states' structures.
 */
export function kinds(node: Json, infos: ReadonlyMap<string, TensorInfo>, path: readonly PathSegment[], out = new Map<string, string>()): Map<string, string> {
  const tag = tagOf(node);
  const here = pathText(path);
  if (tag === '$tensor') {
    const info = infos.get(String((node as Record<string, Json>)['$tensor']));
    out.set(here, info === undefined ? 'tensor (unknown)' : tensorKind(info));
  } else if (tag === '$key') out.set(here, 'key');
  else if (tag === '$number') out.set(here, 'number');
  else if (tag === '$object') kinds((node as Record<string, Json>)['$object'] as Json, infos, path, out);
  else if (Array.isArray(node)) {
    if (node.length === 0) out.set(here, '[]');
    node.forEach((x, i) => kinds(x, infos, [...path, i], out));
  } else if (typeof node === 'object' && node !== null) {
    const entries = Object.entries(node);
    if (entries.length === 0) out.set(here, '{}');
    for (const [k, x] of entries) kinds(x, infos, [...path, k], out);
  } else out.set(here, node === null ? 'null' : typeof node);
  return out;
}

/** compareKinds(expected, actual, what): every path missing from actual, extra in actual, or of another kind/shape/dtype. */
export function compareKinds(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>, expectedWhat: string, actualWhat: string): string[] {
  const problems: string[] = [];
  for (const [p, k] of expected) {
    const a = actual.get(p);
    if (a === undefined) problems.push(`missing ${p} (${k}): ${expectedWhat} has it, ${actualWhat} does not`);
    else if (a !== k) {
      const bothTensors = /\[/.test(a) && /\[/.test(k);
      problems.push(`${bothTensors ? 'wrong shape or dtype' : 'wrong kind'}: ${p} is ${a} in ${actualWhat}, ${k} in ${expectedWhat}`);
    }
  }
  for (const [p, a] of actual) if (!expected.has(p)) problems.push(`extra ${p} (${a}): in ${actualWhat}, not in ${expectedWhat}`);
  return problems;
}

/** infosOf(refs): shape and dtype of each encoded tensor, by name. */
export const infosOf = (refs: readonly TensorRef[]): Map<string, TensorInfo> => new Map(refs.map((r) => [r.name, { shape: r.tensor.shape, dtype: r.tensor.dtype }]));
