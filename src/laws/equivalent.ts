import type { AnyTransformation } from '../transform/types.js';
import { arbParamsAndGrads, type ParamsAndGradsOptions } from './arbitraries.js';
import { compareTrees, type Tolerance } from './compare.js';
import { law, violated, type Law } from './law.js';
import { runTransform } from './run.js';
import type { ParamsAndGrads } from './arbitraries.js';
import { lawOptions, STREAM_KEYS } from './options.js';

/** Options shared by the laws that run transforms on random gradient streams. */
export interface StreamOptions extends ParamsAndGradsOptions {
  /** Add the updates to the params between steps (as `step` does); default true. */
  readonly apply?: boolean;
}

/** Options of `equivalent`. */
export interface EquivalentOptions extends StreamOptions {
  /** How updates are compared; default 'exact'. */
  readonly tolerance?: Tolerance;
  /** The law's name in reports. */
  readonly name?: string;
}

/** sameRuns(ts, input, tolerance): throw a LawViolation at the first step where the transforms' updates differ. */
export function sameRuns(labelled: readonly (readonly [string, AnyTransformation])[], input: ParamsAndGrads, tolerance: Tolerance, apply = true): void {
  const runs = labelled.map(([label, t]) => [label, runTransform(t, input.params, input.stream, { apply })] as const);
  const [refLabel, ref] = runs[0]!;
  for (const [label, run] of runs.slice(1)) {
    for (let i = 0; i < ref.updates.length; i++) {
      const d = compareTrees(run.updates[i]!, ref.updates[i]!, tolerance);
      if (d !== null) violated(`step ${i}: the updates of ${label} differ from those of ${refLabel}: ${d}`);
    }
  }
}

/** equivalent(t₁, t₂): the two transforms give the same updates, step by step, on every random params tree and gradient stream. */
export function equivalent(t1: AnyTransformation, t2: AnyTransformation, options: EquivalentOptions = {}): Law<[ParamsAndGrads]> {
  lawOptions('equivalent', options, [...STREAM_KEYS, 'tolerance', 'name']);
  const tolerance = options.tolerance ?? 'exact';
  return law(options.name ?? 'equivalent', arbParamsAndGrads(options), (input) =>
    sameRuns([['the first transform', t1], ['the second transform', t2]], input, tolerance, options.apply ?? true),
  );
}
