/**
 * optax's schedules that `schedule.ts` lacks, with optax's names and arguments (camelCase, one options object) and
 * optax 0.2.8's exact formulas, so `polynomial({ … })` here and `optax.polynomial_schedule(…)` give the same values.
 * Each is a `Schedule` with a label; arguments are validated (errors name the argument).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { NonEmptyArray } from 'fp-ts/lib/NonEmptyArray.js';
import { isSchedule, scheduleFromSpec, type Schedule, type ScheduleSpec, type SpecArg } from './schedule.js';
import { bool, keyProblems, num, ok, orThrow, rules, type Rule, type Validation } from './validate.js';

type Problems = string[];

/** Rules beyond validate.ts's: any finite number, an integer ≥ 0. */
const anyFinite: Rule = { test: () => true, says: 'must be a finite number' };
const atLeast = (min: number): Rule => ({ test: (x) => Number.isInteger(x) && x >= min, says: `must be an integer ≥ ${min}` });

/** Add v's problems (if any) to p: each check of validate.ts, collected so that one error lists them all. */
const collect = (p: Problems, v: Validation<unknown>): void => {
  if (E.isLeft(v)) p.push(...v.left);
};
const need = (where: string, problems: Problems): void => {
  orThrow(problems.length === 0 ? ok(null) : E.left(problems as NonEmptyArray<string>), where);
};
const finite = (p: Problems, name: string, x: unknown): void => collect(p, num(name, x, anyFinite));
const integer = (p: Problems, name: string, x: unknown, min: number): void => collect(p, num(name, x, min === 1 ? rules.positiveInteger : atLeast(min)));
/** A labelled schedule; with `spec`, one that `scheduleFromSpec` can rebuild (so a source using it serializes and reaches workers). */
const schedule = (label: string, f: (t: number) => number, spec?: ScheduleSpec): Schedule =>
  Object.assign((t: number) => f(t), spec === undefined ? { label } : { label, spec });
/** The spec of a schedule made from one options object. */
const specOf = (name: ScheduleSpec['name'], options: object): ScheduleSpec => ({ name, args: [JSON.parse(JSON.stringify(options)) as SpecArg] });
const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

/** Options of `polynomial`. */
export interface PolynomialOptions {
  /** Value before `transitionBegin`. */
  readonly initValue: number;
  /** Value after `transitionBegin + transitionSteps`. */
  readonly endValue: number;
  /** Exponent p of the decay. */
  readonly power: number;
  /** Length of the transition, an integer ≥ 1. */
  readonly transitionSteps: number;
  /** Steps before the transition starts; default 0. */
  readonly transitionBegin?: number;
}

/** polynomial({ initValue, endValue, power, transitionSteps, transitionBegin = 0 }): s(t) = (init − end)·(1 − c/T)^p + end, c = clip(t − begin, 0, T) (optax.polynomial_schedule). */
export function polynomial(o: PolynomialOptions): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['initValue', 'endValue', 'power', 'transitionSteps', 'transitionBegin']));
  finite(p, 'initValue', o.initValue);
  finite(p, 'endValue', o.endValue);
  finite(p, 'power', o.power);
  integer(p, 'transitionSteps', o.transitionSteps, 1);
  integer(p, 'transitionBegin', o.transitionBegin ?? 0, 0);
  need('polynomial', p);
  const { initValue, endValue, power, transitionSteps: T } = o;
  const begin = o.transitionBegin ?? 0;
  return schedule(`polynomial(${initValue}→${endValue}, p=${power}, ${begin}+${T})`, (t) => {
    const c = clamp(t - begin, 0, T);
    return (initValue - endValue) * Math.pow(1 - c / T, power) + endValue;
  }, specOf('polynomial', o));
}

/** The linear ramp init → end over `steps` (optax.linear_schedule); steps = 0 is the constant init for t < 0 (optax's behaviour). */
const ramp = (init: number, end: number, steps: number): ((t: number) => number) =>
  steps === 0 ? () => init : (t) => (init - end) * (1 - clamp(t, 0, steps) / steps) + end;

