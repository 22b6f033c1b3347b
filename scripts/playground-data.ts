// The live view's MNIST subset, static assets: 1,000 training and 500 test digits drawn (by key) from the `mnist`
// package's 10,000, each split written as an optimix dataset file (encodeDataset: 8-bit pixels, labels, pool indices,
// CRC-checked) that the page reads with optimix/data's fetchDataset.
// Usage: npx tsx scripts/playground-data.ts   (writes playground/public/mnist-{train,test}.bin)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { key } from '../src/index.js';
import { encodeDataset, loadMnist } from '../src/data/index.js';

const SIZES = { train: 1000, test: 500 } as const;
// loadMnist's split (a permutation of the pool by key(0)): train and test disjoint, x = pixel/255 ('unit').
mkdirSync(fileURLToPath(new URL('../playground/public/', import.meta.url)), { recursive: true });
const splits = loadMnist({ trainSize: SIZES.train, testSize: SIZES.test, key: key(0), normalize: 'unit' });
for (const name of ['train', 'test'] as const) {
  const out = fileURLToPath(new URL(`../playground/public/mnist-${name}.bin`, import.meta.url));
  const bytes = encodeDataset(splits[name]);
  writeFileSync(out, bytes);
  console.log(`${out}: ${SIZES[name]} digits, ${bytes.length} bytes`);
}
