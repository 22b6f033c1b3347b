import { HyperparameterError } from '../errors.js';
import type { NameMask } from './masked.js';

/** A mask as optax takes one: a predicate on a leaf's name (and shape), or a tree of booleans keyed like the params. */
export type Mask = NameMask | Readonly<Record<string, boolean>>;

/** maskFn(where, mask): the mask as a predicate; checked now (a function, or an object of booleans), and a tree must name every leaf it is asked about. */
export function maskFn(where: string, mask: Mask): NameMask {
  if (typeof mask === 'function') return mask;
  const bad = typeof mask !== 'object' || mask === null ? ['mask'] : Object.entries(mask).filter(([, v]) => typeof v !== 'boolean').map(([n]) => `mask['${n}']`);
  if (bad.length > 0) throw new HyperparameterError(where, [`mask must be a function (name, x) => boolean or an object of booleans keyed by leaf name; ${bad.join(', ')} is not`]);
  return (name) => {
    const v = mask[name];
    if (v === undefined) throw new HyperparameterError(where, [`mask has no entry for parameter '${name}'`]);
    return v;
  };
}
