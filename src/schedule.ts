import { cosineOnecycle, joinSchedules, linearOnecycle, piecewiseInterpolate, polynomial, sgdr, warmupConstant, warmupExponentialDecay } from './scheduleOptax.js';

/**
 * Schedules: a hyperparameter as a function of the step count, `(step) => number`.
 * Every hyperparameter in optimix accepts a number or a schedule. Schedules made
 * here carry a `label` (used by `describe`); any plain function works too.
 */
export interface Schedule {
  (step: number): number;
  /** A short formula for printing, e.g. `cosineIncrease(0.01, 15, 1000)`. */
  readonly label?: string;
  /** How to rebuild it (schedules made here): the constructor's name and arguments, for saving and for workers. */
  readonly spec?: ScheduleSpec;
}

/** A serializable description of a schedule made by this module. */
export interface ScheduleSpec {
  /** The constructor, e.g. `'cosineDecay'`. */
  readonly name: keyof typeof scheduleConstructors;
  /** Its arguments, in order (JSON: numbers, arrays, and the options objects of optax's schedules). */
  readonly args: readonly SpecArg[];
}

/** One argument of a schedule's spec: plain JSON data. */
export type SpecArg = number | boolean | string | null | readonly SpecArg[] | { readonly [k: string]: SpecArg };

/** A hyperparameter: a constant or a schedule. */
export type Hyper = number | Schedule;

/** isSchedule(x): whether x is a schedule (a function). */
export const isSchedule = (x: unknown): x is Schedule => typeof x === 'function';

/** valueAt(h, step): the value of a hyperparameter at a step. */
export const valueAt = (h: Hyper, step: number): number => (typeof h === 'number' ? h : h(step));

/** labelOf(h): a printable form of a hyperparameter. */
export const labelOf = (h: Hyper): string => (typeof h === 'number' ? String(h) : (h.label ?? 'schedule(t)'));

const labelled = (label: string, f: (t: number) => number, spec?: ScheduleSpec): Schedule =>
  Object.assign((t: number) => f(t), spec === undefined ? { label } : { label, spec });

const checkSteps = (name: string, n: number): void => {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${String(n)}`);
};
const checkFinite = (name: string, x: number): void => {
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got ${String(x)}`);
};

/** constant(v): s(t) = v. */
export function constant(value: number): Schedule {
  checkFinite('constant(value)', value);
  return labelled(String(value), () => value, { name: 'constant', args: [value] });
}

/** linear(init, end, steps): s(t) = init + (end − init)·min(t, steps)/steps. */
export function linear(init: number, end: number, steps: number): Schedule {
  checkFinite('linear(init)', init);
  checkFinite('linear(end)', end);
  checkSteps('linear(steps)', steps);
  return labelled(`linear(${init}→${end}, ${steps})`, (t) => init + ((end - init) * Math.min(Math.max(t, 0), steps)) / steps, {
    name: 'linear',
    args: [init, end, steps],
  });
}

/** cosineDecay(init, steps, floor = 0): s(t) = floor + (init − floor)·(1 + cos(π·min(t, T)/T))/2 (Loshchilov & Hutter 2017, SGDR). */
export function cosineDecay(init: number, steps: number, floor = 0): Schedule {
  checkFinite('cosineDecay(init)', init);
  checkFinite('cosineDecay(floor)', floor);
  checkSteps('cosineDecay(steps)', steps);
  return labelled(`cosineDecay(${init}→${floor}, ${steps})`, (t) => {
    const p = Math.min(Math.max(t, 0), steps) / steps;
    return floor + ((init - floor) * (1 + Math.cos(Math.PI * p))) / 2;
  }, { name: 'cosineDecay', args: [init, steps, floor] });
}

