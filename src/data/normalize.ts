/** Turning 8-bit pixels into float features: the 'unit' and 'standard' scalings. */
import type { Normalization } from './dataset.js';

/** pixelStats(pixels, rows, size): mean and population std of u = pixel/255 over the given rows (exact integer sums). */
export function pixelStats(
  pixels: Uint8Array,
  rows: ArrayLike<number>,
  size: number,
): {
  /** Mean of pixel/255. */
  mean: number;
  /** Population standard deviation of pixel/255. */
  std: number;
} {
  let s = 0;
  let s2 = 0;
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r]! * size;
    let rs = 0;
    let rs2 = 0;
    for (let p = base; p < base + size; p++) {
      const k = pixels[p]!;
      rs += k;
      rs2 += k * k;
    }
    s += rs;
    s2 += rs2;
  }
  const count = rows.length * size;
  const mean = s / count / 255;
  const variance = Math.max(0, s2 / count / (255 * 255) - mean * mean);
  return { mean, std: Math.sqrt(variance) };
}

/** normalization(kind, pixels, rows, size): 'unit' ⇒ mean 0, std 1 (x = pixel/255); 'standard' ⇒ the rows' pixelStats. */
export function normalization(kind: 'unit' | 'standard', pixels: Uint8Array, rows: ArrayLike<number>, size: number): Normalization {
  if (kind === 'unit') return Object.freeze({ kind, mean: 0, std: 1 });
  const { mean, std } = pixelStats(pixels, rows, size);
  if (!(std > 0)) throw new RangeError(`normalize 'standard': the train pixels have zero variance; use normalize 'unit'`);
  return Object.freeze({ kind, mean, std });
}

/** gatherPixels(pixels, rows, size, norm): Float32Array of rows·size features x = (pixel/255 − mean)/std, via a 256-entry table. */
export function gatherPixels(pixels: Uint8Array, rows: ArrayLike<number>, size: number, norm: Normalization): Float32Array {
  const table = new Float32Array(256);
  for (let k = 0; k < 256; k++) table[k] = (k / 255 - norm.mean) / norm.std;
  const x = new Float32Array(rows.length * size);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r]! * size;
    const dst = r * size;
    for (let p = 0; p < size; p++) x[dst + p] = table[pixels[src + p]!]!;
  }
  return x;
}
