import type { TreeDesc } from './treeDesc.js';

/**
 * How two float32 results are compared:
 * - `'bitwise'`: the same bit pattern in every element (what "same key ⇒ same run, bit for bit" promises);
 * - `'exact'`: IEEE equality, with NaN equal to NaN and +0 equal to −0 (what holds when two computations do the same
 *   float32 operations up to adding a zero, e.g. w + 0·ε);
 * - `{ rtol, atol }`: |x − y| ≤ atol + rtol·max(|x|, |y|) per element (for laws that reorder or merge roundings).
 */
export type Tolerance =
  | 'bitwise'
  | 'exact'
  | {
      /** Relative tolerance. */
      readonly rtol: number;
      /** Absolute tolerance; default 0. */
      readonly atol?: number;
    };

const f32 = new Float32Array(2);
const u32 = new Uint32Array(f32.buffer);

/** sameBits(x, y): whether two numbers are the same float32 bit pattern. */
export function sameBits(x: number, y: number): boolean {
  f32[0] = x;
  f32[1] = y;
  return u32[0] === u32[1];
}

/** closeEnough(x, y, tol): whether two numbers agree under a tolerance (see Tolerance). */
export function closeEnough(x: number, y: number, tol: Tolerance): boolean {
  if (tol === 'bitwise') return sameBits(x, y);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  if (tol === 'exact') return false;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= (tol.atol ?? 0) + tol.rtol * Math.max(Math.abs(x), Math.abs(y));
}

/** describeTolerance(tol): the tolerance in words, for messages. */
export function describeTolerance(tol: Tolerance): string {
  return typeof tol === 'string' ? tol : `|x − y| ≤ ${tol.atol ?? 0} + ${tol.rtol}·max(|x|, |y|)`;
}

/** compareArrays(a, b, tol): null when a and b agree elementwise under tol, else a description of the first mismatch. */
export function compareArrays(a: ArrayLike<number>, b: ArrayLike<number>, tol: Tolerance): string | null {
  if (a.length !== b.length) return `lengths differ: ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!closeEnough(x, y, tol)) return `[${i}]: ${x} vs ${y} (difference ${x - y}; ${describeTolerance(tol)})`;
  }
  return null;
}

/** compareTrees(a, b, tol): null when the two descriptions have the same names, shapes and (under tol) values, else the first difference. */
export function compareTrees(a: TreeDesc, b: TreeDesc, tol: Tolerance): string | null {
  const na = Object.keys(a);
  const nb = Object.keys(b);
  if (na.length !== nb.length || na.some((n) => !(n in b))) return `leaf names differ: [${na.join(', ')}] vs [${nb.join(', ')}]`;
  for (const n of na) {
    const x = a[n]!;
    const y = b[n]!;
    if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) return `leaf '${n}': shapes differ, [${x.shape.join(',')}] vs [${y.shape.join(',')}]`;
    const m = compareArrays(x.values, y.values, tol);
    if (m !== null) return `leaf '${n}'${m}`;
  }
  return null;
}

/** normOf(desc): the global L2 norm √(Σ x²) of a description, accumulated in float64. */
export function normOf(desc: TreeDesc): number {
  let s = 0;
  for (const leaf of Object.values(desc)) for (const x of leaf.values) s += x * x;
  return Math.sqrt(s);
}

/** allFiniteDesc(desc): whether every value of a description is finite. */
export function allFiniteDesc(desc: TreeDesc): boolean {
  return Object.values(desc).every((l) => l.values.every((x) => Number.isFinite(x)));
}
