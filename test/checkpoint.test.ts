import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import { key } from '../src/random.js';
import { disposeTree, tensorsOf, type Tree } from '../src/tree.js';
import type { Batch, LossFn } from '../src/model.js';
import { optimizer, step, type Optimizer, type OptimizerState } from '../src/optimizer.js';
import { train } from '../src/train.js';
import { adam, sgd, chain, transformation, scaleByLearningRate } from '../src/transform/index.js';
import { arwp, cleanGrad, rwp, sam } from '../src/source/index.js';
import { CheckpointError, deserialize, load, save, serialize, MANIFEST_FILE } from '../src/checkpoint/index.js';
import { OptimixError } from '../src/errors.js';

await ready({ backend: 'cpu' });

// A tiny two-layer model; parameter names contain '/' to exercise the JSON-pointer names.
const initParams = (seed: number): Tree => ({
  'dense/kernel': tf.randomNormal([4, 5], 0, 0.5, 'float32', seed),
  'dense/bias': tf.zeros([5]),
  'out/kernel': tf.randomNormal([5, 2], 0, 0.5, 'float32', seed + 1),
  'out/bias': tf.zeros([2]),
});
const loss: LossFn = (p, b) =>
  tf.tidy(() => {
    const h = tf.tanh(tf.add(tf.matMul(b['x'] as tf.Tensor2D, p['dense/kernel'] as tf.Tensor2D), p['dense/bias'] as tf.Tensor));
    const y = tf.add(tf.matMul(h, p['out/kernel'] as tf.Tensor2D), p['out/bias'] as tf.Tensor);
    return tf.mean(tf.square(tf.sub(y, b['y'] as tf.Tensor))) as tf.Scalar;
  });
const makeBatch = (i: number): Batch => ({ x: tf.randomNormal([8, 4], 0, 1, 'float32', 100 + i), y: tf.randomNormal([8, 2], 0, 1, 'float32', 200 + i) });

const bytesOf = (t: tf.Tensor): Buffer => {
  const d = t.dataSync() as Float32Array;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};
