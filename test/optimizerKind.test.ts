/** optimizer(source, transform) refuses a source of an unknown kind, or no source at all, at construction (issue #16). */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { UnknownKindError, cleanGrad, optimizer, ready, sgd, type GradientSource } from '../src/index.js';

before(async () => {
  await ready();
});

test("optimizer({ kind: 'nope' }, sgd(0.1)): an UnknownKindError naming the kind, where, and the known kinds", () => {
  assert.throws(
    () => optimizer({ kind: 'nope' } as unknown as GradientSource, sgd(0.1)),
    (e: unknown) => e instanceof UnknownKindError && /^optimizer\(source, transform\): unknown gradient source kind 'nope'/.test(e.message) && /Known kinds: .*\bclean\b/.test(e.message),
  );
});

test('optimizer(42, sgd(0.1)): a TypeError saying a gradient source was expected; a known kind is accepted', () => {
  assert.throws(() => optimizer(42 as unknown as GradientSource, sgd(0.1)), (e: unknown) => e instanceof TypeError && /source must be a gradient source .* got 42/.test(e.message));
  assert.equal(optimizer(cleanGrad, sgd(0.1)).source, cleanGrad);
});
