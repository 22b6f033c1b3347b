/**
 * The normal transform of src/normal.ts: standard normals from Philox-4×32-10 bits (src/philox.ts), by a Box–Muller transform done entirely in float32
 * arithmetic (every +, −, ×, ÷, √ rounded to float32; log, sin and cos are fixed polynomials written here), so that
 * this JavaScript and the WebAssembly SIMD kernel (src/normalSimd.ts) give the same bits on any machine.
 *
 * Mapping. Element e of the sequence of key (k0, k1) is word j = e mod 4 of the Philox block at counter
 * (c mod 2^32, ⌊c / 2^32⌋, 0, 0), c = ⌊e / 4⌋. Words (w0, w1) give elements 4c, 4c + 1 and (w2, w3) give 4c + 2, 4c + 3:
 *   a = w_even >>> 8, b = w_odd >>> 8                       (24-bit integers)
 *   u = (2^24 − a)·2^-24 ∈ (0, 1]                            (float32-exact)
 *   r = √(−2·log u)                                          (r ≤ 5.77: the tail beyond is cut, P ≈ 8e-9)
 *   q = b >>> 22, d = ((b mod 2^22) − 2^21 + ½)·(π/2)·2^-22 ∈ (−π/4, π/4)
 *   θ = q·π/2 + d (uniform on a circle); element 4c + 2p = r·cos θ, 4c + 2p + 1 = r·sin θ.
 * log u = e·ln2 + 2·atanh(s) with u = m·2^e, m ∈ [√½, √2), s = (m − 1)/(m + 1); sin and cos on |d| < π/4 are their
 * Taylor polynomials to d⁹ and d¹⁰ (truncation < 2e-9).
 */

const f = Math.fround;
const LN2_HI = f(0.693359375);
const LN2_LO = f(-2.12194440e-4);
const L3 = f(2 / 3);
const L5 = f(2 / 5);
const L7 = f(2 / 7);
const L9 = f(2 / 9);
const S3 = f(-1 / 6);
const S5 = f(1 / 120);
const S7 = f(-1 / 5040);
const S9 = f(1 / 362880);
const C2 = f(-1 / 2);
const C4 = f(1 / 24);
const C6 = f(-1 / 720);
const C8 = f(1 / 40320);
const C10 = f(-1 / 3628800);
const D_SCALE = f(Math.PI / 2 / 4194304);
const SQRT_HALF_BITS = 0x3f3504f3;

/** The float32 constants of the transform, in the order the SIMD kernel takes them. */
export const BOX_MULLER_CONSTANTS = { LN2_HI, LN2_LO, L3, L5, L7, L9, S3, S5, S7, S9, C2, C4, C6, C8, C10, D_SCALE, SQRT_HALF_BITS } as const;

const scratchF = new Float32Array(1);
const scratchI = new Int32Array(scratchF.buffer);

/** logf(u): log u for a float32 u in (0, 1], in float32 steps (see the module comment). */
function logf(u: number): number {
  scratchF[0] = u;
  const ix = ((scratchI[0] as number) - SQRT_HALF_BITS) | 0;
  const e = ix >> 23;
  scratchI[0] = (ix & 0x7fffff) + SQRT_HALF_BITS;
  const fm = f((scratchF[0] as number) - 1);
  const s = f(fm / f(2 + fm));
  const z = f(s * s);
  let p = f(L7 + f(z * L9));
  p = f(L5 + f(z * p));
  p = f(L3 + f(z * p));
  p = f(2 + f(z * p));
  const t = f(s * p);
  return f(f(e * LN2_HI) + f(f(e * LN2_LO) + t));
}

/** boxMuller(wa, wb, out, i): the two normals of Philox words (wa, wb), written to out[i] (r·cos θ) and out[i + 1] (r·sin θ). */
export function boxMuller(wa: number, wb: number, out: Float32Array, i: number): void {
  const a = wa >>> 8;
  const b = wb >>> 8;
  const u = f((0x1000000 - a) * 2 ** -24);
  const r = f(Math.sqrt(f(-2 * logf(u))));
  const q = b >>> 22;
  const d = f(f((b & 0x3fffff) - 0x200000 + 0.5) * D_SCALE);
  const d2 = f(d * d);
  let sp = f(S7 + f(d2 * S9));
  sp = f(S5 + f(d2 * sp));
  sp = f(S3 + f(d2 * sp));
  sp = f(1 + f(d2 * sp));
  const sn = f(d * sp);
  let cp = f(C8 + f(d2 * C10));
  cp = f(C6 + f(d2 * cp));
  cp = f(C4 + f(d2 * cp));
  cp = f(C2 + f(d2 * cp));
  const cs = f(1 + f(d2 * cp));
  const odd = (q & 1) === 1;
  const c = odd ? sn : cs;
  const s = odd ? cs : sn;
  const cosT = ((q + 1) & 2) !== 0 ? -c : c;
  const sinT = (q & 2) !== 0 ? -s : s;
  out[i] = r * cosT;
  out[i + 1] = r * sinT;
}