/**
 * joinSchedules({ schedules, boundaries }): s(t) = sᵢ(t − bᵢ₋₁) for bᵢ₋₁ ≤ t < bᵢ, with sᵢ = schedules[i] and bᵢ = boundaries[i]
 * (optax.join_schedules); boundaries.length = schedules.length − 1. A member may be a schedule or a schedule's spec.
 */
export function joinSchedules(o: { readonly schedules: readonly (Schedule | ScheduleSpec)[]; readonly boundaries: readonly number[] }): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['schedules', 'boundaries']));
  const isSpec = (s: unknown): s is ScheduleSpec => typeof s === 'object' && s !== null && typeof (s as ScheduleSpec).name === 'string' && Array.isArray((s as ScheduleSpec).args);
  if (!Array.isArray(o.schedules) || o.schedules.length === 0 || !o.schedules.every((s) => isSchedule(s) || isSpec(s))) {
    p.push(`schedules must be a non-empty array of schedules, got ${String(o.schedules)}`);
  }
  if (!Array.isArray(o.boundaries)) p.push(`boundaries must be an array of integers, got ${String(o.boundaries)}`);
  else {
    o.boundaries.forEach((b, i) => integer(p, `boundaries[${i}]`, b, 0));
    if (Array.isArray(o.schedules) && o.boundaries.length !== o.schedules.length - 1) {
      p.push(`boundaries must have schedules.length − 1 = ${o.schedules.length - 1} entries, got ${o.boundaries.length}`);
    }
  }
  need('joinSchedules', p);
  const members = o.schedules.map((s) => (isSchedule(s) ? s : scheduleFromSpec(s)));
  const [first, ...rest] = members as [Schedule, ...Schedule[]];
  const bounds = [...o.boundaries];
  const specs = members.map((s) => s.spec);
  const spec = specs.every((s) => s !== undefined) ? { name: 'joinSchedules' as const, args: [{ schedules: specs as unknown as SpecArg[], boundaries: bounds }] } : undefined;
  return schedule(`joinSchedules([${members.map((s) => s.label ?? 'schedule(t)').join(', ')}] @ [${bounds.join(', ')}])`, (t) => {
    let out = first(t);
    rest.forEach((s, i) => {
      const b = bounds[i] as number;
      if (t >= b) out = s(t - b);
    });
    return out;
  }, spec);
}

/** warmupConstant({ initValue, peakValue, warmupSteps }): linear init → peak over warmupSteps, then peak (optax.warmup_constant_schedule). */
export function warmupConstant(o: { readonly initValue: number; readonly peakValue: number; readonly warmupSteps: number }): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['initValue', 'peakValue', 'warmupSteps']));
  finite(p, 'initValue', o.initValue);
  finite(p, 'peakValue', o.peakValue);
  integer(p, 'warmupSteps', o.warmupSteps, 0);
  need('warmupConstant', p);
  const f = ramp(o.initValue, o.peakValue, o.warmupSteps);
  return schedule(`warmupConstant(${o.initValue}→${o.peakValue}, ${o.warmupSteps})`, f, specOf('warmupConstant', o));
}

/** Options of `warmupExponentialDecay`. */
export interface WarmupExponentialDecayOptions {
  /** Value at step 0. */
  readonly initValue: number;
  /** Value at the end of the warmup, where the decay starts. */
  readonly peakValue: number;
  /** Length of the linear warmup, an integer ≥ 0. */
  readonly warmupSteps: number;
  /** Steps per factor of decayRate, an integer ≥ 1. */
  readonly transitionSteps: number;
  /** Decay factor per transitionSteps, > 0. */
  readonly decayRate: number;
  /** Steps after the warmup before the decay starts; default 0. */
  readonly transitionBegin?: number;
  /** Decay in whole periods, ⌊·⌋ of the exponent; default false. */
  readonly staircase?: boolean;
  /** A floor (decayRate < 1) or ceiling (decayRate > 1) of the value; default none. */
  readonly endValue?: number;
}

/**
 * warmupExponentialDecay({ initValue, peakValue, warmupSteps, transitionSteps, decayRate, transitionBegin = 0, staircase = false, endValue }):
 * linear init → peak over warmupSteps, then peak·rate^(c/T) with c = t − warmup − begin (⌊c/T⌋ with staircase), peak while c ≤ 0,
 * clipped at endValue (optax.warmup_exponential_decay_schedule).
 */
