/**
 * Philox-4×32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011; the
 * generator of Random123 and of JAX's `rbg`/cuRAND's default): a keyed bijection of a 128-bit counter, so the
 * block at any counter is computed directly, without a stream. Typed-array JavaScript: the 32×32→64-bit products
 * are split into two exact double-precision products (a·M_hi16, a·M_lo16 < 2^48).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const P16 = 1 / 65536;

/** philox4x32(counter, key, rounds = 10): the four 32-bit output words of one Philox-4×32 block (Random123's philox4x32_R). */
export function philox4x32(counter: readonly [number, number, number, number], k: readonly [number, number], rounds = 10): [number, number, number, number] {
  const out = new Uint32Array(4);
  philoxBlocks(k[0], k[1], counter[0], counter[1], counter[2], counter[3], 1, out, rounds);
  return [out[0] as number, out[1] as number, out[2] as number, out[3] as number];
}

/**
 * philoxBlocks(k0, k1, c0, c1, c2, c3, n, out, rounds = 10): the n blocks at counters (c0 + j, c1 + carry, c2, c3),
 * j = 0 … n − 1 (the low 64 bits count, with carry), written to out[4j … 4j + 3].
 */
export function philoxBlocks(k0: number, k1: number, c0: number, c1: number, c2: number, c3: number, n: number, out: Uint32Array, rounds = 10): void {
  let lo = c0 >>> 0;
  let hi = c1 >>> 0;
  for (let j = 0; j < n; j++) {
    let x0 = lo;
    let x1 = hi;
    let x2 = c2 >>> 0;
    let x3 = c3 >>> 0;
    let a = k0 >>> 0;
    let b = k1 >>> 0;
    for (let r = 0; r < rounds; r++) {
      // (hi, lo) of M0·x0 and M1·x2; the high words from exact partial products.
      const h0 = Math.floor((x0 * M0H + Math.floor(x0 * M0L * P16)) * P16);
      const l0 = Math.imul(x0, M0) >>> 0;
      const h1 = Math.floor((x2 * M1H + Math.floor(x2 * M1L * P16)) * P16);
      const l1 = Math.imul(x2, M1) >>> 0;
      x0 = (h1 ^ x1 ^ a) >>> 0;
      x1 = l1;
      x2 = (h0 ^ x3 ^ b) >>> 0;
      x3 = l0;
      a = (a + W0) >>> 0;
      b = (b + W1) >>> 0;
    }
    out[4 * j] = x0;
    out[4 * j + 1] = x1;
    out[4 * j + 2] = x2;
    out[4 * j + 3] = x3;
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
}
