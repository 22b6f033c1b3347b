/**
 * A Dataset as one self-describing file (src/container.ts, magic 'OPTIMIXD'): a JSON description (name, n, shape, classes,
 * class names, normalization, and where each array lies, with its CRC-32), then x, y, index and cleanY (int32), little-endian.
 * x is stored as 8-bit pixels k when every value is exactly what the loaders make of a pixel, (k/255 − mean)/std in float32
 * (4× smaller), else as float32. Bit for bit either way: decodeDataset(encodeDataset(ds)) holds the same numbers. Serve the
 * file as a static asset and read it in a page with fetchDataset(url).
 */
import { crc32, fromLittleEndian, toLittleEndian } from '../checkpoint/bytes.js';
import { asBytes, pack, unpack } from '../container.js';
import { keyProblems } from '../validate.js';
import { makeDataset, type Dataset, type Normalization } from './dataset.js';
import { gatherPixels } from './normalize.js';
import { DatasetError } from './errors.js';

/** The `format` field of a dataset file's JSON. */
export const DATASET_FORMAT = 'optimix-dataset';
/** The dataset file version this code writes and reads. */
export const DATASET_VERSION = 1;

const ARRAYS = [['x', 'float32'], ['y', 'int32'], ['index', 'int32'], ['cleanY', 'int32']] as const;
type ArrayName = (typeof ARRAYS)[number][0];
interface ArrayEntry { readonly dtype: 'float32' | 'int32' | 'uint8'; readonly offset: number; readonly byteLength: number; readonly crc32: number }

/** pixelTable(norm): the float32 feature of each 8-bit pixel k, (k/255 − mean)/std, computed as the loaders compute it. */
const pixelTable = (norm: Normalization): Float32Array => gatherPixels(Uint8Array.from({ length: 256 }, (_, k) => k), [0], 256, norm);

