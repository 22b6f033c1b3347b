/** Assembling a train/test pair from decoded pools and chosen rows: normalization, label noise, metadata. */
import { foldName } from '../random.js';
import { type Dataset, type ImageShape, type Splits, makeDataset } from './dataset.js';
import { noisyLabels } from './labelNoise.js';
import { gatherPixels, normalization } from './normalize.js';
import type { ResolvedOptions } from './options.js';
import type { Pool } from './packages.js';

/** What a loader knows about its data. */
export interface SplitSpec {
  readonly name: string;
  readonly shape: ImageShape;
  readonly classNames: readonly string[];
  readonly trainPool: Pool;
  readonly testPool: Pool;
  /** Rows of trainPool / testPool to use, in order. */
  readonly trainRows: Int32Array;
  readonly testRows: Int32Array;
  /** Rows of trainPool held out for validation (disjoint from trainRows); empty for none. */
  readonly validationRows?: Int32Array;
}

function gatherLabels(labels: Int32Array, rows: Int32Array): Int32Array {
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) y[i] = labels[rows[i]!]!;
  return y;
}

/** buildSplits(spec, options): train, test (and validation) datasets, normalized with train statistics, with label noise on train only. */
export function buildSplits(spec: SplitSpec, o: ResolvedOptions): Splits {
  const size = spec.shape[0] * spec.shape[1] * spec.shape[2];
  const classes = spec.classNames.length;
  const norm = normalization(o.normalize, spec.trainPool.pixels, spec.trainRows, size);
  const cleanTrainY = gatherLabels(spec.trainPool.labels, spec.trainRows);
  const noisy = o.labelNoise > 0;
  const common = { shape: spec.shape, classes, classNames: spec.classNames, normalization: norm };
  const train: Dataset = makeDataset({
    ...common,
    name: `${spec.name}/train`,
    n: spec.trainRows.length,
    x: gatherPixels(spec.trainPool.pixels, spec.trainRows, size, norm),
    y: noisy ? noisyLabels(cleanTrainY, classes, o.labelNoise, foldName(o.key, `${spec.name}/labelNoise`)) : cleanTrainY,
    index: spec.trainRows.slice(),
    ...(noisy ? { cleanY: cleanTrainY } : {}),
  });
  const test: Dataset = makeDataset({
    ...common,
    name: `${spec.name}/test`,
    n: spec.testRows.length,
    x: gatherPixels(spec.testPool.pixels, spec.testRows, size, norm),
    y: gatherLabels(spec.testPool.labels, spec.testRows),
    index: spec.testRows.slice(),
  });
  const vRows = spec.validationRows ?? new Int32Array(0);
  const validation: Dataset | undefined =
    vRows.length === 0
      ? undefined
      : makeDataset({
          ...common,
          name: `${spec.name}/validation`,
          n: vRows.length,
          x: gatherPixels(spec.trainPool.pixels, vRows, size, norm),
          y: gatherLabels(spec.trainPool.labels, vRows),
          index: vRows.slice(),
        });
  return Object.freeze({ train, test, ...(validation === undefined ? {} : { validation }) });
}
