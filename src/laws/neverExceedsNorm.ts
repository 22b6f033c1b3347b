import fc from 'fast-check';
import type { AnyTransformation } from '../transform/types.js';
import { arbParamsAndGrads, type ParamsAndGrads } from './arbitraries.js';
import { normOf } from './compare.js';
import type { StreamOptions } from './equivalent.js';
import { law, violated, type Law } from './law.js';
import { runTransform } from './run.js';
import { lawOptions, STREAM_KEYS } from './options.js';

/** The default gradient values of `neverExceedsNorm`: large enough that clipping happens. */
const LARGE = { min: -1000, max: 1000 } as const;

/**
 * neverExceedsNorm(t, m): every update t outputs has global L2 norm ≤ m — the norm taken in float64 of the float32 updates,
 * with no tolerance (a clipping rule must leave its own margin for rounding). Or neverExceedsNorm(m => t(m), arbitrary of m).
 */
export function neverExceedsNorm(t: AnyTransformation, maxNorm: number, options?: StreamOptions): Law<[unknown]>;
export function neverExceedsNorm(t: (maxNorm: number) => AnyTransformation, maxNorm: fc.Arbitrary<number>, options?: StreamOptions): Law<[unknown]>;
export function neverExceedsNorm(
  t: AnyTransformation | ((maxNorm: number) => AnyTransformation),
  maxNorm: number | fc.Arbitrary<number>,
  options: StreamOptions = {},
): Law<[unknown]> {
  lawOptions('neverExceedsNorm', options, STREAM_KEYS);
  const ms = typeof maxNorm === 'number' ? fc.constant(maxNorm) : maxNorm;
  const streams = arbParamsAndGrads({ ...options, grads: options.grads ?? options.tree ?? LARGE });
  return law('never exceeds the norm bound', fc.tuple(ms, streams), ([m, input]: [number, ParamsAndGrads]) => {
    const rule = typeof t === 'function' ? t(m) : t;
    const run = runTransform(rule, input.params, input.stream, { apply: options.apply ?? true });
    run.updates.forEach((u, i) => {
      const n = normOf(u);
      if (!(n <= m)) violated(`step ${i}: the update's global norm is ${n}, above the bound ${m} (by ${n - m})`);
    });
  }) as Law<[unknown]>;
}
