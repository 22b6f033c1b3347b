// A Dataset as one file (encodeDataset / decodeDataset) and fetched from a URL (fetchDataset, against a node:http server
// on 127.0.0.1). The same fetch runs in Chromium in test/browser.io.test.ts.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { DatasetError, decodeDataset, encodeDataset, fetchDataset, makeDataset, noisyLabels, type Dataset } from '../src/data/index.js';
import { crc32 } from '../src/checkpoint/bytes.js';
import { gatherPixels, normalization } from '../src/data/normalize.js';
import { loadMnist } from '../src/data/mnist.js';
import { loadFashionMnist } from '../src/data/fashionMnist.js';
import { key } from '../src/random.js';

/** small(n, withClean): a dataset of n 2×3×1 images, 3 classes, values that include −0, NaN and ±Infinity. */
function small(n: number, withClean = false): Dataset {
  const x = Float32Array.from({ length: n * 6 }, (_, i) => [0.25, -0, Number.NaN, Infinity, -Infinity, 1e-40][i % 6]! + (i % 6 === 0 ? i : 0));
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const base = { name: 'tiny/train', n, shape: [2, 3, 1] as const, classes: 3, classNames: ['a', 'b', 'c'], normalization: { kind: 'standard' as const, mean: 0.13, std: 0.31 }, x, index: Int32Array.from({ length: n }, (_, i) => 100 + i) };
  return makeDataset(withClean ? { ...base, y: noisyLabels(y, 3, 0.5, key(1)), cleanY: y } : { ...base, y });
}
const bitsOf = (ds: Dataset) => ({ ...ds, x: [...new Uint32Array(ds.x.buffer, ds.x.byteOffset, ds.x.length)], y: [...ds.y], index: [...ds.index], cleanY: ds.cleanY === undefined ? undefined : [...ds.cleanY] });

