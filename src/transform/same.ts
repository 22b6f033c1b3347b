import * as tf from '@tensorflow/tfjs-core';
import { specOf } from './define.js';
import { trimArgs } from './json.js';

const isPlain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor);

/**
 * sameValue(x, y): whether two hyperparameter values or transforms are the same data — transforms by kind and arguments,
 * schedules by spec, numbers by value (NaN equals NaN), other functions and tensors by identity.
 */
export function sameValue(x: unknown, y: unknown): boolean {
  if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return true;
  const [sx, sy] = [specOf(x), specOf(y)];
  if (sx !== undefined || sy !== undefined) return sx !== undefined && sy !== undefined && sx.kind === sy.kind && sameValue(trimArgs(sx.args), trimArgs(sy.args));
  if (typeof x === 'function' && typeof y === 'function') {
    const [a, b] = [(x as { spec?: unknown }).spec, (y as { spec?: unknown }).spec];
    return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
  }
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  if (isPlain(x) && isPlain(y)) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    return [...keys].every((k) => sameValue(x[k], y[k]));
  }
  return false;
}
