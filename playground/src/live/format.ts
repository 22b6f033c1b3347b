// The MNIST subset's file format (playground/public/mnist-subset.bin, written by scripts/playground-data.ts), and
// reading it back into optimix/data Datasets. All integers little-endian:
//   bytes 0–3   "MNSB" (magic)          bytes 4–7   u32 version = 1
//   bytes 8–11  u32 nTrain              bytes 12–15 u32 nTest
//   bytes 16–19 u32 height (28)         bytes 20–23 u32 width (28)       bytes 24–27 u32 classes (10)
// then the train split and the test split, each: u16 pool index × n (the digit's row in the mnist package's pool,
// for provenance), u8 label × n, u8 pixel × n·height·width (row-major, one image after another).
import { makeDataset, type Dataset } from 'optimix/data';

const MAGIC = 'MNSB';
const VERSION = 1;
const HEADER = 28;

/** A train/test pair as the subset file holds it. */
export interface Subset {
  readonly train: Dataset;
  readonly test: Dataset;
}

const splitBytes = (n: number, size: number): number => n * 2 + n + n * size;

/** encodeSubset({ train, test }): the file's bytes; pixels are x·255 rounded (exact for 'unit' datasets made from 8-bit images). */
export function encodeSubset({ train, test }: Subset): Uint8Array {
  const [h, w, c] = train.shape;
  if (c !== 1 || test.shape[0] !== h || test.shape[1] !== w || test.shape[2] !== 1) throw new RangeError('encodeSubset: both splits must be grey images of one size');
  if (train.normalization.kind !== 'unit' || test.normalization.kind !== 'unit') throw new RangeError("encodeSubset: the datasets must have normalize 'unit'");
  const size = h * w;
  const out = new Uint8Array(HEADER + splitBytes(train.n, size) + splitBytes(test.n, size));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  [VERSION, train.n, test.n, h, w, train.classes].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
  let at = HEADER;
  for (const ds of [train, test]) {
    for (let i = 0; i < ds.n; i++) view.setUint16(at + 2 * i, ds.index[i]!, true);
    at += 2 * ds.n;
    out.set(ds.y, at);
    at += ds.n;
    for (let i = 0; i < ds.n * size; i++) out[at + i] = Math.round(ds.x[i]! * 255);
    at += ds.n * size;
  }
  return out;
}

/** decodeSubset(bytes): the train and test Datasets (x = pixel/255, 'unit'), or an Error naming what is wrong with the file. */
export function decodeSubset(bytes: Uint8Array, source = 'mnist-subset.bin'): Subset {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  if (bytes.length < HEADER) fail(`${bytes.length} bytes is shorter than the ${HEADER}-byte header`);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) fail(`not an MNIST subset file (magic is not "${MAGIC}")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, nTrain, nTest, h, w, classes] = [0, 1, 2, 3, 4, 5].map((i) => view.getUint32(4 + 4 * i, true)) as [number, number, number, number, number, number];
  if (version !== VERSION) fail(`version ${version}; this page reads version ${VERSION}`);
  const size = h * w;
  const expected = HEADER + splitBytes(nTrain, size) + splitBytes(nTest, size);
  if (bytes.length !== expected) fail(`${bytes.length} bytes, expected ${expected} for ${nTrain} + ${nTest} images of ${h}×${w}`);
  let at = HEADER;
  const split = (name: string, n: number): Dataset => {
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) index[i] = view.getUint16(at + 2 * i, true);
    at += 2 * n;
    const y = Int32Array.from(bytes.subarray(at, at + n));
    at += n;
    const x = new Float32Array(n * size);
    for (let i = 0; i < n * size; i++) x[i] = bytes[at + i]! / 255;
    at += n * size;
    return makeDataset({
      name: `mnist-subset/${name}`,
      x,
      y,
      n,
      shape: [h, w, 1],
      classes,
      classNames: Array.from({ length: classes }, (_, d) => String(d)),
      normalization: { kind: 'unit', mean: 0, std: 1 },
      index,
    });
  };
  return { train: split('train', nTrain), test: split('test', nTest) };
}