/** asPixels(x, norm): the pixels k with x[i] = pixelTable(norm)[k] bit for bit, or undefined when some value is not one (or the table repeats a value). */
function asPixels(x: Float32Array, norm: Normalization): Uint8Array | undefined {
  const words = new Uint32Array(pixelTable(norm).buffer);
  const pixel = new Map<number, number>();
  words.forEach((w, k) => pixel.set(w, k));
  if (pixel.size !== 256) return undefined;
  const xs = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const out = new Uint8Array(x.length);
  for (let i = 0; i < xs.length; i++) {
    const k = pixel.get(xs[i]!);
    if (k === undefined) return undefined;
    out[i] = k;
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNat = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/** encodeDataset(ds): the dataset as one file's bytes (header, JSON description, x as 8-bit pixels when exact else float32, y/index/cleanY int32); the same dataset gives the same bytes. */
export function encodeDataset(ds: Dataset): Uint8Array {
  if (!isObject(ds) || !(ds['x'] instanceof Float32Array) || !(ds['y'] instanceof Int32Array) || !(ds['index'] instanceof Int32Array)) {
    throw new DatasetError('encodeDataset', ['expected a Dataset (x Float32Array, y and index Int32Array; see makeDataset)']);
  }
  const checked = makeDataset(ds); // the lengths and labels agree, or a RangeError names what does not
  const parts: Uint8Array[] = [];
  const arrays: Partial<Record<ArrayName, ArrayEntry>> = {};
  let offset = 0;
  for (const [name, dtype] of ARRAYS) {
    const a = checked[name];
    if (a === undefined) continue;
    const pixels = name === 'x' ? asPixels(a as Float32Array, checked.normalization) : undefined;
    const bytes = pixels ?? toLittleEndian(a, dtype);
    arrays[name] = { dtype: pixels === undefined ? dtype : 'uint8', offset, byteLength: bytes.length, crc32: crc32(bytes) };
    parts.push(bytes);
    offset += bytes.length;
  }
  const payload = new Uint8Array(offset);
  parts.reduce((at, part) => (payload.set(part, at), at + part.length), 0);
  const { name, n, shape, classes, classNames, normalization } = checked;
  return pack('dataset', JSON.stringify({ format: DATASET_FORMAT, version: DATASET_VERSION, name, n, shape, classes, classNames, normalization, arrays }), payload);
}

/** readArrays(head, payload, problems): each array's typed copy, after its entry's dtype, length and CRC-32 checks. */
function readArrays(head: Record<string, unknown>, payload: Uint8Array, problems: string[]): Partial<Record<ArrayName, Float32Array | Int32Array>> {
  const out: Partial<Record<ArrayName, Float32Array | Int32Array>> = {};
  const entries = isObject(head['arrays']) ? head['arrays'] : {};
  const n = isNat(head['n']) ? head['n'] : NaN;
  const shape = Array.isArray(head['shape']) ? (head['shape'] as number[]) : [];
  const expected: Record<ArrayName, number> = { x: n * shape.reduce((a, b) => a * b, 1), y: n, index: n, cleanY: n };
  for (const [name, dtype] of ARRAYS) {
    const e = entries[name];
    if (e === undefined) {
      if (name !== 'cleanY') problems.push(`the file has no '${name}' array`);
      continue;
    }
    const pixels = name === 'x' && isObject(e) && e['dtype'] === 'uint8';
    if (!isObject(e) || (e['dtype'] !== dtype && !pixels) || !isNat(e['offset']) || !isNat(e['byteLength']) || !isNat(e['crc32'])) {
      problems.push(`array '${name}': malformed entry ${JSON.stringify(e)} (expected { dtype: '${dtype}'${name === 'x' ? " or 'uint8'" : ''}, offset, byteLength, crc32 })`);
      continue;
    }
    const { offset, byteLength } = e;
    const width = pixels ? 1 : 4;
    const norm = head['normalization'] as Normalization;
    if (Number.isFinite(expected[name]) && byteLength !== expected[name] * width) problems.push(`array '${name}' has ${byteLength} bytes; n and shape need ${expected[name] * width}`);
    else if (offset + byteLength > payload.length) problems.push(`array '${name}': its bytes [${offset}, ${offset + byteLength}) lie past the end of the data (${payload.length} bytes)`);
    else if (crc32(payload.subarray(offset, offset + byteLength)) !== e['crc32']) problems.push(`array '${name}': its bytes fail the CRC-32 check: the file is corrupt`);
    else if (pixels && !(isObject(norm) && typeof norm.mean === 'number' && typeof norm.std === 'number')) continue; // reported with the normalization
    else if (pixels) {
      const table = pixelTable(norm);
      out.x = Float32Array.from(payload.subarray(offset, offset + byteLength), (k) => table[k]!);
    } else out[name] = fromLittleEndian(payload.subarray(offset, offset + byteLength), dtype) as Float32Array | Int32Array;
  }
  return out;
}

/** readDataset(bytes, where): decodeDataset, with errors naming `where`. */
export function readDataset(bytes: unknown, where: string): Dataset {
  const b = asBytes(bytes);
  if (b === undefined) throw new DatasetError(where, [`expected the bytes of a dataset file (ArrayBuffer or Uint8Array), got ${bytes === null ? 'null' : typeof bytes}`]);
  const u = unpack('dataset', b);
  if (!u.ok) throw new DatasetError(where, [...u.problems]);
  let head: unknown;
  try {
    head = JSON.parse(u.json);
  } catch (e) {
    throw new DatasetError(where, [`the description is not valid JSON: ${(e as Error).message}`]);
  }
  if (!isObject(head) || head['format'] !== DATASET_FORMAT) throw new DatasetError(where, [`not an optimix dataset description (format ${JSON.stringify(isObject(head) ? head['format'] : head)})`]);
  if (head['version'] !== DATASET_VERSION) throw new DatasetError(where, [`dataset version mismatch: the file has version ${JSON.stringify(head['version'])}, this optimix reads version ${DATASET_VERSION}`]);
  const problems: string[] = [];
  if (typeof head['name'] !== 'string') problems.push('name must be a string');
  if (!isNat(head['n'])) problems.push(`n must be an integer ≥ 0, got ${JSON.stringify(head['n'])}`);
  if (!Array.isArray(head['shape']) || head['shape'].length !== 3 || !head['shape'].every((d) => isNat(d) && d > 0)) problems.push(`shape must be [h, w, c], got ${JSON.stringify(head['shape'])}`);
  if (!Array.isArray(head['classNames']) || !head['classNames'].every((c) => typeof c === 'string')) problems.push('classNames must be a list of strings');
  const norm = head['normalization'];
  if (!isObject(norm) || (norm['kind'] !== 'unit' && norm['kind'] !== 'standard') || typeof norm['mean'] !== 'number' || typeof norm['std'] !== 'number') problems.push(`normalization must be { kind: 'unit' | 'standard', mean, std }, got ${JSON.stringify(norm)}`);
  const arrays = readArrays(head, u.payload, problems);
  if (problems.length > 0) throw new DatasetError(where, problems);
  try {
    const { name, n, shape, classes, classNames, normalization } = head as unknown as Dataset;
    const { x, y, index, cleanY } = arrays as { x: Float32Array; y: Int32Array; index: Int32Array; cleanY?: Int32Array };
    return makeDataset({ name, n, shape, classes, classNames, normalization, x, y, index, ...(cleanY === undefined ? {} : { cleanY }) });
  } catch (e) {
    throw new DatasetError(where, [(e as Error).message]);
  }
}

/** decodeDataset(bytes): the Dataset in a file encodeDataset wrote (an ArrayBuffer or Uint8Array, e.g. from fetch or a File); a truncated, corrupt or foreign file is a DatasetError naming what is wrong. */
export function decodeDataset(bytes: ArrayBuffer | Uint8Array): Dataset {
  return readDataset(bytes, 'decodeDataset');
}

/** The options of fetchDataset. */
export interface FetchDatasetOptions {
  /** Give up (abort the request) after this many ms, request and body together (default 60000). */
  readonly timeoutMs?: number;
  /** Abort the request when this signal fires. */
  readonly signal?: AbortSignal;
}

/**
 * fetchDataset(url, { timeoutMs = 60000, signal? }): GET the url with fetch and decode the dataset file it serves (as
 * encodeDataset wrote it). An HTTP error, a network failure, a timeout or a bad file is a DatasetError naming the url.
 */
export async function fetchDataset(url: string | URL, options: FetchDatasetOptions = {}): Promise<Dataset> {
  const where = 'fetchDataset';
  const problems = keyProblems(options, ['timeoutMs', 'signal']);
  const { timeoutMs = 60_000, signal } = (isObject(options) ? options : {}) as FetchDatasetOptions;
  if (typeof url !== 'string' && !(url instanceof URL)) problems.push(`url must be a string or URL, got ${url === null ? 'null' : typeof url}`);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) problems.push(`timeoutMs must be a finite number > 0, got ${String(timeoutMs)}`);
  if (signal !== undefined && !(signal instanceof AbortSignal)) problems.push('signal must be an AbortSignal');
  if (typeof fetch !== 'function') problems.push('this runtime has no fetch (Node ≥ 18 and every browser have one)');
  if (problems.length > 0) throw new DatasetError(where, problems);
  const at = String(url);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stop = () => controller.abort();
  signal?.addEventListener('abort', stop);
  try {
    let bytes: ArrayBuffer;
    try {
      if (signal?.aborted === true) throw new Error('aborted by the caller');
      const res = await fetch(at, { signal: controller.signal });
      if (!res.ok) throw new DatasetError(where, [`GET ${at} failed: HTTP ${res.status}${res.statusText === '' ? '' : ` ${res.statusText}`}`]);
      bytes = await res.arrayBuffer();
    } catch (e) {
      if (e instanceof DatasetError) throw e;
      const why = timedOut ? `no complete answer within ${timeoutMs} ms (aborted)` : signal?.aborted === true ? 'aborted by the caller’s signal' : (e as Error).message;
      throw new DatasetError(where, [`GET ${at} failed: ${why}`], { cause: e });
    }
    try {
      return readDataset(bytes, where);
    } catch (e) {
      const d = e as DatasetError;
      throw new DatasetError(where, d.problems.map((p) => `${at}: ${p}`), { cause: e });
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}
