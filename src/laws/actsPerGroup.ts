import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import type { AnyTransformation, State } from '../transform/types.js';
import { arbParamsAndGrads, type Length, type ParamsAndGrads, type TreeOptions } from './arbitraries.js';
import { compareArrays, compareTrees } from './compare.js';
import { law, violated, type Law } from './law.js';
import { runTransform } from './run.js';
import { pickDesc } from './treeDesc.js';

/** Options of `actsPerGroup`. */
export interface ActsPerGroupOptions {
  /** The params trees; default up to 4 leaves. */
  readonly tree?: TreeOptions;
  /** Stream length; default 5. */
  readonly length?: Length;
  /** The part of the whole state that belongs to group g (compared with g's transform's own state, and checked to name no other group's leaf); default none checked. */
  readonly stateOf?: (state: State, group: string) => State;
}

/** A state flattened: each tensor's path, shape and values, and each plain value, in traversal order. */
type Flat = Array<readonly [string, readonly number[] | null, Float32Array | string]>;

function flatten(s: unknown, path = '', out: Flat = []): Flat {
  if (s instanceof tf.Tensor) out.push([path, s.shape, Float32Array.from(s.dataSync() as ArrayLike<number>)]);
  else if (s !== null && typeof s === 'object') for (const [k, v] of Object.entries(s)) flatten(v, `${path}.${k}`, out);
  else out.push([path, null, JSON.stringify(s) ?? String(s)]);
  return out;
}

function sameFlat(a: Flat, b: Flat): string | null {
  if (a.length !== b.length) return `${a.length} entries vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const [pa, sa, va] = a[i]!;
    const [pb, sb, vb] = b[i]!;
    if (pa !== pb) return `entry ${i}: path ${pa} vs ${pb}`;
    if (JSON.stringify(sa) !== JSON.stringify(sb)) return `${pa}: shape ${JSON.stringify(sa)} vs ${JSON.stringify(sb)}`;
    const d = typeof va === 'string' || typeof vb === 'string' ? (va === vb ? null : `${String(va)} vs ${String(vb)}`) : compareArrays(va, vb, 'exact');
    if (d !== null) return `${pa}: ${d}`;
  }
  return null;
}

/**
 * actsPerGroup(build, groups): for random trees whose leaves get random groups, `build(groupOf)` acts on each group's leaves
 * exactly (IEEE-equal) as `groups[g]()` run alone on them: other leaves, their gradients and their state change nothing.
 * With `stateOf`, group g's part of the state equals that transform's own state after every step and names no leaf of
 * another group. The law of `partition`, `masked` and `freeze`.
 */
export function actsPerGroup(
  build: (groupOf: (name: string) => string) => AnyTransformation,
  groups: Readonly<Record<string, () => AnyTransformation>>,
  options: ActsPerGroupOptions = {},
): Law<[[ParamsAndGrads, string[]]]> {
  const labels = Object.keys(groups);
  const tree = options.tree ?? { maxLeaves: 4 };
  const maxLeaves = tree.names?.length ?? tree.maxLeaves ?? 3;
  const arb = fc.tuple(arbParamsAndGrads({ tree, length: options.length ?? 5 }), fc.array(fc.constantFrom(...labels), { minLength: maxLeaves, maxLength: maxLeaves }));
  return law('acts on each group as its own transform alone', arb, ([input, picks]) => {
    const names = Object.keys(input.params);
    const groupOf = (n: string): string => picks[names.indexOf(n)]!;
    const whole: Flat[][] = [];
    const run = runTransform(build(groupOf), input.params, input.stream, {
      probe: (s) => whole.push(labels.map((g) => (options.stateOf ? flatten(options.stateOf(s, g)) : []))),
    });
    labels.forEach((g, gi) => {
      const mine = names.filter((n) => groupOf(n) === g);
      const others = names.filter((n) => groupOf(n) !== g);
      if (mine.length === 0) return;
      const own: Flat[] = [];
      const alone = runTransform(groups[g]!(), pickDesc(input.params, mine), input.stream.map((x) => pickDesc(x, mine)), { probe: (s) => own.push(flatten(s)) });
      input.stream.forEach((_, i) => {
        const d = compareTrees(pickDesc(run.updates[i]!, mine), alone.updates[i]!, 'exact');
        if (d !== null) violated(`step ${i}: group '${g}' (${mine.join(', ')}) differs from its transform run alone: ${d}`);
        if (options.stateOf === undefined) return;
        const ds = sameFlat(whole[i]![gi]!, own[i]!);
        if (ds !== null) violated(`step ${i}: the state of group '${g}' differs from its transform's own state: ${ds}`);
      });
      if (options.stateOf !== undefined) {
        const leaked = others.filter((n) => whole.some((w) => w[gi]!.some(([p]) => p.split('.').includes(n))));
        if (leaked.length > 0) violated(`the state of group '${g}' holds leaves of other groups: ${leaked.join(', ')}`);
      }
    });
  });
}
