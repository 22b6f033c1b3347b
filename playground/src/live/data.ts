// The live view's data: the MNIST subset shipped with the playground (public/mnist-subset.bin, 1,000 train + 500
// test digits), fetched once, and its training labels with symmetric label noise (the test labels stay true).
import { foldName, key } from 'optimix';
import { makeDataset, noisyLabels, type Dataset } from 'optimix/data';
import { decodeSubset, type Subset } from './format.ts';

/** The asset's URL, relative to the page (the build's base is './'). */
export const SUBSET_URL = `${import.meta.env.BASE_URL}mnist-subset.bin`;

let loading: Promise<Subset> | undefined;

/** fetchSubset(): the subset's train and test Datasets (fetched and decoded on first call). */
export function fetchSubset(url = SUBSET_URL): Promise<Subset> {
  loading ??= (async () => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`fetching ${url}: HTTP ${res.status} ${res.statusText}`);
    return decodeSubset(new Uint8Array(await res.arrayBuffer()), url);
  })();
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
