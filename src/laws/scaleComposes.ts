import fc from 'fast-check';
import { chain } from '../transform/chain.js';
import { scale } from '../transform/scale.js';
import type { AnyTransformation } from '../transform/types.js';
import { arbParamsAndGrads, arbScale, type ParamsAndGrads } from './arbitraries.js';
import type { Tolerance } from './compare.js';
import { sameRuns, type StreamOptions } from './equivalent.js';
import { law, type Law } from './law.js';
import { lawOptions, STREAM_KEYS } from './options.js';

/**
 * The default tolerance of `scaleComposes`: (x·a)·b rounds three times in float32 (a, x·a, ·b) and x·(a·b) twice
 * (a·b, x·ab), so they may differ by a few units in the last place, ≤ 6·2⁻²⁴ ≈ 3.6e-7 relative; 1e-6 leaves a margin.
 * atol 1e-30 absorbs subnormal results, whose relative precision is lower.
 */
export const SCALE_TOLERANCE: Tolerance = { rtol: 1e-6, atol: 1e-30 };

/** scaleComposes(scale): chain(scale(a), scale(b)) gives the updates of scale(a·b) on random streams, to float32 rounding (SCALE_TOLERANCE). */
export function scaleComposes(
  factory: (c: number) => AnyTransformation = scale,
  options: StreamOptions & { readonly tolerance?: Tolerance; readonly factors?: fc.Arbitrary<number> } = {},
): Law<[[number, number, ParamsAndGrads]]> {
  lawOptions('scaleComposes', options, [...STREAM_KEYS, 'tolerance', 'factors']);
  const factor = options.factors ?? arbScale();
  return law('scale(a) then scale(b) is scale(a·b)', fc.tuple(factor, factor, arbParamsAndGrads(options)), ([a, b, input]) =>
    sameRuns([[`scale(${a * b})`, factory(a * b)], [`chain(scale(${a}), scale(${b}))`, chain(factory(a), factory(b))]], input, options.tolerance ?? SCALE_TOLERANCE, options.apply ?? false),
  );
}
