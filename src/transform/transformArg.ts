import { ok, problem, type Validation } from '../validate.js';
import type { AnyTransformation } from './types.js';

/** transformArg(name, x): x must be a gradient transformation `{ init, update }` (for combinators' arguments). */
export function transformArg(name: string, x: unknown): Validation<AnyTransformation> {
  const t = x as { init?: unknown; update?: unknown } | null;
  return typeof t === 'object' && t !== null && typeof t.init === 'function' && typeof t.update === 'function'
    ? ok(x as AnyTransformation)
    : problem(`${name} must be a gradient transformation { init, update }, got ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`);
}
