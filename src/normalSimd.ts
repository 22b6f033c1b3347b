/**
 * The WebAssembly SIMD kernel of src/normal.ts (transform of src/boxMuller.ts): Philox-4×32-10 on four blocks at once (i32x4 lanes, the high words of
 * the 32×32-bit products from i64x2 extended multiplies) and the same float32 Box–Muller, op for op, so its output is
 * bit-identical to the JavaScript path. The module is assembled here, at load time, from the expressions below.
 */
import { BOX_MULLER_CONSTANTS as K } from './boxMuller.js';

type Code = number[];

const uleb = (n: number): Code => {
  const out: Code = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): Code => {
  const out: Code = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const simd = (op: number): Code => [0xfd, ...uleb(op)];
const bin = (op: number) => (a: Code, b: Code): Code => [...a, ...b, ...simd(op)];
const un = (op: number) => (a: Code): Code => [...a, ...simd(op)];
const shift = (op: number) => (a: Code, n: number): Code => [...a, 0x41, ...sleb(n), ...simd(op)];
const get = (i: number): Code => [0x20, ...uleb(i)];
const set = (i: number, v: Code): Code => [...v, 0x21, ...uleb(i)];
const bytes16 = (words: readonly number[], asFloat: boolean): Code => {
  const b = new Uint8Array(16);
  const view = new DataView(b.buffer);
  words.forEach((w, i) => (asFloat ? view.setFloat32(4 * i, w, true) : view.setUint32(4 * i, w >>> 0, true)));
  return [...b];
};
const constI = (w: number): Code => [...simd(0x0c), ...bytes16([w, w, w, w], false)];
const constF = (x: number): Code => [...simd(0x0c), ...bytes16([x, x, x, x], true)];
const splat = (v: Code): Code => [...v, ...simd(0x11)];
/** i8x16.shuffle with 32-bit lane indices (0–3 from a, 4–7 from b). */
const shuffle32 = (a: Code, b: Code, lanes: readonly number[]): Code => [...a, ...b, ...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];

const and = bin(0x4e);
const xor = bin(0x51);
const bitselect = (a: Code, b: Code, mask: Code): Code => [...a, ...b, ...mask, ...simd(0x52)];
const shl = shift(0xab);
const shrS = shift(0xac);
const shrU = shift(0xad);
const iadd = bin(0xae);
const isub = bin(0xb1);
const imul = bin(0xb5);
const mulLo64 = bin(0xde);
const mulHi64 = bin(0xdf);
const sqrt = un(0xe3);
const fadd = bin(0xe4);
const fsub = bin(0xe5);
const fmul = bin(0xe6);
const fdiv = bin(0xe7);
const cvt = un(0xfa);

// Locals: parameters k0, k1, c0, c1, groups, ptr (i32), then v128 temporaries.
const [K0, K1, C0, C1, GROUPS, PTR] = [0, 1, 2, 3, 4, 5];
let nextLocal = 6;
const v = (): number => nextLocal++;
const CTR = v(), HI = v(), X0 = v(), X1 = v(), X2 = v(), X3 = v(), KA = v(), KB = v(), H0 = v(), L0 = v();
const Z = [v(), v(), v(), v()];
const T = [v(), v(), v(), v()];
const A = v(), B = v(), IX = v(), S = v(), ZZ = v(), R = v(), Q = v(), D = v(), D2 = v(), SN = v(), CS = v(), MASK = v();

/** (high words of M·x, per lane): the odd 32-bit halves of the two i64x2 products. */
const mulhi = (x: Code, m: number): Code => shuffle32(mulLo64(x, constI(m)), mulHi64(x, constI(m)), [1, 3, 5, 7]);

function philoxRound(): Code {
  return [
    ...set(H0, mulhi(get(X0), 0xd2511f53)),
    ...set(L0, imul(get(X0), constI(0xd2511f53))),
    ...set(X0, xor(xor(mulhi(get(X2), 0xcd9e8d57), get(X1)), get(KA))),
    ...set(X1, imul(get(X2), constI(0xcd9e8d57))),
    ...set(X2, xor(xor(get(H0), get(X3)), get(KB))),
    ...set(X3, get(L0)),
    ...set(KA, iadd(get(KA), constI(0x9e3779b9))),
    ...set(KB, iadd(get(KB), constI(0xbb67ae85))),
  ];
}

/** The Box–Muller of src/boxMuller.ts on words (wa, wb) into Z[zc] (r·cos θ) and Z[zs] (r·sin θ). */
function boxMuller(wa: number, wb: number, zc: number, zs: number): Code {
  const poly = (x: Code, init: Code, coeffs: readonly number[]): Code => coeffs.reduce((p, c) => fadd(constF(c), fmul(x, p)), init);
  return [
    ...set(A, shrU(get(wa), 8)),
    ...set(B, shrU(get(wb), 8)),
    // u = (2^24 − a)·2^-24; ix = bits(u) − bits(√½); e = ix >> 23; m = bits((ix & 0x7fffff) + bits(√½)).
    ...set(IX, isub(fmul(cvt(isub(constI(0x1000000), get(A))), constF(2 ** -24)), constI(K.SQRT_HALF_BITS))),
    // s = (m − 1)/(2 + (m − 1))
    ...set(S, fsub(iadd(and(get(IX), constI(0x7fffff)), constI(K.SQRT_HALF_BITS)), constF(1))),
    ...set(S, fdiv(get(S), fadd(constF(2), get(S)))),
    ...set(ZZ, fmul(get(S), get(S))),
    // log u = e·LN2_HI + (e·LN2_LO + s·p(z)); r = √(−2·log u)
    ...set(R, fadd(fmul(cvt(shrS(get(IX), 23)), constF(K.LN2_HI)), fadd(fmul(cvt(shrS(get(IX), 23)), constF(K.LN2_LO)), fmul(get(S), poly(get(ZZ), constF(K.L9), [K.L7, K.L5, K.L3, 2]))))),
    ...set(R, sqrt(fmul(get(R), constF(-2)))),
    ...set(Q, shrU(get(B), 22)),
    ...set(D, fmul(fadd(cvt(isub(and(get(B), constI(0x3fffff)), constI(0x200000))), constF(0.5)), constF(K.D_SCALE))),
    ...set(D2, fmul(get(D), get(D))),
    ...set(SN, fmul(get(D), poly(get(D2), constF(K.S9), [K.S7, K.S5, K.S3, 1]))),
    ...set(CS, fadd(constF(1), fmul(get(D2), poly(get(D2), constF(K.C10), [K.C8, K.C6, K.C4, K.C2])))),
    ...set(MASK, isub(constI(0), and(get(Q), constI(1)))),
    ...set(zc, fmul(get(R), xor(bitselect(get(SN), get(CS), get(MASK)), shl(and(iadd(get(Q), constI(1)), constI(2)), 30)))),
    ...set(zs, fmul(get(R), xor(bitselect(get(CS), get(SN), get(MASK)), shl(and(get(Q), constI(2)), 30)))),
  ];
}

const store = (offset: number, value: Code): Code => [...get(PTR), ...value, ...simd(0x0b), 4, ...uleb(offset)];

function body(): Code {
  const rounds: Code = [];
  for (let r = 0; r < 10; r++) rounds.push(...philoxRound());
  return [
    ...set(CTR, iadd(splat(get(C0)), [...simd(0x0c), ...bytes16([0, 1, 2, 3], false)])),
    ...set(HI, splat(get(C1))),
    0x03, 0x40, // loop
    ...set(X0, get(CTR)),
    ...set(X1, get(HI)),
    ...set(X2, constI(0)),
    ...set(X3, constI(0)),
    ...set(KA, splat(get(K0))),
    ...set(KB, splat(get(K1))),
    ...rounds,
    ...boxMuller(X0, X1, Z[0] as number, Z[1] as number),
    ...boxMuller(X2, X3, Z[2] as number, Z[3] as number),
    // Transpose: lane j of Z0..Z3 are elements 4j … 4j + 3.
    ...set(T[0] as number, shuffle32(get(Z[0] as number), get(Z[1] as number), [0, 4, 1, 5])),
    ...set(T[1] as number, shuffle32(get(Z[0] as number), get(Z[1] as number), [2, 6, 3, 7])),
    ...set(T[2] as number, shuffle32(get(Z[2] as number), get(Z[3] as number), [0, 4, 1, 5])),
    ...set(T[3] as number, shuffle32(get(Z[2] as number), get(Z[3] as number), [2, 6, 3, 7])),
    ...store(0, shuffle32(get(T[0] as number), get(T[2] as number), [0, 1, 4, 5])),
    ...store(16, shuffle32(get(T[0] as number), get(T[2] as number), [2, 3, 6, 7])),
    ...store(32, shuffle32(get(T[1] as number), get(T[3] as number), [0, 1, 4, 5])),
    ...store(48, shuffle32(get(T[1] as number), get(T[3] as number), [2, 3, 6, 7])),
    ...get(PTR), 0x41, ...sleb(64), 0x6a, 0x21, ...uleb(PTR),
    ...set(CTR, iadd(get(CTR), constI(4))),
    ...get(GROUPS), 0x41, 1, 0x6b, 0x22, ...uleb(GROUPS), // groups -= 1 (tee)
    0x0d, 0, // br_if loop
    0x0b, // end loop
    0x0b, // end function
  ];
}

function moduleBytes(): Uint8Array {
  const section = (id: number, content: Code): Code => [id, ...uleb(content.length), ...content];
  const name = (s: string): Code => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const code = body();
  const fn = [...uleb(1), ...uleb(nextLocal - 6), 0x7b, ...code];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('fill'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...uleb(fn.length), ...fn]),
  ]);
}

/** The kernel: fill(k0, k1, c0, c1, groups, ptr) writes 16·groups normals (blocks c0 … c0 + 4·groups − 1, c0 a multiple of 4) at ptr. */
export interface SimdKernel {
  readonly fill: (k0: number, k1: number, c0: number, c1: number, groups: number, ptr: number) => void;
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

/** The few WebAssembly JS-API members used here (the project's TypeScript libs do not declare them). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** simdKernel(): the instantiated kernel, or undefined where WebAssembly SIMD is not available. */
export function simdKernel(): SimdKernel | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return undefined;
    const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
    const { fill, memory } = instance.exports as unknown as SimdKernel;
    return { fill, memory };
  } catch {
    return undefined;
  }
}