/** warmupCosine(peak, warmup, steps, floor = 0): linear 0 → peak over `warmup` steps, then cosine decay to floor over the remaining steps. */
export function warmupCosine(peak: number, warmup: number, steps: number, floor = 0): Schedule {
  checkFinite('warmupCosine(peak)', peak);
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmupCosine(warmup) must be an integer ≥ 0, got ${String(warmup)}`);
  checkSteps('warmupCosine(steps)', steps);
  if (warmup >= steps) throw new RangeError(`warmupCosine(warmup) must be < steps (${steps}), got ${warmup}`);
  const decay = cosineDecay(peak, steps - warmup, floor);
  return labelled(`warmupCosine(${peak}, ${warmup}, ${steps})`, (t) => (t < warmup ? (peak * t) / warmup : decay(t - warmup)), {
    name: 'warmupCosine',
    args: [peak, warmup, steps, floor],
  });
}

/** piecewiseConstant(values, boundaries): values[i] for boundaries[i−1] ≤ t < boundaries[i]; needs values.length = boundaries.length + 1. */
export function piecewiseConstant(values: readonly number[], boundaries: readonly number[]): Schedule {
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(`piecewiseConstant: values must have boundaries.length + 1 = ${boundaries.length + 1} entries, got ${values.length}`);
  }
  values.forEach((v, i) => checkFinite(`piecewiseConstant(values[${i}])`, v));
  boundaries.forEach((b, i) => {
    if (!Number.isFinite(b) || (i > 0 && b <= (boundaries[i - 1] as number))) {
      throw new RangeError(`piecewiseConstant: boundaries must be finite and strictly increasing, got ${JSON.stringify(boundaries)}`);
    }
  });
  return labelled(`piecewiseConstant([${values.join(', ')}] @ [${boundaries.join(', ')}])`, (t) => {
    let i = 0;
    while (i < boundaries.length && t >= (boundaries[i] as number)) i++;
    return values[i] as number;
  }, { name: 'piecewiseConstant', args: [values, boundaries] });
}

/**
 * cosineIncrease(base, inc, T): s(t) = base·(1 + inc·(1 − cos(π·min(t, T)/T))/2), rising from base to base·(1 + inc).
 * The "CosineInc" noise schedule of ARWP (Li et al. 2024, "Revisiting Random Weight Perturbation").
 */
export function cosineIncrease(base: number, inc: number, steps: number): Schedule {
  checkFinite('cosineIncrease(base)', base);
  checkFinite('cosineIncrease(inc)', inc);
  checkSteps('cosineIncrease(steps)', steps);
  return labelled(`cosineIncrease(${base}, ${inc}, ${steps})`, (t) => {
    const p = Math.min(Math.max(t, 0), steps) / steps;
    return base * (1 + (inc * (1 - Math.cos(Math.PI * p))) / 2);
  }, { name: 'cosineIncrease', args: [base, inc, steps] });
}

/** exponentialDecay(init, rate, steps): s(t) = init·rate^(t/steps). */
export function exponentialDecay(init: number, rate: number, steps: number): Schedule {
  checkFinite('exponentialDecay(init)', init);
  checkFinite('exponentialDecay(rate)', rate);
  checkSteps('exponentialDecay(steps)', steps);
  return labelled(`exponentialDecay(${init}, ${rate}, ${steps})`, (t) => init * Math.pow(rate, t / steps), {
    name: 'exponentialDecay',
    args: [init, rate, steps],
  });
}

/** The constructors of serializable schedules, by name. */
export const scheduleConstructors = {
  /** See {@link constant}. */
  constant,
  /** See {@link linear}. */
  linear,
  /** See {@link cosineDecay}. */
  cosineDecay,
  /** See {@link warmupCosine}. */
  warmupCosine,
  /** See {@link piecewiseConstant}. */
  piecewiseConstant,
  /** See {@link cosineIncrease}. */
  cosineIncrease,
  /** See {@link exponentialDecay}. */
  exponentialDecay,
  // optax's schedules (issue #14), in scheduleOptax.ts
  /** See {@link polynomial}. */
  polynomial,
  /** See {@link joinSchedules}. */
  joinSchedules,
  /** See {@link warmupConstant}. */
  warmupConstant,
  /** See {@link warmupExponentialDecay}. */
  warmupExponentialDecay,
  /** See {@link sgdr}. */
  sgdr,
  /** See {@link piecewiseInterpolate}. */
  piecewiseInterpolate,
  /** See {@link cosineOnecycle}. */
  cosineOnecycle,
  /** See {@link linearOnecycle}. */
  linearOnecycle,
};

/** scheduleFromSpec(spec): rebuild a schedule from its spec (see `Schedule.spec`). */
export function scheduleFromSpec(spec: ScheduleSpec): Schedule {
  const make = scheduleConstructors[spec.name] as ((...args: unknown[]) => Schedule) | undefined;
  if (make === undefined) throw new RangeError(`unknown schedule '${String(spec.name)}'`);
  return make(...spec.args);
}
