import fc from 'fast-check';
import { sizeOf, type LeafDesc, type TreeDesc } from './treeDesc.js';

/** Options of `arbShape`: rank in [minRank, maxRank] (default 0–2), every dimension in [1, maxDim] (default 3). */
export interface ShapeOptions {
  /** Smallest rank; default 0 (scalars). */
  readonly minRank?: number;
  /** Largest rank; default 2. */
  readonly maxRank?: number;
  /** Largest size of any dimension; default 3. */
  readonly maxDim?: number;
}

/** Options of generated float32 values: finite, in [min, max] (default [−10, 10]); or your own arbitrary per leaf. */
export interface ValueOptions {
  /** Smallest value; default −10. */
  readonly min?: number;
  /** Largest value; default 10. */
  readonly max?: number;
  /** Replace the default values: an arbitrary of exactly `n` float32 values. */
  readonly values?: (n: number) => fc.Arbitrary<Float32Array>;
}

/** Options of `arbTree`: leaf names (default `p0`, `p1`, … with 1–maxLeaves leaves), shapes and values. */
export interface TreeOptions extends ShapeOptions, ValueOptions {
  /** Exactly these leaf names; default `p0`, `p1`, … (minLeaves to maxLeaves of them). */
  readonly names?: readonly string[];
  /** Fewest leaves when names are not given; default 1. */
  readonly minLeaves?: number;
  /** Most leaves when names are not given; default 3. */
  readonly maxLeaves?: number;
}

/** A stream length: exactly n, or between min and max. */
export type Length =
  | number
  | {
      /** Shortest length. */
      readonly min: number;
      /** Longest length. */
      readonly max: number;
    };

