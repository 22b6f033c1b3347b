/**
 * Pure random keys, in the style of JAX's PRNG keys: a key is an immutable pair of
 * 32-bit words; `split` and `fold` derive new keys by hashing, and `toSeed` maps a
 * key to the numeric seed tfjs's random ops take. Same key ⇒ same numbers.
 */
export type Key = readonly [number, number] & {
  /** A type-level brand (no such property exists at run time): only this module's functions make keys. */
  readonly __brand: 'optimix.Key';
};

/** 32-bit finalizer of MurmurHash3 (fmix32): a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix2(a: number, b: number, salt: number): number {
  return fmix32((fmix32(a ^ salt) + Math.imul(b ^ 0x9e3779b9, 0x27d4eb2f)) >>> 0);
}

function make(hi: number, lo: number): Key {
  return Object.freeze([hi >>> 0, lo >>> 0]) as unknown as Key;
}

/** key(seed): a root key from an integer seed (any safe integer). */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`key(seed): seed must be a safe integer, got ${String(seed)}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  return make(fmix32(hi ^ 0x243f6a88), fmix32(lo ^ 0x85a308d3));
}

/** fold(k, n): the key derived from k and an integer n (a step count, a name's hash); fold(k, n) ≠ fold(k, m) for n ≠ m. */
export function fold(k: Key, n: number): Key {
  const d = n >>> 0;
  return make(mix2(k[0], d, k[1]), mix2(k[1], d, k[0] ^ 0x3c6ef372));
}

/** split(k, n = 2): n independent keys derived from k. */
export function split(k: Key, n = 2): Key[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`split(key, n): n must be a positive integer, got ${String(n)}`);
  return Array.from({ length: n }, (_, i) => fold(fold(k, 0x5bd1e995), i));
}

/** foldName(k, name): fold a string (e.g. a parameter name) into a key, via its FNV-1a hash. */
export function foldName(k: Key, name: string): Key {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fold(k, h >>> 0);
}

/** toSeed(k): the seed passed to tfjs random ops, an integer in [1, 2^53) (tfjs treats a seed of 0 as "unseeded"). */
export function toSeed(k: Key): number {
  return (k[0] & 0x1fffff) * 2 ** 32 + k[1] || 1;
}

/** isKey(x): whether x is a key made by this module's functions (a frozen pair of uint32 words). */
export function isKey(x: unknown): x is Key {
  return Array.isArray(x) && x.length === 2 && x.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32);
}

/** fromWords([hi, lo]): rebuild a key sent across threads or read from a checkpoint. */
export function fromWords(words: readonly [number, number]): Key {
  if (!isKey(words)) throw new RangeError(`fromWords: expected two uint32 words, got ${JSON.stringify(words)}`);
  return make(words[0], words[1]);
}