const assertBitwise = (a: Tree, b: Tree, what: string): void => {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${what}: names`);
  for (const n of Object.keys(a)) assert.ok(bytesOf(a[n] as tf.Tensor).equals(bytesOf(b[n] as tf.Tensor)), `${what}: '${n}' differs`);
};

const optimizers: Record<string, () => Optimizer> = {
  'sgd+momentum': () => optimizer(cleanGrad, sgd(0.1, { momentum: 0.9, weightDecay: 1e-3 })),
  adam: () => optimizer(cleanGrad, adam(0.01)),
  rwp: () => optimizer(rwp({ sigma: 0.05 }), sgd(0.1, { momentum: 0.9 })),
  sam: () => optimizer(sam({ rho: 0.05 }), sgd(0.1, { momentum: 0.9 })),
  arwp: () => optimizer(arwp({ sigma: 0.05, steps: 12 }), sgd(0.1, { momentum: 0.9 })),
};

/** Run `steps` steps of opt from (params, state); returns the final params and state, disposing intermediates. */
function run(opt: Optimizer, params: Tree, state: OptimizerState, from: number, to: number, batches: readonly Batch[]): { params: Tree; state: OptimizerState } {
  let p = params;
  let s = state;
  for (let i = from; i < to; i++) {
    const r = step(opt, loss, p, batches[i] as Batch, s);
    if (p !== params) disposeTree(p);
    if (s !== state) disposeTree(s);
    p = r.params;
    s = r.state;
  }
  return { params: p, state: s };
}

test('stop at k, serialize, deserialize into fresh tensors, resume: bitwise the uninterrupted run (step loops)', () => {
  const batches = Array.from({ length: 6 }, (_, i) => makeBatch(i));
  for (const [name, make] of Object.entries(optimizers)) {
    const opt = make();
    const p0 = initParams(1);
    const s0 = opt.init(p0, key(7));
    const full = run(opt, p0, s0, 0, 6, batches);
    const half = run(opt, p0, s0, 0, 3, batches);
    const { manifest, weights } = serialize({ params: half.params, state: half.state, opt });
    disposeTree(half); // the loaded checkpoint must not share anything with the run that wrote it
    const json = JSON.parse(JSON.stringify(manifest)) as unknown; // through text, as a file would be
    const loaded = deserialize(json, weights.slice(), { params: p0, opt });
    assert.equal(loaded.state.count, 3, name);
    const resumed = run(opt, loaded.params, loaded.state, 3, 6, batches);
    assertBitwise(resumed.params, full.params, name);
    if (name === 'rwp') {
      // Control: the same resume with another key draws other noise, and the comparison sees it.
      const wrongKey = run(opt, loaded.params, { ...loaded.state, key: key(8) }, 3, 6, batches);
      assert.throws(() => assertBitwise(wrongKey.params, full.params, 'control'), /differs/);
      disposeTree(wrongKey);
    }
    disposeTree([full, resumed, loaded, p0, s0]);
  }
  disposeTree(batches);
});

test('resume with train({ state }) from a file, data a function of the epoch: bitwise the uninterrupted run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'optimix-ckpt-'));
  try {
    const data = (epoch: number): Batch[] => [makeBatch(10 * epoch), makeBatch(10 * epoch + 1)];
    for (const [name, make] of Object.entries(optimizers)) {
      const opt = make();
      const p0 = initParams(3);
      const full = await train(opt, loss, p0, data, { epochs: 4, key: key(11) });
      const first = await train(opt, loss, p0, data, { epochs: 2, key: key(11) });
      await save(dir, { params: first.params, state: first.state, opt, meta: { epoch: 2, name } });
      disposeTree([first.params, first.state]);
      const loaded = await load(dir, { params: p0, opt });
      assert.deepEqual(loaded.meta, { epoch: 2, name });
      const rest = await train(opt, loss, loaded.params, (e) => data(e + 2), { epochs: 2, state: loaded.state });
      assertBitwise(rest.params, full.params, `${name} via train`);
      assert.equal(rest.state.count, full.state.count);
      disposeTree([full.params, full.state, rest.params, rest.state, loaded.params, p0]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the format: JSON manifest with paths, names, shapes, dtypes, offsets; the key as two words; one little-endian file', async () => {
  const opt = optimizers['rwp']!();
  const p = initParams(5);
  const s = opt.init(p, key(42));
  const { manifest, weights } = serialize({ params: p, state: s, opt });
  assert.equal(manifest.format, 'optimix-checkpoint');
  assert.equal(manifest.version, 1);
  assert.deepEqual((manifest.state as { key: unknown }).key, { $key: [s.key[0], s.key[1]] });
  const k = manifest.tensors.find((t) => t.name === '/params/dense~1kernel');
  assert.ok(k !== undefined);
  assert.deepEqual(k.path, ['params', 'dense/kernel']);
  assert.deepEqual(k.shape, [4, 5]);
  assert.equal(k.dtype, 'float32');
  const view = new DataView(weights.buffer, weights.byteOffset + k.offset, k.byteLength);
  assert.equal(view.getFloat32(0, true), (p['dense/kernel'] as tf.Tensor).dataSync()[0]);
  assert.ok(manifest.tensors.some((t) => t.name === '/state/transform/0/momentum/out~1bias'), 'momentum stored by path');
  assert.ok(manifest.fingerprint !== null && manifest.fingerprint.source.includes('∇L(w+ε)'));
  // Same inputs, same bytes; the tensors are read, not disposed.
  const again = serialize({ params: p, state: s, opt });
  assert.ok(Buffer.from(again.weights).equals(Buffer.from(weights)));
  assert.ok([...tensorsOf([p, s])].every((t) => !t.isDisposed));
  disposeTree([p, s]);
});

test('plain data of every kind round-trips: NaN, ±Infinity, −0, $-keys, booleans, strings, null, nested arrays, int32/bool tensors, aliases', () => {
  const odd = transformation(
    (params) => ({ nan: NaN, inf: -Infinity, negZero: -0, $weird: 'dollar', flag: true, text: 'hi', none: null, nested: [1, [2, { z: 3 }]], ints: tf.tensor1d([1, -2, 3], 'int32'), bools: tf.tensor1d([1, 0, 1], 'bool'), same: params['out/bias'] as tf.Tensor }),
    (u, s) => [u, s],
  );
  const opt = optimizer(cleanGrad, chain(odd, scaleByLearningRate(0.1)));
  const p = initParams(9);
  const s = opt.init(p, key(1));
  const { manifest, weights } = serialize({ params: p, state: s, opt });
  const loaded = deserialize(JSON.parse(JSON.stringify(manifest)), weights, { params: p, opt });
  const t = (loaded.state.transform as unknown[])[0] as Record<string, unknown>;
  assert.ok(Number.isNaN(t['nan']));
  assert.equal(t['inf'], -Infinity);
  assert.ok(Object.is(t['negZero'], -0));
  assert.equal(t['$weird'], 'dollar');
  assert.equal(t['flag'], true);
  assert.equal(t['text'], 'hi');
  assert.equal(t['none'], null);
  assert.deepEqual(t['nested'], [1, [2, { z: 3 }]]);
  assert.deepEqual(Array.from((t['ints'] as tf.Tensor).dataSync()), [1, -2, 3]);
  assert.equal((t['ints'] as tf.Tensor).dtype, 'int32');
  assert.equal((t['bools'] as tf.Tensor).dtype, 'bool');
  assert.deepEqual(Array.from((t['bools'] as tf.Tensor).dataSync()), [1, 0, 1]);
  assert.equal(t['same'], loaded.params['out/bias'], 'a tensor held twice is loaded once and held twice');
  assert.ok(Object.isFrozen(loaded.state.key) && loaded.state.key[0] === s.key[0] && loaded.state.key[1] === s.key[1]);
  disposeTree([p, s, loaded.params, loaded.state]);
});

test('state that is not plain data is refused by path', () => {
  const bad = transformation(() => ({ f: (() => 1) as unknown as number, d: new Date(0) as unknown as number }), (u, s) => [u, s]);
  const opt = optimizer(cleanGrad, bad);
  const p = initParams(2);
  const s = opt.init(p);
  assert.throws(() => serialize({ params: p, state: s }), (e: unknown) => e instanceof CheckpointError && /state\.transform\.f is function/.test(e.message) && /state\.transform\.d is an instance of Date/.test(e.message));
  disposeTree([p, s]);
});

/** Assert that f throws a CheckpointError whose message matches every pattern, and that it created/disposed/changed nothing. */
async function assertFailsCleanly(f: () => unknown, patterns: readonly RegExp[], held: Tree): Promise<CheckpointError> {
  const before = tf.memory().numTensors;
  const values = Object.fromEntries(Object.entries(held).map(([n, t]) => [n, bytesOf(t)]));
  let caught: unknown;
  try {
    await f();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof CheckpointError, `expected a CheckpointError, got ${String(caught)}`);
  assert.ok(caught instanceof OptimixError);
  for (const p of patterns) assert.match(caught.message, p);
  assert.equal(tf.memory().numTensors, before, 'a failed load leaves no tensor behind');
  for (const [n, t] of Object.entries(held)) {
    assert.ok(!t.isDisposed, `params['${n}'] was disposed`);
    assert.ok(bytesOf(t).equals(values[n] as Buffer), `params['${n}'] was changed`);
  }
  return caught;
}

test('load fails with one CheckpointError naming every difference; nothing the user holds is disposed or changed', async () => {
  const sgdOpt = optimizers['sgd+momentum']!();
  const p = initParams(4);
  const s = sgdOpt.init(p, key(3));
  const { manifest, weights } = serialize({ params: p, state: s, opt: sgdOpt });
  const json = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;

  // Missing and extra names, and a wrong shape, in one message.
  const other: Tree = { 'dense/kernel': tf.zeros([4, 6]), 'dense/bias': tf.zeros([5]), 'out/kernel': tf.zeros([5, 2]), 'head/bias': tf.zeros([2]) };
  const e1 = await assertFailsCleanly(() => deserialize(json, weights, { params: other, opt: sgdOpt }), [
    /missing parameter 'head\/bias' \[2\]: given, not in the checkpoint/,
    /extra parameter 'out\/bias' \[2\]: in the checkpoint, not in the given params/,
    /wrong shape: parameter 'dense\/kernel' is \[4, 5\] in the checkpoint, \[4, 6\] given/,
    /missing state\.transform\[1\]\.momentum\['head\/bias'\]/,
  ], other);
  assert.ok(e1.problems.length >= 3);

  // Another rule: adam instead of sgd with momentum — both fingerprints shown, and the state differences.
  const adamOpt = optimizers['adam']!();
  await assertFailsCleanly(() => deserialize(json, weights, { params: p, opt: adamOpt }), [
    /another rule: the checkpoint was written by an optimizer with fingerprint \{ source ∇L\(w\); transform state \[.*"momentum":"params".*\]; source state \{\} \}, the given optimizer has \{ source ∇L\(w\); transform state \[\{"count":"number","mu":"params","nu":"params"\}/,
    /missing state\.transform\[0\]\.mu\['dense\/kernel'\]/,
  ], p);
  // Another source: RWP's fingerprint differs from SGD's even with the same transform.
  await assertFailsCleanly(() => deserialize(json, weights, { params: p, opt: optimizer(rwp(), sgd(0.1, { momentum: 0.9, weightDecay: 1e-3 })) }), [/another rule: .*source ∇L\(w\);.*source 0\.5·∇L\(w\) \+ 0\.5·∇L\(w\+ε\)/], p);

  // A corrupt weights file: one flipped byte, named by tensor.
  const corrupt = weights.slice();
  const entry = manifest.tensors.find((t) => t.name === '/params/out~1kernel')!;
  corrupt[entry.offset + 3]! ^= 0xff;
  await assertFailsCleanly(() => deserialize(json, corrupt, { params: p, opt: sgdOpt }), [/tensor '\/params\/out~1kernel': its bytes fail the CRC-32 check/], p);

  // A truncated weights file.
  await assertFailsCleanly(() => deserialize(json, weights.slice(0, weights.length - 10), { params: p }), [/the weights file is truncated: it has \d+ bytes, the manifest expects \d+/, /past the end of the weights file/], p);

  // A version mismatch.
  await assertFailsCleanly(() => deserialize({ ...json, version: 2 }, weights, { params: p }), [/format version mismatch: the checkpoint has version 2, this optimix reads version 1/], p);
  await assertFailsCleanly(() => deserialize({ hello: 1 }, weights), [/not an optimix checkpoint/], p);

  disposeTree([p, s, other]);
});

test('save is atomic and leaves one weights file; load reports a corrupt or missing file on disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'optimix-ckpt-'));
  try {
    const opt = optimizers['arwp']!();
    const p = initParams(6);
    const s = opt.init(p, key(5));
    const a = await save(dir, { params: p, state: s, opt });
    const b = await save(dir, { params: p, state: s, opt, meta: { again: true } });
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, [MANIFEST_FILE, b.weightsPath.split('/').pop()!].sort(), 'the old weights file is removed, no temporary file is left');
    assert.notEqual(a.weightsPath, b.weightsPath);
    const ok = await load(dir, { params: p, opt });
    assert.deepEqual(ok.meta, { again: true });
    disposeTree([ok.params, ok.state]);

    const bytes = await readFile(b.weightsPath);
    bytes[bytes.length - 1]! ^= 1;
    await writeFile(b.weightsPath, bytes);
    await assertFailsCleanly(() => load(dir, { params: p, opt }), [/its bytes fail the CRC-32 check: the weights file is corrupt/], p);
    await writeFile(b.weightsPath, bytes.subarray(0, 17));
    await assertFailsCleanly(() => load(dir, { params: p, opt }), [/truncated/], p);
    await rm(b.weightsPath);
    await assertFailsCleanly(() => load(dir, { params: p, opt }), [/cannot read the weights file/], p);
    await writeFile(join(dir, MANIFEST_FILE), '{"format":"optimix-checkpoint","vers');
    await assertFailsCleanly(() => load(dir, { params: p }), [/is not valid JSON/], p);
    disposeTree([p, s]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