/** The DatasetError decoding `bytes` throws, its message. */
function refusal(bytes: Uint8Array): string {
  try {
    decodeDataset(bytes);
  } catch (e) {
    assert.ok(e instanceof DatasetError, `expected a DatasetError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('decoded');
}

test('encodeDataset → decodeDataset: the same dataset, bit for bit (−0, NaN, ±Infinity, subnormals, cleanY), from a Uint8Array or an ArrayBuffer', () => {
  for (const ds of [small(5), small(7, true), small(0)]) {
    const bytes = encodeDataset(ds);
    assert.equal(String.fromCharCode(...bytes.subarray(0, 8)), 'OPTIMIXD');
    const back = decodeDataset(bytes);
    assert.deepEqual(bitsOf(back), bitsOf(ds));
    assert.ok(Object.isFrozen(back));
    assert.deepEqual(bitsOf(decodeDataset(bytes.slice().buffer)), bitsOf(ds));
    assert.deepEqual(encodeDataset(back), bytes, 'the same dataset gives the same bytes');
  }
  // A dataset's bytes: the header's 32, the JSON padded to 8, x (6·4 bytes per example), y and index (4 bytes each per example).
  const bytes = encodeDataset(small(5));
  const j = new DataView(bytes.buffer).getUint32(12, true);
  assert.equal(bytes.length, Math.ceil((32 + j) / 8) * 8 + 5 * (24 + 4 + 4));
});

/** fromPixels(kind, n): a dataset of n 3×3×1 images whose x the loaders' way makes from 8-bit pixels. */
function fromPixels(kind: 'unit' | 'standard', n: number): Dataset {
  const pixels = Uint8Array.from({ length: n * 9 }, (_, i) => (i * 37 + (i >> 3)) % 256);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const norm = normalization(kind, pixels, rows, 9);
  return makeDataset({ name: 'pixels', n, shape: [3, 3, 1], classes: 2, classNames: ['a', 'b'], normalization: norm, x: gatherPixels(pixels, rows, 9, norm), y: Int32Array.from(rows, (r) => r % 2), index: rows });
}

test('x made from 8-bit pixels is stored as one byte per value (4× smaller) and read back bit for bit; one other value keeps float32', () => {
  for (const kind of ['unit', 'standard'] as const) {
    const ds = fromPixels(kind, 20);
    const bytes = encodeDataset(ds);
    const j = new DataView(bytes.buffer).getUint32(12, true);
    assert.equal(JSON.parse(new TextDecoder().decode(bytes.subarray(32, 32 + j))).arrays.x.dtype, 'uint8', kind);
    assert.equal(bytes.length, Math.ceil((32 + j) / 8) * 8 + 20 * 9 + 20 * 8, `${kind}: 9 bytes of pixels and 8 of y, index per example`);
    assert.deepEqual(bitsOf(decodeDataset(bytes)), bitsOf(ds), kind);
    const x = ds.x.slice();
    const w = new Uint32Array(x.buffer);
    w[17]! += 1; // one ulp off a pixel's value
    const off = makeDataset({ ...ds, x });
    const offBytes = encodeDataset(off);
    const jo = new DataView(offBytes.buffer).getUint32(12, true);
    assert.equal(JSON.parse(new TextDecoder().decode(offBytes.subarray(32, 32 + jo))).arrays.x.dtype, 'float32', `${kind}: a value no pixel makes`);
    assert.deepEqual(bitsOf(decodeDataset(offBytes)), bitsOf(off), `${kind}: float32 fallback`);
  }
});

test('MNIST and Fashion-MNIST from their packages round-trip bit for bit as pixels: 1000 MNIST digits in 792,480 bytes (3,144,480 as float32)', async () => {
  const { train, test: t } = await loadMnist({ trainSize: 1000, testSize: 50, normalize: 'standard' });
  const fashion = await loadFashionMnist({ trainSize: 50, testSize: 50, labelNoise: 0.2 });
  for (const ds of [train, t, fashion.train, fashion.test]) {
    const bytes = encodeDataset(ds);
    const j = new DataView(bytes.buffer).getUint32(12, true);
    assert.equal(bytes.length, Math.ceil((32 + j) / 8) * 8 + ds.n * (784 + 4 + 4 + (ds.cleanY === undefined ? 0 : 4)), `${ds.name}: one byte per pixel`);
    assert.deepEqual(bitsOf(decodeDataset(bytes)), bitsOf(ds), ds.name);
  }
  const unit = (await loadMnist({ trainSize: 1000, testSize: 50 })).train;
  assert.equal(encodeDataset(unit).length, 792_480);
  assert.equal(encodeDataset(makeDataset({ ...unit, x: unit.x.map((v, i) => (i === 0 ? 1e-9 : v)) })).length, 3_144_480, 'one value no pixel makes: float32');
});

test('property (fast-check, seed 15): any dataset round-trips bit for bit', () => {
  const arb = fc.record({ n: fc.integer({ min: 0, max: 6 }), h: fc.integer({ min: 1, max: 3 }), w: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 2 }), classes: fc.integer({ min: 2, max: 5 }), seed: fc.integer(), name: fc.string() }).chain((d) =>
    fc.record({ d: fc.constant(d), x: fc.float32Array({ minLength: d.n * d.h * d.w * d.c, maxLength: d.n * d.h * d.w * d.c }), y: fc.array(fc.integer({ min: 0, max: d.classes - 1 }), { minLength: d.n, maxLength: d.n }) }),
  );
  fc.assert(
    fc.property(arb, ({ d, x, y }) => {
      const ds = makeDataset({ name: d.name, n: d.n, shape: [d.h, d.w, d.c], classes: d.classes, classNames: Array.from({ length: d.classes }, (_, i) => `c${i}`), normalization: { kind: 'unit', mean: 0, std: 1 }, x, y: Int32Array.from(y), index: Int32Array.from(y, (_, i) => i) });
      assert.deepEqual(bitsOf(decodeDataset(encodeDataset(ds))), bitsOf(ds));
    }),
    { seed: 15, numRuns: 60 },
  );
});

test('a truncated, foreign or corrupt dataset file is a DatasetError naming what is wrong', () => {
  const bytes = encodeDataset(small(4, true));
  const j = new DataView(bytes.buffer).getUint32(12, true);
  const start = Math.ceil((32 + j) / 8) * 8;
  assert.match(refusal(bytes.subarray(0, 12)), /^decodeDataset: only 12 bytes: truncated \(an optimix dataset file starts with a 32-byte header\)$/);
  assert.match(refusal(bytes.subarray(0, bytes.length - 4)), /the file is truncated: it has \d+ bytes, its header announces \d+/);
  const ckpt = bytes.slice();
  ckpt[7] = 'C'.charCodeAt(0);
  assert.match(refusal(ckpt), /this is an optimix checkpoint file, not an optimix dataset file/);
  const flipped = bytes.slice();
  flipped[start + 5]! ^= 0x10;
  assert.match(refusal(flipped), /^decodeDataset: array 'x': its bytes fail the CRC-32 check: the file is corrupt$/);
  // A description that lies (n doubled), rewrapped with valid CRCs: the arrays do not fit it.
  const text = new TextDecoder().decode(bytes.subarray(32, 32 + j)).replace('"n":4', '"n":8');
  const lie = new TextEncoder().encode(text);
  const c = bytes.slice();
  c.set(lie, 32);
  const v = new DataView(c.buffer);
  v.setUint32(24, crc32(lie), true);
  v.setUint32(28, crc32(c.subarray(0, 28)), true);
  const m = refusal(c);
  assert.match(m, /4 problems/);
  for (const a of ['x', 'y', 'index', 'cleanY']) assert.match(m, new RegExp(`array '${a}' has \\d+ bytes; n and shape need \\d+`));
  assert.throws(() => decodeDataset('OPTIMIXD' as never), (e: unknown) => e instanceof DatasetError && /expected the bytes of a dataset file \(ArrayBuffer or Uint8Array\), got string/.test(e.message));
});

const served = encodeDataset(small(6, true));
let base = '';
const server = createServer((req, res) => {
  if (req.url === '/tiny.bin') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
  else if (req.url === '/broken.bin') res.writeHead(200).end(served.subarray(0, 40));
  else if (req.url === '/silent.bin') res.writeHead(200, { 'content-length': String(served.length) }).write(served.subarray(0, 10)); // never ends
  else res.writeHead(404, 'Not Found').end();
});
before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((base = `http://127.0.0.1:${(server.address() as { port: number }).port}`), resolve()))));
after(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

test('fetchDataset(url): the served file as a Dataset, bit for bit; an HTTP error, a broken body or a timeout names the url', async () => {
  assert.deepEqual(bitsOf(await fetchDataset(`${base}/tiny.bin`)), bitsOf(small(6, true)));
  assert.deepEqual(bitsOf(await fetchDataset(new URL('/tiny.bin', base))), bitsOf(small(6, true)));
  await assert.rejects(fetchDataset(`${base}/missing.bin`), (e: unknown) => e instanceof DatasetError && e.message === `fetchDataset: GET ${base}/missing.bin failed: HTTP 404 Not Found`);
  await assert.rejects(fetchDataset(`${base}/broken.bin`), (e: unknown) => e instanceof DatasetError && e.message.startsWith(`fetchDataset: ${base}/broken.bin: the file is truncated: it has 40 bytes`));
  await assert.rejects(fetchDataset(`${base}/silent.bin`, { timeoutMs: 200 }), (e: unknown) => e instanceof DatasetError && e.message === `fetchDataset: GET ${base}/silent.bin failed: no complete answer within 200 ms (aborted)`);
  const ctl = new AbortController();
  const pending = fetchDataset(`${base}/silent.bin`, { signal: ctl.signal });
  ctl.abort();
  await assert.rejects(pending, (e: unknown) => e instanceof DatasetError && e.message === `fetchDataset: GET ${base}/silent.bin failed: aborted by the caller’s signal`);
  await assert.rejects(fetchDataset('http://127.0.0.1:1/nothing.bin'), (e: unknown) => e instanceof DatasetError && e.message.startsWith('fetchDataset: GET http://127.0.0.1:1/nothing.bin failed: '));
});

test('fetchDataset: unknown option keys and bad values are one DatasetError listing each', async () => {
  await assert.rejects(fetchDataset(`${base}/tiny.bin`, { timeoutMS: 5 } as never), (e: unknown) => e instanceof DatasetError && /unknown option 'timeoutMS'; did you mean 'timeoutMs'\?/.test(e.message));
  await assert.rejects(fetchDataset(42 as never, { timeoutMs: -1, signal: {} as never }), (e: unknown) => e instanceof DatasetError && /3 problems/.test(e.message) && /url must be a string or URL, got number/.test(e.message) && /timeoutMs must be a finite number > 0, got -1/.test(e.message) && /signal must be an AbortSignal/.test(e.message));
});
