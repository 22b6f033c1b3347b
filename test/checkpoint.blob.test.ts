// Checkpoints as one self-describing file (packCheckpoint / unpackCheckpoint, toBlob / fromBlob; Blob is global in Node 20),
// and the IndexedDB functions' error where there is no IndexedDB. The IndexedDB round trip itself runs in Chromium
// (test/browser.io.test.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  BrowserOnlyError,
  CHECKPOINT_MEDIA_TYPE,
  CheckpointError,
  HyperparameterError,
  adam,
  arwp,
  cleanGrad,
  deleteFromIndexedDB,
  disposeTree,
  fromBlob,
  key,
  listIndexedDB,
  load,
  loadFromIndexedDB,
  optimizer,
  packCheckpoint,
  ready,
  rwp,
  save,
  saveToIndexedDB,
  serialize,
  sgd,
  step,
  toBlob,
  unpackCheckpoint,
  type Batch,
  type LossFn,
  type Optimizer,
  type OptimizerState,
  type Tree,
} from '../src/index.js';
import { crc32 } from '../src/checkpoint/bytes.js';

await ready({ backend: 'cpu' });

const initParams = (seed: number): Tree => ({
  'dense/kernel': tf.randomNormal([3, 4], 0, 0.5, 'float32', seed),
  'dense/bias': tf.zeros([4]),
  out: tf.randomNormal([4, 1], 0, 0.5, 'float32', seed + 1),
});
const loss: LossFn = (p, b) =>
  tf.tidy(() => {
    const h = tf.tanh(tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['dense/kernel'] as tf.Tensor2D), p['dense/bias'] as tf.Tensor));
    return tf.mean(tf.square(tf.sub(tf.matMul(h, p['out'] as tf.Tensor2D), b['y'] as tf.Tensor))) as tf.Scalar;
  });
const makeBatch = (i: number): Batch => ({ x: tf.randomNormal([6, 3], 0, 1, 'float32', 10 + i), y: tf.randomNormal([6, 1], 0, 1, 'float32', 20 + i) });
const words = (t: tf.Tensor): number[] => [...new Uint32Array(new Float32Array(t.dataSync()).buffer)];
const bitwise = (a: Tree, b: Tree): Record<string, number[]>[] => [a, b].map((t) => Object.fromEntries(Object.entries(t).map(([n, x]) => [n, words(x as tf.Tensor)])));

function run(opt: Optimizer, params: Tree, state: OptimizerState, from: number, to: number, batches: readonly Batch[]): { params: Tree; state: OptimizerState } {
  let p = params;
  let s = state;
  for (let i = from; i < to; i++) {
    const r = step(opt, loss, p, batches[i]!, s);
    if (p !== params) disposeTree(p);
    if (s !== state) disposeTree(s);
    disposeTree(r.value);
    p = r.params;
    s = r.state;
  }
  return { params: p, state: s };
}

const optimizers: Record<string, () => Optimizer> = {
  adam: () => optimizer(cleanGrad, adam(0.01)),
  rwp: () => optimizer(rwp({ sigma: 0.05 }), sgd(0.1, { momentum: 0.9 })),
  arwp: () => optimizer(arwp({ sigma: 0.05, steps: 8 }), sgd(0.1, { momentum: 0.9 })),
};

/** A small checkpoint's file bytes, and what made it (disposed by the caller via `held`). */
function sample(): { bytes: Uint8Array; held: [Tree, OptimizerState]; opt: Optimizer; params: Tree; state: OptimizerState } {
  const opt = optimizers['adam']!();
  const params = initParams(1);
  const state = opt.init(params, key(3));
  return { bytes: packCheckpoint({ params, state, opt, meta: { epoch: 1 } }), held: [params, state], opt, params, state };
}

/** The CheckpointError unpacking `bytes` throws (asserting that no tensor was made), its message. */
function refusal(bytes: Uint8Array, options: Parameters<typeof unpackCheckpoint>[1] = {}): string {
  const before = tf.memory().numTensors;
  let caught: unknown;
  try {
    unpackCheckpoint(bytes, options);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof CheckpointError, `expected a CheckpointError, got ${String(caught)}`);
  assert.equal(tf.memory().numTensors, before, 'tensors made by a refused unpack');
  return caught.message;
}

