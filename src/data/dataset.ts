/**
 * The dataset value: images and class ids as plain typed arrays (cheap to slice, structured-clonable to
 * worker threads, deterministic), plus the metadata needed to turn rows into tensors.
 */

/** An image's shape [height, width, channels] (NHWC without the batch axis). */
export type ImageShape = readonly [number, number, number];

/** How pixels were scaled: x = (u − mean) / std, where u ∈ [0,1] is the raw 8-bit pixel / 255. 'unit' has mean 0, std 1. */
export interface Normalization {
  /** `'unit'`: x = pixel/255 as is; `'standard'`: standardized with the mean and std of the training set's pixels. */
  readonly kind: 'unit' | 'standard';
  /** The mean subtracted from u = pixel/255. */
  readonly mean: number;
  /** The standard deviation u − mean is divided by. */
  readonly std: number;
}

/** An image classification dataset of n examples. */
export interface Dataset {
  /** e.g. 'mnist/train', 'fashion-mnist/test'. */
  readonly name: string;
  /** Pixels, row-major NHWC: example i occupies x[i·h·w·c, (i+1)·h·w·c). */
  readonly x: Float32Array;
  /** Class ids in [0, classes), one per example (possibly noisy, see cleanY). */
  readonly y: Int32Array;
  /** Number of examples. */
  readonly n: number;
  /** Shape of one example, e.g. [28, 28, 1]. */
  readonly shape: ImageShape;
  /** Number of classes. */
  readonly classes: number;
  /** Human-readable class names, index = class id. */
  readonly classNames: readonly string[];
  /** The pixel scaling that was applied. */
  readonly normalization: Normalization;
  /** Each example's position in its source pool (see the loader's doc), for provenance and disjointness checks. */
  readonly index: Int32Array;
  /** The labels before label noise; present only when label noise was applied. */
  readonly cleanY?: Int32Array;
}

/** flipped(ds): the positions i (ascending) where label noise changed the label, y[i] ≠ cleanY[i]; empty without noise. */
export function flipped(ds: Pick<Dataset, 'y' | 'cleanY'>): Int32Array {
  const c = ds.cleanY;
  if (c === undefined) return new Int32Array(0);
  const out: number[] = [];
  for (let i = 0; i < ds.y.length; i++) if (ds.y[i] !== c[i]) out.push(i);
  return Int32Array.from(out);
}

/** A train/test pair. */
export interface Splits {
  /** The training set. */
  readonly train: Dataset;
  /** The test set (normalized with the training set's statistics). */
  readonly test: Dataset;
  /** Held-out training-pool examples with clean labels (option `validationSize` > 0), for choosing hyperparameters. */
  readonly validation?: Dataset;
}

/** exampleSize(ds): h·w·c, the number of floats per example. */
export function exampleSize(ds: Pick<Dataset, 'shape'>): number {
  return ds.shape[0] * ds.shape[1] * ds.shape[2];
}

/** makeDataset(fields): a frozen Dataset after checking that array lengths agree with n and shape and labels lie in [0, classes). */
export function makeDataset(fields: Dataset): Dataset {
  const { n, shape, classes, x, y, index, cleanY, name } = fields;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`dataset '${name}': n must be a non-negative integer, got ${String(n)}`);
  if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`dataset '${name}': shape must be three positive integers [h, w, c], got [${shape.join(', ')}]`);
  }
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`dataset '${name}': classes must be an integer ≥ 2, got ${String(classes)}`);
  if (x.length !== n * exampleSize(fields)) {
    throw new RangeError(`dataset '${name}': x has ${x.length} values, expected n·h·w·c = ${n * exampleSize(fields)}`);
  }
  for (const [label, arr] of [['y', y], ['index', index], ['cleanY', cleanY]] as const) {
    if (arr !== undefined && arr.length !== n) throw new RangeError(`dataset '${name}': ${label} has length ${arr.length}, expected n = ${n}`);
  }
  for (const [label, arr] of [['y', y], ['cleanY', cleanY]] as const) {
    if (arr === undefined) continue;
    for (let i = 0; i < n; i++) {
      const c = arr[i]!;
      if (c < 0 || c >= classes) throw new RangeError(`dataset '${name}': ${label}[${i}] = ${c} is outside [0, ${classes})`);
    }
  }
  return Object.freeze({ ...fields, shape: Object.freeze([...shape]) as unknown as ImageShape, classNames: Object.freeze([...fields.classNames]) });
}

/** select(ds, indices): a new dataset with rows ds[indices[0]], ds[indices[1]], … (copied; repeats allowed). */
export function select(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const m = indices.length;
  const size = exampleSize(ds);
  const x = new Float32Array(m * size);
  const y = new Int32Array(m);
  const index = new Int32Array(m);
  const cleanY = ds.cleanY === undefined ? undefined : new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = indices[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= ds.n) throw new RangeError(`select: indices[${i}] = ${String(j)} is outside [0, ${ds.n})`);
    x.set(ds.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = ds.y[j]!;
    index[i] = ds.index[j]!;
    if (cleanY !== undefined) cleanY[i] = ds.cleanY![j]!;
  }
  return Object.freeze({ ...ds, x, y, index, n: m, ...(cleanY === undefined ? {} : { cleanY }) });
}

/** subset(ds, n): the first n examples of ds (copied), 1 ≤ n ≤ ds.n; shuffle first for a random subset. */
export function subset(ds: Dataset, n: number): Dataset {
  if (!Number.isInteger(n) || n < 1 || n > ds.n) {
    throw new RangeError(`subset(dataset, n): n must be an integer in [1, ${ds.n}] for '${ds.name}', got ${String(n)}`);
  }
  const size = exampleSize(ds);
  return Object.freeze({
    ...ds,
    n,
    x: ds.x.slice(0, n * size),
    y: ds.y.slice(0, n),
    index: ds.index.slice(0, n),
    ...(ds.cleanY === undefined ? {} : { cleanY: ds.cleanY.slice(0, n) }),
  });
}
