import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';

/** A law: a fast-check property with a name. Run it with `fc.assert(law, { numRuns, seed })`, or `check(law, …)` for a readable error. */
export type Law<Ts extends unknown[] = unknown[]> = fc.IProperty<Ts> & {
  /** The law's name, shown in reports. */
  readonly law: string;
};

/** Thrown inside a law's predicate when the law does not hold for the generated input; the message says where and how. */
export class LawViolation extends Error {
  /** Always `'LawViolation'`. */
  override readonly name = 'LawViolation';
}

/** violated(message): throw a LawViolation. */
export function violated(message: string): never {
  throw new LawViolation(message);
}

/**
 * law(name, arbitrary, body): a named property whose body runs inside `tf.tidy`, so every tensor a run makes — the
 * materialized inputs, and whatever a rule under test leaks — is freed when the run ends, pass or fail.
 */
export function law<T>(name: string, arbitrary: fc.Arbitrary<T>, body: (input: T) => void): Law<[T]> {
  const property = fc.property(arbitrary, (input) => {
    tf.tidy(() => {
      body(input);
    });
  });
  return Object.assign(property, { law: name });
}