export function warmupExponentialDecay(o: WarmupExponentialDecayOptions): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['initValue', 'peakValue', 'warmupSteps', 'transitionSteps', 'decayRate', 'transitionBegin', 'staircase', 'endValue']));
  finite(p, 'initValue', o.initValue);
  finite(p, 'peakValue', o.peakValue);
  integer(p, 'warmupSteps', o.warmupSteps, 0);
  integer(p, 'transitionSteps', o.transitionSteps, 1);
  collect(p, num('decayRate', o.decayRate, rules.positive));
  integer(p, 'transitionBegin', o.transitionBegin ?? 0, 0);
  if (o.staircase !== undefined) collect(p, bool('staircase', o.staircase));
  if (o.endValue !== undefined) finite(p, 'endValue', o.endValue);
  need('warmupExponentialDecay', p);
  const { peakValue, warmupSteps, transitionSteps, decayRate, endValue } = o;
  const begin = o.transitionBegin ?? 0;
  const warm = ramp(o.initValue, peakValue, warmupSteps);
  const decay = (t: number): number => {
    const c = t - begin;
    const e = o.staircase === true ? Math.floor(c / transitionSteps) : c / transitionSteps;
    const v = c <= 0 ? peakValue : peakValue * Math.pow(decayRate, e);
    return endValue === undefined ? v : decayRate < 1 ? Math.max(v, endValue) : Math.min(v, endValue);
  };
  const label = `warmupExponentialDecay(${o.initValue}→${peakValue}, ${warmupSteps}; ×${decayRate}/${transitionSteps})`;
  return schedule(label, (t) => (t < warmupSteps ? warm(t) : decay(t - warmupSteps)), specOf('warmupExponentialDecay', o));
}

/** Options of one cycle of `sgdr` (optax.warmup_cosine_decay_schedule's arguments). */
export interface WarmupCosineDecayOptions {
  /** Value at the cycle's start. */
  readonly initValue: number;
  /** Value at the end of the warmup. */
  readonly peakValue: number;
  /** Length of the linear warmup, an integer ≥ 0. */
  readonly warmupSteps: number;
  /** Length of the whole cycle, warmup included: an integer > warmupSteps. */
  readonly decaySteps: number;
  /** Value at the cycle's end; default 0. */
  readonly endValue?: number;
  /** Exponent of the cosine factor; default 1. */
  readonly exponent?: number;
}

const cycleProblems = (p: Problems, at: string, o: WarmupCosineDecayOptions): void => {
  finite(p, `${at}initValue`, o.initValue);
  finite(p, `${at}peakValue`, o.peakValue);
  integer(p, `${at}warmupSteps`, o.warmupSteps, 0);
  integer(p, `${at}decaySteps`, o.decaySteps, 1);
  if (Number.isInteger(o.decaySteps) && Number.isInteger(o.warmupSteps) && o.decaySteps <= o.warmupSteps) {
    p.push(`${at}decaySteps must be > warmupSteps (${o.warmupSteps}), got ${o.decaySteps}`);
  }
  if (o.endValue !== undefined) finite(p, `${at}endValue`, o.endValue);
  if (o.exponent !== undefined) finite(p, `${at}exponent`, o.exponent);
};

/** One warmup-cosine cycle, as optax's: ramp init → peak, then peak·((1 − α)·((1 + cos(π·min(c, D)/D))/2)^e + α), D = decay − warmup, α = end/peak. */
const cycle = (o: WarmupCosineDecayOptions): ((t: number) => number) => {
  const end = o.endValue ?? 0;
  const exponent = o.exponent ?? 1;
  const alpha = o.peakValue === 0 ? 0 : end / o.peakValue;
  const d = o.decaySteps - o.warmupSteps;
  const warm = ramp(o.initValue, o.peakValue, o.warmupSteps);
  return (t) => {
    if (t < o.warmupSteps) return warm(t);
    const c = Math.min(t - o.warmupSteps, d);
    return o.peakValue * ((1 - alpha) * Math.pow(0.5 * (1 + Math.cos((Math.PI * c) / d)), exponent) + alpha);
  };
};