/** arbShape({ maxRank, maxDim }): a tensor shape of rank minRank..maxRank with every dimension in 1..maxDim (shrinks toward scalars). */
export function arbShape({ minRank = 0, maxRank = 2, maxDim = 3 }: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

const STEPS = 2 ** 24;

/**
 * arbUniform(min, max): a number spread evenly over [min, max] (2²⁴ evenly spaced values), shrinking toward 0 when the
 * range holds 0 and toward the end nearer 0 otherwise. (fc.double/fc.float spread over the *representations*, so most of
 * what they draw in [0, 1] is below 1e-30; this is the arbitrary for "a typical value in the range".)
 */
export function arbUniform(min: number, max: number): fc.Arbitrary<number> {
  if (!(min <= max)) throw new RangeError(`arbUniform: min (${min}) must be ≤ max (${max})`);
  if (min < 0 && max > 0) return fc.integer({ min: -STEPS, max: STEPS }).map((i) => (i < 0 ? (-i / STEPS) * min : (i / STEPS) * max));
  if (min >= 0) return fc.integer({ min: 0, max: STEPS }).map((i) => min + ((max - min) * i) / STEPS);
  return fc.integer({ min: 0, max: STEPS }).map((i) => max - ((max - min) * i) / STEPS);
}

/**
 * arbValues(n, { min, max }): exactly n finite float32 values in [min, max]. Each value is, 4 times in 7, spread evenly over
 * the range; 2 times in 7, any float32 of the range (subnormals, tiny and extreme magnitudes); 1 time in 7, exactly 0
 * (an unused parameter's gradient) when the range holds 0. Shrinks toward 0.
 */
export function arbValues(n: number, { min = -10, max = 10, values }: ValueOptions = {}): fc.Arbitrary<Float32Array> {
  if (values !== undefined) return values(n);
  const lo = Math.fround(min) < min ? Math.fround(min + Math.abs(min) * 1e-7) : Math.fround(min);
  const hi = Math.fround(max) > max ? Math.fround(max - Math.abs(max) * 1e-7) : Math.fround(max);
  const one = fc.oneof(
    { arbitrary: arbUniform(min, max).map((x) => Math.min(hi, Math.max(lo, Math.fround(x)))), weight: 4 },
    { arbitrary: fc.float({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), weight: 2 },
    ...(lo <= 0 && hi >= 0 ? [{ arbitrary: fc.constant(0), weight: 1 }] : []),
  );
  return fc.array(one, { minLength: n, maxLength: n }).map((xs) => Float32Array.from(xs));
}

/** arbLike(desc, values): a tree description with desc's names and shapes and fresh values (a gradient for params desc). */
export function arbLike(desc: TreeDesc, options: ValueOptions = {}): fc.Arbitrary<TreeDesc> {
  const names = Object.keys(desc);
  return fc
    .tuple(...names.map((n) => arbValues(sizeOf(desc[n]!.shape), options)))
    .map((vals) => Object.fromEntries(names.map((n, i) => [n, { shape: desc[n]!.shape, values: vals[i]! } satisfies LeafDesc])));
}

/** arbTree({ names, maxLeaves, maxRank, maxDim, min, max }): a tree description (names, shapes, float32 values); `materialize` it inside a law. */
export function arbTree(options: TreeOptions = {}): fc.Arbitrary<TreeDesc> {
  const shape = arbShape(options);
  const shapes =
    options.names !== undefined
      ? fc.tuple(...options.names.map(() => shape)).map((ss) => ss.map((s, i) => [options.names![i]!, s] as const))
      : fc.array(shape, { minLength: options.minLeaves ?? 1, maxLength: options.maxLeaves ?? 3 }).map((ss) => ss.map((s, i) => [`p${i}`, s] as const));
  return shapes.chain((named) => {
    const skeleton: TreeDesc = Object.fromEntries(named.map(([n, s]) => [n, { shape: s, values: new Float32Array(sizeOf(s)) }]));
    return arbLike(skeleton, options);
  });
}

const lengthOf = (length: Length): { minLength: number; maxLength: number } =>
  typeof length === 'number' ? { minLength: length, maxLength: length } : { minLength: length.min, maxLength: length.max };

/** arbGradientStream(desc, length): a list of gradient trees shaped like the params description desc, one per step. */
export function arbGradientStream(desc: TreeDesc, length: Length = 5, options: ValueOptions = {}): fc.Arbitrary<TreeDesc[]> {
  return fc.array(arbLike(desc, options), lengthOf(length));
}

/** A params description and a gradient stream for it: the input of the transform laws. */
export interface ParamsAndGrads {
  /** The parameters' description. */
  readonly params: TreeDesc;
  /** One gradient description per step, shaped like the params. */
  readonly stream: readonly TreeDesc[];
}

/** Options of `arbParamsAndGrads`: the params trees, the stream length and gradient values, or a stream arbitrary of your own. */
export interface ParamsAndGradsOptions {
  /** The params trees; see `arbTree`. */
  readonly tree?: TreeOptions;
  /** Stream length; default 5. */
  readonly length?: Length;
  /** Gradient values; default the tree's value options. */
  readonly grads?: ValueOptions;
  /** Replace the random stream: given the params description, an arbitrary of gradient streams (e.g. `arbConstantStream`). */
  readonly stream?: (params: TreeDesc) => fc.Arbitrary<TreeDesc[]>;
}

/** arbParamsAndGrads({ tree, length, grads, stream }): random params and a random gradient stream for them. */
export function arbParamsAndGrads(options: ParamsAndGradsOptions = {}): fc.Arbitrary<ParamsAndGrads> {
  const stream = options.stream ?? ((params: TreeDesc) => arbGradientStream(params, options.length ?? 5, options.grads ?? options.tree));
  return arbTree(options.tree).chain((params) => stream(params).map((s) => ({ params, stream: s })));
}

/** arbConstantStream(desc, length): one random gradient repeated `length` times (the case where running variances vanish). */
export function arbConstantStream(desc: TreeDesc, length: number, options: ValueOptions = {}): fc.Arbitrary<TreeDesc[]> {
  return arbLike(desc, options).map((g) => Array.from({ length }, () => g));
}

/** A non-finite value placed in a gradient stream: at step `step`, in leaf number `leaf`, at element `index` (both taken modulo). */
export interface Injection {
  /** The step (modulo the stream's length). */
  readonly step: number;
  /** The leaf, by position (modulo the number of leaves). */
  readonly leaf: number;
  /** The element (modulo the leaf's size). */
  readonly index: number;
  /** The value written: NaN, +Inf or −Inf. */
  readonly value: number;
}

/** corrupt(stream, injections): the stream with the given NaN/±Inf values written in (a copy). */
export function corrupt(stream: readonly TreeDesc[], injections: readonly Injection[]): TreeDesc[] {
  const out = stream.map((t) => Object.fromEntries(Object.entries(t).map(([n, l]) => [n, { shape: l.shape, values: l.values.slice() }])) as Record<string, LeafDesc>);
  if (out.length === 0) return out;
  for (const j of injections) {
    const t = out[j.step % out.length]!;
    const names = Object.keys(t);
    if (names.length === 0) continue;
    const leaf = t[names[j.leaf % names.length]!]!;
    leaf.values[j.index % leaf.values.length] = j.value;
  }
  return out;
}

/** arbCorruptedStream(desc, length): a gradient stream with 1–length NaN/+Inf/−Inf values injected at random steps, leaves and positions. */
export function arbCorruptedStream(desc: TreeDesc, length: Length = 6, options: ValueOptions = {}): fc.Arbitrary<TreeDesc[]> {
  const { maxLength } = lengthOf(length);
  const injection = fc.record({
    step: fc.nat({ max: Math.max(0, maxLength - 1) }),
    leaf: fc.nat({ max: 15 }),
    index: fc.nat({ max: 1023 }),
    value: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  });
  return fc
    .tuple(arbGradientStream(desc, length, options), fc.array(injection, { minLength: 1, maxLength: Math.max(1, maxLength) }))
    .map(([stream, injections]) => corrupt(stream, injections));
}

const logUniform = (min: number, max: number): fc.Arbitrary<number> =>
  arbUniform(Math.log(min), Math.log(max)).map((e) => Math.min(max, Math.max(min, Math.exp(e))));

/** arbLearningRate({ min = 1e-4, max = 1 }): a positive learning rate, log-uniform in [min, max]. */
export function arbLearningRate({ min = 1e-4, max = 1 }: { readonly min?: number; readonly max?: number } = {}): fc.Arbitrary<number> {
  return logUniform(min, max);
}

/** arbMomentum({ max = 0.99 }): a momentum / decay coefficient, uniform in [0, max] (0 and max included). */
export function arbMomentum({ max = 0.99 }: { readonly max?: number } = {}): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: arbUniform(0, max), weight: 8 }, fc.constantFrom(0, max));
}

/** arbUnit(): a number in [0, 1] (a mix weight λ), uniform, with 0 and 1 drawn often. */
export function arbUnit(): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: arbUniform(0, 1), weight: 8 }, fc.constantFrom(0, 1));
}

/** arbSeed(): an integer seed for `key(seed)`. */
export function arbSeed(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 2 ** 31 - 1 });
}

/** arbScale({ min = 1e-3, max = 1e3 }): a nonzero factor of either sign with magnitude log-uniform in [min, max]. */
export function arbScale({ min = 1e-3, max = 1e3 }: { readonly min?: number; readonly max?: number } = {}): fc.Arbitrary<number> {
  return fc.tuple(fc.boolean(), logUniform(min, max)).map(([neg, m]) => (neg ? -m : m));
}
