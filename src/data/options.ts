/** The options shared by the dataset loaders, and their validation (errors name the offending option). */
import { type Key, isKey, key } from '../random.js';
import { closest } from '../validate.js';

/** Options of loadMnist / loadFashionMnist. */
export interface LoadOptions {
  /** Number of training examples (default: the loader's default; at most the train pool). */
  readonly trainSize?: number;
  /** Number of test examples (default: the loader's default; at most the test pool). */
  readonly testSize?: number;
  /** Integer seed for the split, the subset choice and label noise (default 0); give seed or key, not both. */
  readonly seed?: number;
  /** Random key for the split, the subset choice and label noise; give seed or key, not both. */
  readonly key?: Key;
  /** 'unit' (default): x = pixel/255 ∈ [0,1]; 'standard': x = (pixel/255 − mean)/std with mean, std over all train pixels. */
  readonly normalize?: 'unit' | 'standard';
  /** Fraction in [0,1) of train labels replaced by a uniformly random other class (count = round(labelNoise·trainSize)); default 0. */
  readonly labelNoise?: number;
  /**
   * Training-pool examples held out as `Splits.validation` (default 0: none): disjoint from train and test, clean labels,
   * normalized with the training statistics; train is the same with or without it.
   */
  readonly validationSize?: number;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly trainSize: number;
  readonly testSize: number;
  readonly key: Key;
  readonly normalize: 'unit' | 'standard';
  readonly labelNoise: number;
  readonly validationSize: number;
}

const KNOWN = new Set(['trainSize', 'testSize', 'seed', 'key', 'normalize', 'labelNoise', 'validationSize']);

function size(fn: string, option: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${fn}: option '${option}' must be an integer in [1, ${max}], got ${String(value)}`);
  }
  return value;
}

/** resolveOptions(fn, options, limits): defaults applied, every option checked; RangeError/TypeError naming the option otherwise. */
export function resolveOptions(
  fn: string,
  options: LoadOptions | undefined,
  limits: { readonly trainMax: number; readonly testMax: number; readonly trainDefault: number; readonly testDefault: number },
): ResolvedOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}: options must be an object, got ${String(o)}`);
  for (const name of Object.keys(o)) {
    if (!KNOWN.has(name)) {
      const near = closest(name, [...KNOWN]);
      throw new RangeError(`${fn}: unknown option '${name}'; ${near === undefined ? `the known ones are ${[...KNOWN].join(', ')}` : `did you mean '${near}'?`}`);
    }
  }
  const trainSize = size(fn, 'trainSize', o.trainSize, limits.trainDefault, limits.trainMax);
  const testSize = size(fn, 'testSize', o.testSize, limits.testDefault, limits.testMax);
  if (o.seed !== undefined && o.key !== undefined) throw new RangeError(`${fn}: give option 'seed' or option 'key', not both`);
  let k: Key;
  if (o.key !== undefined) {
    if (!isKey(o.key)) throw new RangeError(`${fn}: option 'key' must be a key from optimix's random module, got ${JSON.stringify(o.key)}`);
    k = o.key;
  } else {
    const seed = o.seed ?? 0;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new RangeError(`${fn}: option 'seed' must be a safe integer, got ${String(seed)}`);
    k = key(seed);
  }
  const normalize = o.normalize ?? 'unit';
  if (normalize !== 'unit' && normalize !== 'standard') {
    throw new RangeError(`${fn}: option 'normalize' must be 'unit' or 'standard', got ${JSON.stringify(normalize)}`);
  }
  const labelNoise = o.labelNoise ?? 0;
  if (typeof labelNoise !== 'number' || !Number.isFinite(labelNoise) || labelNoise < 0 || labelNoise >= 1) {
    throw new RangeError(`${fn}: option 'labelNoise' must be a number in [0, 1), got ${String(labelNoise)}`);
  }
  const validationSize = o.validationSize ?? 0;
  if (typeof validationSize !== 'number' || !Number.isInteger(validationSize) || validationSize < 0 || trainSize + validationSize > limits.trainMax) {
    throw new RangeError(`${fn}: option 'validationSize' must be an integer in [0, ${limits.trainMax - trainSize}] (trainSize + validationSize ≤ ${limits.trainMax}), got ${String(validationSize)}`);
  }
  return { trainSize, testSize, key: k, normalize, labelNoise, validationSize };
}
