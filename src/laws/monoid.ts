import { chain as libraryChain } from '../transform/chain.js';
import { identity as libraryIdentity } from '../transform/identity.js';
import type { AnyTransformation } from '../transform/types.js';
import type { ParamsAndGrads } from './arbitraries.js';
import { arbParamsAndGrads } from './arbitraries.js';
import { sameRuns, type StreamOptions } from './equivalent.js';
import { law, type Law } from './law.js';
import { lawOptions, STREAM_KEYS } from './options.js';

/** The composition under test (default optimix's `chain`). */
export type Compose = (...ts: AnyTransformation[]) => AnyTransformation;

/** Options of the monoid laws: which `chain` and `identity` to judge (default optimix's), and the streams. */
export interface MonoidOptions extends StreamOptions {
  /** The composition to judge; default optimix's `chain`. */
  readonly chain?: Compose;
  /** The unit to judge; default optimix's `identity`. */
  readonly unit?: AnyTransformation;
}

/** isMonoidUnit(t): chain(identity, t) and chain(t, identity) give exactly t's updates on every random gradient stream. */
export function isMonoidUnit(t: AnyTransformation, options: MonoidOptions = {}): Law<[ParamsAndGrads]> {
  lawOptions('isMonoidUnit', options, [...STREAM_KEYS, 'chain', 'unit']);
  const chain = options.chain ?? libraryChain;
  const unit = options.unit ?? libraryIdentity;
  return law('identity is the unit of chain', arbParamsAndGrads(options), (input) =>
    sameRuns([['t', t], ['chain(identity, t)', chain(unit, t)], ['chain(t, identity)', chain(t, unit)]], input, 'exact', options.apply ?? true),
  );
}

/** isAssociative(a, b, c): chain(chain(a, b), c) and chain(a, chain(b, c)) (and, for optimix's chain, chain(a, b, c)) give exactly the same updates on every random gradient stream. */
export function isAssociative(a: AnyTransformation, b: AnyTransformation, c: AnyTransformation, options: Omit<MonoidOptions, 'unit'> = {}): Law<[ParamsAndGrads]> {
  lawOptions('isAssociative', options, [...STREAM_KEYS, 'chain']);
  const chain = options.chain ?? libraryChain;
  return law('chain is associative', arbParamsAndGrads(options), (input) =>
    sameRuns(
      [
        ['chain(chain(a, b), c)', chain(chain(a, b), c)],
        ['chain(a, chain(b, c))', chain(a, chain(b, c))],
        // optimix's chain is variadic: the flat form must agree too.
        ...(options.chain === undefined ? [['chain(a, b, c)', chain(a, b, c)] as const] : []),
      ],
      input,
      'exact',
      options.apply ?? true,
    ),
  );
}
