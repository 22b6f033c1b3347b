/** Symmetric label noise, deterministic in a key. */
import type { Key } from '../random.js';
import { prng, randomInt } from './prng.js';

/**
 * noisyLabels(y, classes, fraction, key): a copy of y in which exactly round(fraction·n) positions, chosen uniformly
 * without replacement, get a class drawn uniformly from the classes−1 *other* classes; y itself is not changed.
 */
export function noisyLabels(y: Int32Array, classes: number, fraction: number, k: Key): Int32Array {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction >= 1) {
    throw new RangeError(`noisyLabels: fraction (option 'labelNoise') must be in [0, 1), got ${String(fraction)}`);
  }
  const n = y.length;
  const m = Math.round(fraction * n);
  const out = y.slice();
  const next = prng(k);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + randomInt(next, n - i); // partial Fisher–Yates: order[0..m) is a uniform m-subset
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
    const at = order[i]!;
    out[at] = (y[at]! + 1 + randomInt(next, classes - 1)) % classes;
  }
  return out;
}
