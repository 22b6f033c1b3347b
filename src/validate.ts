import * as E from 'fp-ts/lib/Either.js';
import * as A from 'fp-ts/lib/Apply.js';
import { getSemigroup, type NonEmptyArray } from 'fp-ts/lib/NonEmptyArray.js';
import { HyperparameterError } from './errors.js';
import { isSchedule, type Hyper } from './schedule.js';

/** A validated value: Right(value), or Left(every problem found). */
export type Validation<A> = E.Either<NonEmptyArray<string>, A>;

/** The applicative that collects all problems instead of stopping at the first. */
export const validationApplicative = E.getApplicativeValidation(getSemigroup<string>());

/** ok(a): a valid value. */
export const ok = <A>(a: A): Validation<A> => E.right(a);

/** problem(message): an invalid value with one problem. */
export const problem = <A = never>(message: string): Validation<A> => E.left([message]);

/** all({...}): combine validations of named fields, collecting every problem. */
export function all<R extends Record<string, Validation<unknown>>>(
  fields: R,
): Validation<{ [K in keyof R]: R[K] extends Validation<infer A> ? A : never }> {
  return A.sequenceS(validationApplicative)(fields as Record<string, Validation<unknown>>) as never;
}

/** orThrow(v, where, what = 'hyperparameters'): the value, or a thrown HyperparameterError listing every problem (the plain API's edge). */
export function orThrow<A>(v: Validation<A>, where: string, what?: string): A {
  if (E.isLeft(v)) throw new HyperparameterError(where, v.left, what);
  return v.right;
}

const fmt = (x: unknown): string => (typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x));

/** A numeric predicate with a description of what it demands, e.g. "≥ 0". */
export interface Rule {
  /** test(x): whether x obeys the rule. */
  readonly test: (x: number) => boolean;
  /** What the rule demands, as the error message says it, e.g. `must be ≥ 0`. */
  readonly says: string;
}

/** Rules for hyperparameters. */
export const rules = {
  nonNegative: { test: (x: number) => x >= 0, says: 'must be ≥ 0' },
  positive: { test: (x: number) => x > 0, says: 'must be > 0' },
  unit: { test: (x: number) => x >= 0 && x <= 1, says: 'must be in [0, 1]' },
  unitOpen: { test: (x: number) => x >= 0 && x < 1, says: 'must be in [0, 1)' },
  positiveInteger: { test: (x: number) => Number.isInteger(x) && x >= 1, says: 'must be an integer ≥ 1' },
} satisfies Record<string, Rule>;

/** num(name, x, rule): x must be a finite number obeying rule. */
export function num(name: string, x: unknown, rule: Rule): Validation<number> {
  if (typeof x !== 'number' || Number.isNaN(x)) return problem(`${name} ${rule.says}, got ${fmt(x)}`);
  if (!Number.isFinite(x)) return problem(`${name} must be finite, got ${fmt(x)}`);
  return rule.test(x) ? ok(x) : problem(`${name} ${rule.says}, got ${fmt(x)}`);
}

/** hyper(name, x, rule): a number obeying rule, or a schedule (checked each time it is evaluated). */
export function hyper(name: string, x: unknown, rule: Rule): Validation<Hyper> {
  return isSchedule(x) ? ok(x) : num(name, x, rule);
}

/** checkValue(name, x, rule): throw if a schedule produced an invalid value at run time. */
export function checkValue(where: string, name: string, x: number, rule: Rule, step: number): number {
  if (!Number.isFinite(x) || !rule.test(x)) {
    throw new HyperparameterError(where, [`${name} ${rule.says}, but its schedule gave ${fmt(x)} at step ${step}`]);
  }
  return x;
}

/** bool(name, x): an optional boolean flag. */
export function bool(name: string, x: unknown): Validation<boolean> {
  return typeof x === 'boolean' ? ok(x) : problem(`${name} must be a boolean, got ${fmt(x)}`);
}

/** editDistance(a, b): optimal-string-alignment distance (insert, delete, substitute, swap two neighbours; Damerau 1964). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** closest(word, known): the known word nearest by edit distance (case-insensitive), if at most max(2, ⌊|word|/3⌋) edits away. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const dist = editDistance(word.toLowerCase(), k.toLowerCase());
    if (dist < bestD) [best, bestD] = [k, dist];
  }
  return best;
}

/**
 * knownKeys(options, known, what = 'options'): every key of the options object outside `known` is a problem naming the
 * closest known key ("unknown option 'sgima'; did you mean 'sigma'?"). undefined is fine (no options); a non-object is a problem.
 */
export function knownKeys(options: unknown, known: readonly string[], what = 'options'): Validation<null> {
  if (options === undefined) return ok(null);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return problem(`${what} must be an object, got ${fmt(options)}`);
  const problems: string[] = [];
  for (const k of Object.keys(options)) {
    if (known.includes(k)) continue;
    const near = closest(k, known);
    problems.push(`unknown option '${k}'${what === 'options' ? '' : ` in ${what}`}; ${near === undefined ? `the known ones are ${known.map((x) => `'${x}'`).join(', ')}` : `did you mean '${near}'?`}`);
  }
  return problems.length === 0 ? ok(null) : E.left(problems as unknown as NonEmptyArray<string>);
}

/** checkKeys(where, options, known): throw a HyperparameterError naming every unknown key and its closest known one. */
export function checkKeys(where: string, options: unknown, known: readonly string[], what = 'options'): void {
  orThrow(knownKeys(options, known, what), where, 'options');
}

/** keyProblems(options, known, what): the problems of knownKeys as a plain list (for checks that collect strings). */
export function keyProblems(options: unknown, known: readonly string[], what = 'options'): string[] {
  const v = knownKeys(options, known, what);
  return E.isLeft(v) ? [...v.left] : [];
}
