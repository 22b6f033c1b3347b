import assert from 'node:assert/strict';
import { HyperparameterError } from '../../src/errors.js';

/** refused(f): the message of the HyperparameterError that f throws (fails the test if f throws nothing or something else). */
export function refused(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof HyperparameterError, `expected a HyperparameterError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected an error');
}
