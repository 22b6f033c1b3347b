import type { Monoid } from 'fp-ts/lib/Monoid.js';
import { concatAll } from 'fp-ts/lib/Monoid.js';
import { chain } from './transform/chain.js';
import { identity } from './transform/identity.js';
import type { AnyTransformation } from './transform/types.js';

/** The monoid of gradient transformations under `chain`, with `identity` as its unit (laws checked in test/laws). */
export const transformMonoid: Monoid<AnyTransformation> = {
  concat: (a, b) => chain(a, b),
  empty: identity,
};

/** chainAll([t₁, …, tₙ]) = t₁ ⋯ tₙ folded with the monoid (identity for an empty list). */
export const chainAll: (ts: readonly AnyTransformation[]) => AnyTransformation = concatAll(transformMonoid);

export { validationApplicative, all, ok, problem, orThrow, type Validation } from './validate.js';
