/**
 * A tiny deterministic PRNG for data pipelines: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, period ≥ 2^32 by its counter word), seeded from both 32-bit words of a key.
 * Same key ⇒ same stream, on every platform; it never touches Math.random.
 */
import type { Key } from '../random.js';

/** A stream of uniform uint32 values. */
export type Uint32Stream = () => number;

/** prng(k): an sfc32 stream seeded with the key's words [hi, lo] and two constants, warmed up by 16 draws. */
export function prng(k: Key): Uint32Stream {
  let a = k[0] >>> 0;
  let b = k[1] >>> 0;
  let c = 0x9e3779b9;
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** randomInt(next, n): an integer uniform on {0, …, n−1} = ⌊u·n⌋ with u = next()/2^32 (bias ≤ n/2^32; n ≤ 2^32). */
export function randomInt(next: Uint32Stream, n: number): number {
  return Math.floor((next() / 4294967296) * n);
}

/** permutation(n, k): a uniformly random permutation of 0…n−1 (Fisher–Yates driven by prng(k)). */
export function permutation(n: number, k: Key): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`permutation(n, key): n must be an integer in [0, 2^31), got ${String(n)}`);
  }
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const next = prng(k);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(next, i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
