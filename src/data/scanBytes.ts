/**
 * A fast, allocation-light reader for the dataset packages' JSON files, which are `{"data": [...]}` with a
 * flat array of numbers (mnist) or an array of number arrays (fashion-mnist). It walks the raw bytes once and
 * writes 8-bit pixels straight into a Uint8Array — about 3× faster than toString + JSON.parse on these files (measured
 * ~120 ms vs ~400 ms per 15 MB fashion-mnist file) and without materialising millions of JS numbers.
 */

/** The pixels of one file and, for nested files, the length of each inner array (empty arrays included). */
export interface ScannedPixels {
  readonly pixels: Uint8Array;
  readonly rowLengths: readonly number[];
  readonly nested: boolean;
}

const ZERO = 48;
const NINE = 57;
const DOT = 46;

/**
 * scanPixels(bytes, scale, source): pixels k = round(v·scale) for every number v in the file's first top-level array;
 * scale 255 for values in [0,1] (stored rounded to 3 decimals, so |v·255 − k| ≤ 0.13), scale 1 for integers 0…255.
 */
export function scanPixels(bytes: Uint8Array, scale: 1 | 255, source: string): ScannedPixels {
  const len = bytes.length;
  const fail = (at: number, what: string): never => {
    const around = Buffer.from(bytes.subarray(Math.max(0, at - 20), Math.min(len, at + 20))).toString('latin1');
    throw new Error(`${source}: unexpected data format at byte ${at} (${what}) near ${JSON.stringify(around)}`);
  };
  let i = bytes.indexOf(0x5b /* [ */);
  if (i < 0) fail(0, 'no array found');
  const out = new Uint8Array((len >>> 1) + 1);
  let count = 0;
  const rowLengths: number[] = [];
  let rowStart = 0;
  let depth = 0;
  let nested = false;
  for (; i < len; i++) {
    const ch = bytes[i]!;
    if (ch >= ZERO && ch <= NINE) {
      let int = ch - ZERO;
      let c = bytes[++i]!;
      while (c >= ZERO && c <= NINE) {
        int = int * 10 + (c - ZERO);
        c = bytes[++i]!;
      }
      let v = int;
      if (c === DOT) {
        let frac = 0;
        let div = 1;
        c = bytes[++i]!;
        while (c >= ZERO && c <= NINE) {
          frac = frac * 10 + (c - ZERO);
          div *= 10;
          c = bytes[++i]!;
        }
        v = int + frac / div;
      }
      if (c === 0x65 || c === 0x45) fail(i, 'exponent notation is not supported');
      i--; // the loop's i++ revisits the delimiter
      const scaled = v * scale;
      const k = Math.round(scaled);
      if (k > 255 || Math.abs(scaled - k) > 0.25) fail(i, `value ${v} is not an 8-bit pixel at scale ${scale}`);
      out[count++] = k;
    } else if (ch === 0x2c /* , */ || ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
      continue;
    } else if (ch === 0x5b /* [ */) {
      depth++;
      if (depth === 2) {
        nested = true;
        rowStart = count;
      } else if (depth > 2) fail(i, 'arrays nested deeper than two levels');
    } else if (ch === 0x5d /* ] */) {
      if (depth === 2) rowLengths.push(count - rowStart);
      depth--;
      if (depth === 0) break;
    } else {
      fail(i, `unexpected character ${JSON.stringify(String.fromCharCode(ch))}`);
    }
  }
  if (depth !== 0) fail(len, 'unterminated array');
  if (nested && rowLengths.reduce((s, r) => s + r, 0) !== count) fail(i, 'numbers outside inner arrays');
  return { pixels: out.slice(0, count), rowLengths, nested };
}
