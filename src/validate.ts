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

/** orThrow(v, where): the value, or a thrown HyperparameterError listing every problem (the plain API's edge). */
export function orThrow<A>(v: Validation<A>, where: string): A {
  if (E.isLeft(v)) throw new HyperparameterError(where, v.left);
  return v.right;
}

const fmt = (x: unknown): string => (typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x));

/** A numeric predicate with a description of what it demands, e.g. "≥ 0". */
export interface Rule {
  readonly test: (x: number) => boolean;
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