test('pack → Blob → fromBlob, stop at step 3 and resume: bitwise the uninterrupted run, optimizer state included (Adam, RWP, ARWP)', async () => {
  const batches = Array.from({ length: 6 }, (_, i) => makeBatch(i));
  const before = tf.memory().numTensors;
  for (const [name, make] of Object.entries(optimizers)) {
    const opt = make();
    const p0 = initParams(5);
    const s0 = opt.init(p0, key(9));
    const full = run(opt, p0, s0, 0, 6, batches);
    const half = run(opt, p0, s0, 0, 3, batches);
    const blob = toBlob({ params: half.params, state: half.state, opt, meta: { name } });
    assert.equal(blob.type, CHECKPOINT_MEDIA_TYPE);
    const again = new Uint8Array(await toBlob(serialize({ params: half.params, state: half.state, opt, meta: { name } })).arrayBuffer());
    assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), again, `${name}: toBlob(input) and toBlob(serialize(input)) give the same bytes`);
    disposeTree(half);
    const loaded = await fromBlob(blob, { params: p0, opt });
    assert.deepEqual(loaded.meta, { name });
    assert.equal(loaded.state.count, 3);
    const resumed = run(opt, loaded.params, loaded.state, 3, 6, batches);
    const [a, b] = bitwise(resumed.params, full.params);
    assert.deepEqual(a, b, `${name}: resumed parameters`);
    disposeTree([full, resumed, loaded.params, loaded.state, p0, s0]);
  }
  assert.equal(tf.memory().numTensors, before, 'tensors left');
  disposeTree(batches);
});

test('the file: magic OPTIMIXC, version 1, lengths and CRC-32s in a 32-byte header, the manifest JSON, then the weights', () => {
  const { bytes, held, params, state, opt } = sample();
  const { manifest, weights } = serialize({ params, state, opt, meta: { epoch: 1 } });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(String.fromCharCode(...bytes.subarray(0, 8)), 'OPTIMIXC');
  assert.equal(view.getUint32(8, true), 1);
  const j = view.getUint32(12, true);
  const text = new TextDecoder().decode(bytes.subarray(32, 32 + j));
  assert.equal(JSON.parse(text).format, 'optimix-checkpoint');
  assert.equal(view.getUint32(24, true), crc32(bytes.subarray(32, 32 + j)));
  assert.equal(view.getUint32(28, true), crc32(bytes.subarray(0, 28)));
  const start = Math.ceil((32 + j) / 8) * 8;
  assert.equal(Number(view.getBigUint64(16, true)), weights.length);
  assert.equal(bytes.length, start + weights.length);
  assert.deepEqual(bytes.subarray(start), weights, 'the weights are serialize()’s bytes');
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(manifest)), 'the JSON is serialize()’s manifest, checksum included');
  const loaded = unpackCheckpoint(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
  assert.deepEqual(loaded.meta, { epoch: 1 });
  disposeTree([loaded.params, loaded.state, ...held]);
});

