import * as tf from '@tensorflow/tfjs-core';

/**
 * stateShape(value): the structure of a state as path → kind ("float32[3,2]", "number", "null", …), without values.
 * Two states of the same rule on the same parameters have equal shapes.
 */
export function stateShape(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value instanceof tf.Tensor) out.set(path, `${value.isDisposed ? 'disposed ' : ''}${value.dtype}[${value.shape.join(',')}]`);
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
 * shapeDifferences(expected, actual, what, leafNames): every path of `expected` missing from `actual`, of another kind,
 * or disposed, and every path of `actual` that `expected` lacks — a parameter the params do not have, or another
 * rule's state — except below a container that is empty in `expected` (a rule's state may grow there: a history
 * buffer). At most `limit` problems.
 */
export function shapeDifferences(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>, what: string, leafNames: readonly string[] = [], limit = 8): string[] {
  const out: string[] = [];
  for (const [p, k] of expected) {
    const a = actual.get(p);
    if (a === undefined) out.push(`${what}${p || '/'} is missing (expected ${k})`);
    else if (a === `disposed ${k}`) out.push(`${what}${p || '/'} is a disposed tensor (a state is used up once a step or train replaces it: pass the state the last step returned)`);
    else if (a !== k) out.push(`${what}${p || '/'} is ${a}, expected ${k}`);
  }
  const parent = (p: string): string => p.slice(0, p.lastIndexOf('/'));
  const childrenOf = (m: ReadonlyMap<string, string>, p: string): string[] => [...m.keys()].filter((c) => c !== p && parent(c) === p).map((c) => c.slice(p.length + 1));
  const names = new Set(leafNames);
  const reported: string[] = [];
  for (const p of actual.keys()) {
    if (expected.has(p) || reported.some((r) => p.startsWith(`${r}/`))) continue;
    let up = parent(p);
    while (!expected.has(up) && up !== '') up = parent(up);
    if (!expected.has(up) || childrenOf(expected, up).length === 0) continue; // below a growing container
    reported.push(p);
    const name = p.slice(up.length + 1).split('/')[0]!;
    const siblings = childrenOf(expected, up);
    out.push(
      names.size > 0 && siblings.every((c) => names.has(c))
        ? `${what}${up}/${name} is a state for a parameter '${name}' that the params do not have (params: ${[...names].map((n) => `'${n}'`).join(', ')})`
        : `${what}${up}/${name} is not part of this optimizer's state (is it another rule's state?)`,
    );
  }
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}