/**
 * sgdr({ cycles }): warm restarts (Loshchilov & Hutter 2017): the warmup-cosine cycles one after another, each cycle
 * `{ initValue, peakValue, warmupSteps, decaySteps, endValue = 0, exponent = 1 }` lasting decaySteps (optax.sgdr_schedule).
 */
export function sgdr(o: { readonly cycles: readonly WarmupCosineDecayOptions[] }): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['cycles']));
  if (!Array.isArray(o.cycles) || o.cycles.length === 0) p.push(`cycles must be a non-empty array, got ${String(o.cycles)}`);
  else o.cycles.forEach((c, i) => (cycleProblems(p, `cycles[${i}].`, c), p.push(...keyProblems(c, ['initValue', 'peakValue', 'warmupSteps', 'decaySteps', 'endValue', 'exponent'], `cycles[${i}]`))));
  need('sgdr', p);
  const fs = o.cycles.map(cycle);
  const starts: number[] = [];
  let at = 0;
  for (const c of o.cycles) {
    starts.push(at);
    at += c.decaySteps;
  }
  return schedule(`sgdr(${o.cycles.length} cycles, ${at} steps)`, (t) => {
    let i = 0;
    while (i + 1 < starts.length && t >= (starts[i + 1] as number)) i++;
    return (fs[i] as (t: number) => number)(t - (starts[i] as number));
  }, specOf('sgdr', o));
}

/** Options of `piecewiseInterpolate`. */
export interface PiecewiseInterpolateOptions {
  /** 'linear' or 'cosine' interpolation between the knots. */
  readonly interpolateType: 'linear' | 'cosine';
  /** Value at step 0. */
  readonly initValue: number;
  /** Step → factor: at each boundary step the value reached is the previous one times the factor (factors ≥ 0); default none. */
  readonly boundariesAndScales?: Readonly<Record<number, number>>;
}

/**
 * piecewiseInterpolate({ interpolateType, initValue, boundariesAndScales }): knots at 0 and each boundary bᵢ (sorted) with
 * values v₀ = init, vᵢ = vᵢ₋₁·scaleᵢ; between knots linear, a + (b − a)·x, or cosine, b + (a − b)·(cos(πx) + 1)/2,
 * x = (t − bᵢ₋₁)/max(bᵢ − bᵢ₋₁, 1); the last value after the last knot (optax.piecewise_interpolate_schedule).
 */
export function piecewiseInterpolate(o: PiecewiseInterpolateOptions): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['interpolateType', 'initValue', 'boundariesAndScales']));
  if (o.interpolateType !== 'linear' && o.interpolateType !== 'cosine') p.push(`interpolateType must be 'linear' or 'cosine', got ${String(o.interpolateType)}`);
  finite(p, 'initValue', o.initValue);
  const entries = Object.entries(o.boundariesAndScales ?? {}).map(([k, v]) => [Number(k), v] as const);
  for (const [b, s] of entries) {
    integer(p, `boundariesAndScales key ${b}`, b, 0);
    collect(p, num(`boundariesAndScales[${b}]`, s, rules.nonNegative));
  }
  need('piecewiseInterpolate', p);
  entries.sort((a, b) => a[0] - b[0]);
  return knots(o.interpolateType, o.initValue, entries, `piecewiseInterpolate(${o.interpolateType}, ${o.initValue}, {${entries.map(([b, s]) => `${b}: ${s}`).join(', ')}})`, specOf('piecewiseInterpolate', o));
}

/** The schedule of sorted knots (boundary, scale) from init, as piecewise_interpolate_schedule evaluates it. */
function knots(type: 'linear' | 'cosine', init: number, entries: readonly (readonly [number, number])[], label: string, spec: ScheduleSpec): Schedule {
  const bounds = [0, ...entries.map(([b]) => b)];
  const values = [init];
  for (const [, s] of entries) values.push((values[values.length - 1] as number) * s);
  const last = values[values.length - 1] as number;
  const lerp = type === 'linear' ? (a: number, b: number, x: number) => (b - a) * x + a : (a: number, b: number, x: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * x) + 1);
  return schedule(label, (t) => {
    for (let i = 0; i + 1 < bounds.length; i++) {
      const lo = bounds[i] as number;
      const hi = bounds[i + 1] as number;
      if (lo <= t && t < hi) return lerp(values[i] as number, values[i + 1] as number, (t - lo) / Math.max(hi - lo, 1));
    }
    return bounds[bounds.length - 1]! <= t ? last : 0;
  }, spec);
}

