import * as tf from '@tensorflow/tfjs-core';

/**
 * stateShape(value): the structure of a state as path → kind ("float32[3,2]", "number", "null", …), without values.
 * Two states of the same rule on the same parameters have equal shapes.
 */
export function stateShape(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value instanceof tf.Tensor) out.set(path, `${value.dtype}[${value.shape.join(',')}]`);
  else if (Array.isArray(value)) {
    out.set(path, 'array');
    value.forEach((v, i) => stateShape(v, `${path}/${i}`, out));
  } else if (value !== null && typeof value === 'object') {
    out.set(path, 'object');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) stateShape(v, `${path}/${k}`, out);
  } else out.set(path, value === null ? 'null' : typeof value);
  return out;
}

/**
 * shapeDifferences(expected, actual, what): every path of `expected` that is missing from `actual` or of another kind
 * (at most `limit`). Extra paths are allowed: a rule's state may grow (a history buffer), but never loses or reshapes a part.
 */
export function shapeDifferences(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>, what: string, limit = 8): string[] {
  const out: string[] = [];
  for (const [p, k] of expected) {
    const a = actual.get(p);
    if (a === undefined) out.push(`${what}${p || '/'} is missing (expected ${k})`);
    else if (a !== k) out.push(`${what}${p || '/'} is ${a}, expected ${k}`);
  }
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}
