import type { Key } from '../random.js';
import { type Dataset, select } from './dataset.js';
import { permutation } from './prng.js';

/** shuffle(ds, key): ds with its rows permuted by permutation(ds.n, key) (Fisher–Yates on an sfc32 stream); a copy, deterministic in the key. */
export function shuffle(ds: Dataset, k: Key): Dataset {
  return select(ds, permutation(ds.n, k));
}