test('a truncated, overlong, foreign or corrupt file is a CheckpointError naming what is wrong, and makes no tensor', () => {
  const { bytes, held } = sample();
  const j = new DataView(bytes.buffer).getUint32(12, true);
  const start = Math.ceil((32 + j) / 8) * 8;
  const flip = (at: number): Uint8Array => {
    const c = bytes.slice();
    c[at]! ^= 0x01;
    return c;
  };
  assert.match(refusal(bytes.subarray(0, 0)), /only 0 bytes: truncated/);
  assert.match(refusal(bytes.subarray(0, 20)), /only 20 bytes: truncated/);
  assert.match(refusal(bytes.subarray(0, bytes.length - 5)), new RegExp(`the file is truncated: it has ${bytes.length - 5} bytes, its header announces ${bytes.length}`));
  assert.match(refusal(bytes.subarray(0, 100)), /the file is truncated/);
  assert.match(refusal(Uint8Array.from([...bytes, 0, 0])), /2 bytes after the end its header announces/);
  assert.match(refusal(new TextEncoder().encode('{"format":"optimix-checkpoint"}')), /not an optimix checkpoint file: it starts with "\{\\"format", expected "OPTIMIXC"/);
  const dataset = bytes.slice();
  dataset[7] = 'D'.charCodeAt(0);
  assert.match(refusal(dataset), /this is an optimix dataset file, not an optimix checkpoint file/);
  assert.match(refusal(flip(8)), /the header is corrupt: its CRC-32 is [0-9a-f]{8}, its bytes give [0-9a-f]{8}/);
  assert.match(refusal(flip(40)), /the JSON part fails its CRC-32 check/);
  assert.match(refusal(flip(start + 2)), /tensor '\/params\/dense~1kernel': its bytes fail the CRC-32 check: the weights file is corrupt/);
  // A later version's header, correctly checksummed: refused by version.
  const v2 = bytes.slice();
  const view = new DataView(v2.buffer);
  view.setUint32(8, 2, true);
  view.setUint32(28, crc32(v2.subarray(0, 28)), true);
  assert.match(refusal(v2), /container version mismatch: the file has version 2, this optimix reads version 1/);
  disposeTree(held);
});

test("an edited manifest, rewrapped with valid CRCs, fails the manifest's own checksum; load options are checked as deserialize checks them", () => {
  const { bytes, held, opt, params } = sample();
  const view = new DataView(bytes.buffer);
  const j = view.getUint32(12, true);
  const text = new TextDecoder().decode(bytes.subarray(32, 32 + j));
  const edited = new TextEncoder().encode(text.replace('"count":0', '"count":7'));
  assert.equal(edited.length, j, 'the edit keeps the length');
  const c = bytes.slice();
  c.set(edited, 32);
  new DataView(c.buffer).setUint32(24, crc32(edited), true);
  new DataView(c.buffer).setUint32(28, crc32(c.subarray(0, 28)), true);
  assert.match(refusal(c), /the manifest's checksum is [0-9a-f]{8} but its content gives [0-9a-f]{8}: the manifest was edited or is corrupt/);
  assert.match(refusal(bytes, { params: { other: tf.zeros([1]) } }), /extra parameter 'out'/);
  assert.match(refusal(bytes, { parms: params } as never), /unknown option 'parms'; did you mean 'params'\?/);
  const sgdOpt = optimizer(cleanGrad, sgd(0.1));
  assert.match(refusal(bytes, { params, opt: sgdOpt }), /the optimizer differs from the checkpoint's|another rule/);
  const loaded = unpackCheckpoint(bytes, { params, opt });
  disposeTree([loaded.params, loaded.state, ...held]);
});

test('bad arguments: not bytes, not a Blob, a malformed { manifest, weights }, an input with unknown keys', async () => {
  const { held } = sample();
  assert.throws(() => unpackCheckpoint('OPTIMIXC' as never), (e: unknown) => e instanceof CheckpointError && /unpackCheckpoint: expected the bytes of a checkpoint \(Uint8Array or ArrayBuffer\), got string/.test(e.message));
  await assert.rejects(fromBlob({} as never), (e: unknown) => e instanceof CheckpointError && e.message === 'fromBlob: expected a Blob (or File), got Object');
  await assert.rejects(fromBlob(new Uint8Array(4) as never), (e: unknown) => e instanceof CheckpointError && /^fromBlob: expected a Blob \(or File\), got Uint8Array \(for bytes, use unpackCheckpoint\)$/.test(e.message));
  assert.throws(() => packCheckpoint({ manifest: {}, weights: [1, 2] } as never), (e: unknown) => e instanceof CheckpointError && /weights must be the Uint8Array serialize\(\) returned/.test(e.message));
  assert.throws(() => packCheckpoint({ manifest: {}, weights: new Uint8Array(0), wieghts: 1 } as never), /unknown option 'wieghts' in the serialized checkpoint; did you mean 'weights'\?/);
  assert.throws(() => toBlob({ params: held[0], state: held[1], mata: {} } as never), /unknown option 'mata' in the checkpoint input; did you mean 'meta'\?/);
  disposeTree(held);
});

test('IndexedDB functions under Node: BrowserOnlyError naming the function and IndexedDB (after the unknown-key check)', async () => {
  const { held } = sample();
  const expect = (where: string) => (e: unknown) =>
    e instanceof BrowserOnlyError && e.feature === where && e.needs === 'IndexedDB' && e.message === `${where} needs IndexedDB, which this runtime does not have (Node has none): under Node use save(dir) / load(dir); anywhere, toBlob / fromBlob or serialize / deserialize work on bytes`;
  await assert.rejects(saveToIndexedDB('run', { params: held[0], state: held[1] }), expect('saveToIndexedDB'));
  await assert.rejects(loadFromIndexedDB('run'), expect('loadFromIndexedDB'));
  await assert.rejects(listIndexedDB(), expect('listIndexedDB'));
  await assert.rejects(deleteFromIndexedDB('run'), expect('deleteFromIndexedDB'));
  await assert.rejects(loadFromIndexedDB('run', { databse: 'x' } as never), (e: unknown) => e instanceof HyperparameterError && /unknown option 'databse'; did you mean 'database'\?/.test(e.message));
  disposeTree(held);
});

/** withIndexedDB(factory, f): run f with globalThis.indexedDB set to a stand-in factory (removed afterwards). */
async function withIndexedDB(factory: unknown, f: () => Promise<void>): Promise<void> {
  Object.assign(globalThis, { indexedDB: factory });
  try {
    await f();
  } finally {
    delete (globalThis as { indexedDB?: unknown }).indexedDB;
  }
}

test('IndexedDB waits give up after timeoutMs: an open that never answers, a transaction that never completes (aborted, database closed)', async () => {
  const { held } = sample();
  const input = { params: held[0], state: held[1] };
  const refused = (message: string) => (e: unknown) => e instanceof CheckpointError && e.message === message;
  await withIndexedDB({ open: () => ({}) }, async () => {
    await assert.rejects(saveToIndexedDB('run', input, { timeoutMs: 30 }), refused("saveToIndexedDB: IndexedDB did not open database 'optimix' within 30 ms (another tab may hold it open in an older version)"));
  });
  const log: string[] = [];
  const request = () => ({});
  const db = (stores: boolean) => ({
    objectStoreNames: { contains: () => stores },
    createObjectStore: () => undefined,
    close: () => log.push('close'),
    onversionchange: null,
    transaction: () => ({ objectStore: () => ({ put: request, get: request, getAll: request, getAllKeys: request, delete: request }), abort: () => log.push('abort'), error: null, oncomplete: null, onerror: null, onabort: null }),
  });
  const opening = (stores: boolean) => ({
    open: () => {
      const r: { result: unknown; onsuccess?: () => void } = { result: db(stores) };
      setTimeout(() => r.onsuccess?.(), 0);
      return r;
    },
  });
  await withIndexedDB(opening(true), async () => {
    await assert.rejects(saveToIndexedDB('run', input, { timeoutMs: 30, database: 'mine' }), refused("saveToIndexedDB: IndexedDB did not finish the readwrite transaction on 'mine' within 30 ms (aborted)"));
    assert.deepEqual(log.splice(0), ['abort', 'close']);
    await assert.rejects(listIndexedDB({ timeoutMs: 30 }), refused("listIndexedDB: IndexedDB did not finish the readonly transaction on 'optimix' within 30 ms (aborted)"));
    assert.deepEqual(log.splice(0), ['abort', 'close']);
  });
  await withIndexedDB(opening(false), async () => {
    await assert.rejects(loadFromIndexedDB('run', { database: 'theirs' }), refused("loadFromIndexedDB: IndexedDB database 'theirs' has no 'manifests' and 'weights' stores (made by something else?): pass { database } to use another"));
    assert.deepEqual(log.splice(0), ['close']);
    await assert.rejects(deleteFromIndexedDB('', { timeoutMs: 0, database: '' }), (e: unknown) => e instanceof CheckpointError && /3 problems/.test(e.message) && /name must be a non-empty string, got ""/.test(e.message) && /database must be a non-empty string/.test(e.message) && /timeoutMs must be a finite number > 0, got 0/.test(e.message));
  });
  disposeTree(held);
});

test('load(dir) and fromBlob accept allowLearningRateChange, which their error tells the user to pass (resume sgd(0.1) as sgd(0.2))', async () => {
  const params = initParams(2);
  const opt = optimizer(cleanGrad, sgd(0.1));
  const state = opt.init(params);
  const into = optimizer(cleanGrad, sgd(0.2));
  const dir = await mkdtemp(join(tmpdir(), 'optimix-lr-'));
  try {
    await save(dir, { params, state, opt });
    await assert.rejects(load(dir, { params, opt: into }), /pass \{ allowLearningRateChange: true \} to resume with the new rate/);
    const fromDir = await load(dir, { params, opt: into, allowLearningRateChange: true });
    const fromFile = await fromBlob(toBlob({ params, state, opt }), { params, opt: into, allowLearningRateChange: true });
    for (const l of [fromDir, fromFile]) {
      assert.deepEqual(l.differences, ['transform.sgd.learningRate: 0.1 in the checkpoint, 0.2 given']);
      disposeTree([l.params, l.state]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    disposeTree([params, state]);
  }
});
