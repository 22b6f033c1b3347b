// The live view's data: the MNIST subset shipped with the playground (public/mnist-train.bin, 1,000 digits, and
// public/mnist-test.bin, 500; optimix dataset files written by scripts/playground-data.ts), fetched once with
// optimix/data's fetchDataset, and the training labels with symmetric label noise (the test labels stay true).
import { foldName, key } from 'optimix';
import { fetchDataset, makeDataset, noisyLabels, type Dataset } from 'optimix/data';

/** The train and test splits. */
export interface Subset {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** The assets' URLs, relative to the page (the build's base is './'). */
export const SUBSET_URLS = { train: `${import.meta.env.BASE_URL}mnist-train.bin`, test: `${import.meta.env.BASE_URL}mnist-test.bin` } as const;

let loading: Promise<Subset> | undefined;

/** fetchSubset(): the subset's train and test Datasets (fetched on first call; a failed fetch is retried on the next). */
export function fetchSubset(): Promise<Subset> {
  loading ??= Promise.all([fetchDataset(SUBSET_URLS.train), fetchDataset(SUBSET_URLS.test)]).then(([train, test]) => ({ train, test }));
  loading.catch(() => (loading = undefined));
  return loading;
}

/**
 * withLabelNoise(train, fraction): train with exactly round(fraction·n) labels flipped to a uniformly drawn other class
 * (optimix/data's noisyLabels, key foldName(key(0), 'mnist-subset/labelNoise'): the same flips for every method and
 * seed); cleanY keeps the true labels. fraction 0 gives train itself.
 */
export function withLabelNoise(train: Dataset, fraction: number): Dataset {
  if (fraction === 0) return train;
  const y = noisyLabels(train.y, train.classes, fraction, foldName(key(0), 'mnist-subset/labelNoise'));
  return makeDataset({ ...train, name: `${train.name} (${Math.round(fraction * 100)}% labels flipped)`, y, cleanY: train.y });
}
