import type { Optimizer } from '../optimizer.js';
import type { AnyTransformation } from '../transform/types.js';

/** What a law can test: an optimizer (source + transform, run with `step`) or a bare gradient transformation. */
export type Subject = Optimizer | AnyTransformation;

/** isOptimizer(x): whether x is an optimizer made by `optimizer(source, transform)` rather than a bare transformation. */
export function isOptimizer(x: unknown): x is Optimizer {
  return typeof x === 'object' && x !== null && 'source' in x && 'transform' in x && typeof (x as { init?: unknown }).init === 'function';
}

/** isTransformation(x): whether x has the `{ init, update }` shape of a gradient transformation. */
export function isTransformation(x: unknown): x is AnyTransformation {
  return typeof x === 'object' && x !== null && typeof (x as { init?: unknown }).init === 'function' && typeof (x as { update?: unknown }).update === 'function';
}

