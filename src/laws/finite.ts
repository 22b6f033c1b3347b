import type { AnyTransformation, State } from '../transform/types.js';
import { arbCorruptedStream, arbParamsAndGrads, arbTree, type Length, type ParamsAndGrads } from './arbitraries.js';
import { allFiniteDesc, compareTrees } from './compare.js';
import type { StreamOptions } from './equivalent.js';
import { law, violated, type Law } from './law.js';
import { runTransform } from './run.js';
import type { TreeDesc } from './treeDesc.js';
import { lawOptions, STREAM_KEYS } from './options.js';

const firstNonFinite = (d: TreeDesc): string => {
  for (const [n, l] of Object.entries(d)) {
    const i = l.values.findIndex((x) => !Number.isFinite(x));
    if (i >= 0) return `'${n}'[${i}] = ${l.values[i]}`;
  }
  return 'none';
};

/** preservesFinite(t): on finite params and finite gradient streams, every update and every params tree after it is finite. */
export function preservesFinite(t: AnyTransformation, options: StreamOptions = {}): Law<[ParamsAndGrads]> {
  lawOptions('preservesFinite', options, STREAM_KEYS);
  return law('finite in ⇒ finite out', arbParamsAndGrads(options), (input) => {
    const run = runTransform(t, input.params, input.stream, { apply: options.apply ?? true });
    run.updates.forEach((u, i) => {
      if (!allFiniteDesc(u)) violated(`step ${i}: a finite gradient gave a non-finite update: ${firstNonFinite(u)}`);
      if (!allFiniteDesc(run.params[i]!)) violated(`step ${i}: the params became non-finite: ${firstNonFinite(run.params[i]!)}`);
    });
  });
}

/** Options of `skipsNonFinite`. */
export interface SkipsNonFiniteOptions extends Omit<StreamOptions, 'apply'> {
  /** Read the skip counter from the state (e.g. `s => s.skipped` for applyIfFinite); it must equal the bad steps so far. */
  readonly skipped?: (state: State) => number;
  /** The rule t wraps: on the finite steps, t's updates must equal inner's on the stream with the bad steps removed. */
  readonly inner?: AnyTransformation;
  /** Steps per stream; default 6. */
  readonly length?: Length;
}

/**
 * skipsNonFinite(t): on gradient streams with NaN/±Inf injected at random steps and positions, the params stay finite,
 * a step whose gradient is not finite leaves them unchanged ('exact'), the skip counter (if given) counts those steps, and
 * the finite steps act as `inner` (if given) would on the finite steps alone.
 */
export function skipsNonFinite(t: AnyTransformation, options: SkipsNonFiniteOptions = {}): Law<[ParamsAndGrads]> {
  lawOptions('skipsNonFinite', options, ['tree', 'length', 'grads', 'stream', 'skipped', 'inner']);
  const arb = options.stream !== undefined ? arbParamsAndGrads(options) : arbTree(options.tree).chain((params) => arbCorruptedStream(params, options.length ?? 6, options.grads ?? options.tree).map((stream) => ({ params, stream })));
  return law('skips non-finite updates', arb, (input) => {
    const counts: number[] = [];
    const run = runTransform(t, input.params, input.stream, { apply: true, ...(options.skipped ? { probe: (s: State) => counts.push(options.skipped!(s)) } : {}) });
    let bad = 0;
    const good: number[] = [];
    input.stream.forEach((g, i) => {
      const finite = allFiniteDesc(g);
      const after = run.params[i]!;
      const before = i === 0 ? input.params : run.params[i - 1]!;
      if (!allFiniteDesc(after)) violated(`step ${i}: the params became non-finite: ${firstNonFinite(after)} (gradient: ${finite ? 'finite' : firstNonFinite(g)})`);
      if (finite) good.push(i);
      else {
        bad++;
        const d = compareTrees(after, before, 'exact');
        if (d !== null) violated(`step ${i}: the gradient holds ${firstNonFinite(g)}, yet the params moved: ${d}`);
      }
      if (options.skipped && counts[i] !== bad) violated(`step ${i}: the skip counter says ${counts[i]}, but ${bad} step(s) so far had a non-finite gradient`);
    });
    if (options.inner && good.length > 0) {
      const ref = runTransform(options.inner, input.params, good.map((i) => input.stream[i]!), { apply: true });
      good.forEach((i, j) => {
        const d = compareTrees(run.updates[i]!, ref.updates[j]!, 'exact');
        if (d !== null) violated(`step ${i} (finite step ${j}): the update differs from inner's on the finite steps alone: ${d}`);
      });
    }
  });
}
