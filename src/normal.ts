/**
 * Counter-based standard normals: element i of key k's sequence is a pure function of (k, i), so any thread can draw
 * any slice [offset, offset + count) with the same bits as the whole draw. Philox-4×32-10 bits (src/philox.ts) through
 * a float32 Box–Muller (src/boxMuller.ts, where the exact mapping is written down), run by a WebAssembly SIMD kernel
 * (src/normalSimd.ts) where the platform has one, else by the bit-identical JavaScript.
 */
import { boxMuller } from './boxMuller.js';
import { philoxBlocks } from './philox.js';
import { simdKernel, type SimdKernel } from './normalSimd.js';

/** Blocks per kernel call: bounds the kernel's memory at 4·CHUNK floats (4 MiB). */
const CHUNK = 1 << 18;
const TWO32 = 2 ** 32;

/** Built at import (a few ms), not at the first draw, so that no draw (e.g. a worker's first draw-ahead) pays for it. */
const kernel: SimdKernel | undefined = simdKernel();
const getKernel = (): SimdKernel | undefined => kernel;

/** Whether draws run on the WebAssembly SIMD kernel (`'simd'`) or the JavaScript fallback (`'js'`): same values either way. */
export function normalsEngine(): 'simd' | 'js' {
  return getKernel() === undefined ? 'js' : 'simd';
}

function check(count: number, offset: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`normals: count must be a non-negative integer, got ${String(count)}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`normals: offset must be a non-negative integer, got ${String(offset)}`);
}

/**
 * Blocks [b0, b0 + n) (b0 and n multiples of 4, not crossing a multiple of 2^32) drawn; their elements
 * [from, from + take) (counted from element 4·b0) copied to out at `at`.
 */
function blocks(k0: number, k1: number, b0: number, n: number, from: number, take: number, out: Float32Array, at: number, engine: SimdKernel | undefined): void {
  const lo = b0 % TWO32;
  const hi = Math.floor(b0 / TWO32);
  if (engine !== undefined) {
    const bytes = 16 * n;
    const have = engine.memory.buffer.byteLength;
    if (have < bytes) engine.memory.grow(Math.ceil((bytes - have) / 65536));
    engine.fill(k0, k1, lo, hi, n / 4, 0);
    out.set(new Float32Array(engine.memory.buffer, 4 * from, take), at);
    return;
  }
  const bits = new Uint32Array(4 * n);
  const buf = new Float32Array(4 * n);
  philoxBlocks(k0, k1, lo, hi, 0, 0, n, bits);
  for (let i = 0; i < 4 * n; i += 2) boxMuller(bits[i] as number, bits[i + 1] as number, buf, i);
  out.set(buf.subarray(from, from + take), at);
}

/**
 * normalWords([k0, k1], count, offset = 0, engine = best): elements [offset, offset + count) of the N(0, 1) sequence
 * with Philox key (k0, k1), as float32 (Salmon et al. 2011; mapping in src/boxMuller.ts).
 */
export function normalWords(words: readonly [number, number], count: number, offset = 0, engine: 'simd' | 'js' | 'best' = 'best'): Float32Array {
  check(count, offset);
  const k0 = words[0] >>> 0;
  const k1 = words[1] >>> 0;
  const run = engine === 'js' ? undefined : getKernel();
  if (engine === 'simd' && run === undefined) throw new Error('normals: WebAssembly SIMD is not available here');
  const out = new Float32Array(count);
  const end = offset + count;
  let e = offset;
  while (e < end) {
    const b0 = Math.floor(e / 16) * 4;
    const wrap = (Math.floor(b0 / TWO32) + 1) * TWO32;
    const n = Math.min(CHUNK, Math.ceil((end - 4 * b0) / 16) * 4, wrap - b0);
    const from = e - 4 * b0;
    const take = Math.min(4 * n - from, end - e);
    blocks(k0, k1, b0, n, from, take, out, e - offset, run);
    e += take;
  }
  return out;
}

/** normals(key, count, offset = 0): elements [offset, offset + count) of key's N(0, 1) sequence; the key's two words are the Philox key. */
export function normals(k: readonly [number, number], count: number, offset = 0): Float32Array {
  return normalWords(k, count, offset);
}

/** seedWords(seed): the Philox key of a numeric seed in [0, 2^53): [⌊seed / 2^32⌋, seed mod 2^32]. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`normals: seed must be a non-negative safe integer, got ${String(seed)}`);
  return [Math.floor(seed / TWO32) >>> 0, seed >>> 0];
}
