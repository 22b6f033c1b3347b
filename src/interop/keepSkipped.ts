import * as tf from '@tensorflow/tfjs-core';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor);

/** Whether x is keyed exactly by the parameter names with a tensor at each: a per-parameter subtree of a state (momentum, m, v). */
const likeParams = (x: Record<string, unknown>, names: readonly string[]): boolean =>
  names.length > 0 && Object.keys(x).length === names.length && names.every((n) => x[n] instanceof tf.Tensor);

/**
 * keepSkipped(before, after, names, skip): `after` with the entries of the skipped parameters taken from `before` in every
 * per-parameter subtree (tf.train leaves a variable without a gradient and its accumulators alone). Counters move on.
 */
export function keepSkipped<T>(before: T, after: T, names: readonly string[], skip: ReadonlySet<string>): T {
  if (skip.size === 0) return after;
  const walk = (b: unknown, a: unknown): unknown => {
    if (Array.isArray(a)) return a.map((x, i) => walk(Array.isArray(b) ? b[i] : undefined, x));
    if (!isRecord(a)) return a;
    if (likeParams(a, names) && isRecord(b) && likeParams(b, names)) return Object.fromEntries(names.map((n) => [n, skip.has(n) ? b[n] : a[n]]));
    return Object.fromEntries(Object.entries(a).map(([k, x]) => [k, walk(isRecord(b) ? b[k] : undefined, x)]));
  };
  return walk(before, after) as T;
}