/** Options of `cosineOnecycle` and `linearOnecycle`. */
export interface OnecycleOptions {
  /** Length of the cycle, an integer ≥ 1. */
  readonly transitionSteps: number;
  /** The largest value. */
  readonly peakValue: number;
  /** Fraction of the cycle spent rising to the peak; default 0.3. */
  readonly pctStart?: number;
  /** Start value = peak / divFactor; default 25. */
  readonly divFactor?: number;
  /** End value = start / finalDivFactor; default 1e4. */
  readonly finalDivFactor?: number;
}

const onecycleProblems = (p: Problems, o: OnecycleOptions & { readonly pctFinal?: number }): void => {
  integer(p, 'transitionSteps', o.transitionSteps, 1);
  finite(p, 'peakValue', o.peakValue);
  for (const [name, x] of [['pctStart', o.pctStart], ['pctFinal', o.pctFinal]] as const) {
    if (x !== undefined) collect(p, num(name, x, rules.unit));
  }
  for (const [name, x] of [['divFactor', o.divFactor], ['finalDivFactor', o.finalDivFactor]] as const) {
    if (x !== undefined) collect(p, num(name, x, rules.positive));
  }
};

/**
 * cosineOnecycle({ transitionSteps: T, peakValue, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 }): cosine from peak/div up to
 * peak at ⌊pctStart·T⌋, then cosine down to peak/(div·finalDiv) at T (Smith & Topin 2017; optax.cosine_onecycle_schedule).
 */
export function cosineOnecycle(o: OnecycleOptions): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['transitionSteps', 'peakValue', 'pctStart', 'divFactor', 'finalDivFactor']));
  onecycleProblems(p, o);
  need('cosineOnecycle', p);
  const div = o.divFactor ?? 25;
  const fin = o.finalDivFactor ?? 1e4;
  const T = o.transitionSteps;
  const entries = dedupe([[Math.trunc((o.pctStart ?? 0.3) * T), div], [T, 1 / (div * fin)]]);
  return knots('cosine', o.peakValue / div, entries, `cosineOnecycle(${T}, peak ${o.peakValue})`, specOf('cosineOnecycle', o));
}

/**
 * linearOnecycle({ transitionSteps: T, peakValue, pctStart = 0.3, pctFinal = 0.85, divFactor = 25, finalDivFactor = 1e4 }): linear from
 * peak/div up to peak at ⌊pctStart·T⌋, down to peak/div at ⌊pctFinal·T⌋, then to peak/(div·finalDiv) at T (optax.linear_onecycle_schedule).
 */
export function linearOnecycle(o: OnecycleOptions & { readonly pctFinal?: number }): Schedule {
  const p: Problems = [];
  p.push(...keyProblems(o, ['transitionSteps', 'peakValue', 'pctStart', 'pctFinal', 'divFactor', 'finalDivFactor']));
  onecycleProblems(p, o);
  need('linearOnecycle', p);
  const div = o.divFactor ?? 25;
  const fin = o.finalDivFactor ?? 1e4;
  const T = o.transitionSteps;
  const entries = dedupe([[Math.trunc((o.pctStart ?? 0.3) * T), div], [Math.trunc((o.pctFinal ?? 0.85) * T), 1 / div], [T, 1 / fin]]);
  return knots('linear', o.peakValue / div, entries, `linearOnecycle(${T}, peak ${o.peakValue})`, specOf('linearOnecycle', o));
}

/** As a Python dict literal: a later entry with the same boundary replaces the earlier one (in place), then sorted. */
function dedupe(entries: readonly (readonly [number, number])[]): (readonly [number, number])[] {
  const m = new Map<number, number>();
  for (const [b, s] of entries) m.set(b, s);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}
