// One cached training run of the reproduction, and the flatness measures of its final weights (cached apart, from
// the weights saved with the run, so they can be added or changed without retraining).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { disposeTree, key, type Tree } from '../../src/index.js';
import { flipped, select, subset, toBatch, type Dataset, type Splits } from '../../src/data/index.js';
import { expectedPerturbedLoss, lossSlice1D, samSharpness, topHessianEigenvalue } from '../../src/flatness/index.js';
import { evaluate, type ZooModel } from '../../src/models/index.js';
import { runMethod, type EpochRecord, type Hyperparameters, type Method, type ProgressEvent } from '../../demo/run.js';
import { relevantHp, type FlatnessConfig, type ModelName, type ReproduceConfig, type SettingConfig } from './config.js';
import { paramsToJson, readParams } from './paramsFile.js';
import { withLock } from './lock.js';

/** What is cached per (setting, model, method, hyperparameters, seed). */
export interface RunRecord {
  readonly setting: string;
  readonly model: ModelName;
  readonly method: Method;
  readonly seed: number;
  /** The hyperparameters this method's numbers depend on. */
  readonly hp: Partial<Hyperparameters>;
  readonly formula: string;
  readonly interpreter: string;
  /** Per epoch (test accuracy NaN → null at epochs without evaluation). */
  readonly history: readonly EpochRecord[];
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly validationAccuracy: number;
  /** Final weights on the whole training set, against the labels trained on (noisy where flipped). */
  readonly trainAccuracy: number;
  readonly trainLoss: number;
  /** Against the true labels (equals trainAccuracy without noise). */
  readonly cleanTrainAccuracy: number;
  /** Training accuracy on the flipped examples against their noisy labels (memorization); null without noise. */
  readonly memorization: number | null;
  readonly flippedCount: number;
  /** Training wall time (steps only), seconds. */
  readonly seconds: number;
  /** Seconds waited for the benchmark lock before this run, and whether the run held it (else it ran without). */
  readonly lockWait: number;
  readonly lockHeld: boolean;
  readonly gradEvals: number;
  readonly steps: number;
  readonly finishedAt: string;
  readonly loadavg: readonly number[];
}

export interface FlatnessRecord {
  readonly loss: number;
  readonly radii: readonly number[];
  readonly perturbed: readonly number[];
  readonly sharpness: number;
  readonly hessian: number;
  readonly hessianConverged: boolean;
  readonly slice?: { readonly alphas: readonly number[]; readonly losses: readonly number[] };
  readonly seconds: number;
}

export interface RunContext {
  readonly cfg: ReproduceConfig;
  readonly cacheDir: string;
  /** Identifies the random generator behind every noise sample; part of every cache key. */
  readonly generator: string;
  readonly fresh: boolean;
  readonly lock: string | undefined;
  /** Seconds a run waits for the lock before it runs without it. */
  readonly lockWait: number;
  readonly log: { write(s: string): unknown };
  readonly onProgress: (e: ProgressEvent) => void;
}

const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12);

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The file stem of a run: everything that determines its numbers is hashed into the directory name. */
function runStem(ctx: RunContext, s: SettingConfig, model: ZooModel, name: ModelName, m: Method, hp: Hyperparameters, seed: number): string {
  const c = ctx.cfg;
  const k = hash({
    v: 2,
    generator: ctx.generator,
    data: { dataset: c.dataset, trainSize: s.trainSize, labelNoise: s.labelNoise, testSize: c.testSize, validationSize: c.validationSize, dataSeed: c.dataSeed },
    epochs: s.epochs[name],
    batch: c.batchSize,
    evalPoints: c.evalPoints,
    spec: model.spec,
    method: m,
    hp: relevantHp(m, hp),
  });
  return join(ctx.cacheDir, 'runs', k, `${s.id}-${name}-${m}-seed${seed}`);
}

/** evalEvery(epochs, points): test evaluations every this many epochs (the last epoch is always evaluated). */
export const evalEvery = (epochs: number, points: number): number => Math.max(1, Math.floor(epochs / Math.max(1, points)));

/** trainRun(...): the cached record of one run, training it (under the lock) when it is not cached (undefined instead with cachedOnly). */
export async function trainRun(ctx: RunContext, s: SettingConfig, data: Splits, model: ZooModel, name: ModelName, m: Method, hp: Hyperparameters, seed: number, tag: string, cachedOnly = false): Promise<{ record: RunRecord; stem: string; cached: boolean } | undefined> {
  const stem = runStem(ctx, s, model, name, m, hp, seed);
  if (!ctx.fresh && existsSync(`${stem}.json`) && existsSync(`${stem}.params.json`)) {
    try {
      const record = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as RunRecord;
      ctx.log.write(`${tag}: cached — val ${(100 * record.validationAccuracy).toFixed(2)}%, test ${(100 * record.testAccuracy).toFixed(2)}%\n`);
      return { record, stem, cached: true };
    } catch {
      ctx.log.write(`${tag}: unreadable cache file, running again\n`);
    }
  }
  if (cachedOnly) return undefined;
  const { value: r, waited, held } = await withLock(
    ctx.lock,
    () => runMethod({ method: m, model, train: data.train, test: data.test, epochs: s.epochs[name], batchSize: ctx.cfg.batchSize, seed, hp, evalEvery: evalEvery(s.epochs[name], ctx.cfg.evalPoints), onProgress: ctx.onProgress }),
    { timeoutSeconds: ctx.lockWait, orWithout: true },
  );
  try {
    const validation = data.validation;
    if (validation === undefined) throw new Error('trainRun: the data have no validation split');
    const val = evaluate(model, r.params, validation);
    const tr = evaluate(model, r.params, data.train);
    const flips = flipped(data.train);
    const clean = data.train.cleanY === undefined ? tr : evaluate(model, r.params, { ...data.train, y: data.train.cleanY });
    const mem = flips.length === 0 ? null : evaluate(model, r.params, select(data.train, flips)).accuracy;
    const record: RunRecord = {
      setting: s.id,
      model: name,
      method: m,
      seed,
      hp: relevantHp(m, hp),
      formula: r.formula,
      interpreter: r.interpreter,
      history: r.history,
      testAccuracy: r.testAccuracy,
      testLoss: r.testLoss,
      validationAccuracy: val.accuracy,
      trainAccuracy: tr.accuracy,
      trainLoss: tr.loss,
      cleanTrainAccuracy: clean.accuracy,
      memorization: mem,
      flippedCount: flips.length,
      seconds: r.seconds,
      lockWait: waited,
      lockHeld: held,
      gradEvals: r.gradEvals,
      steps: r.steps,
      finishedAt: new Date().toISOString(),
      loadavg: loadavg(),
    };
    writeAtomic(`${stem}.params.json`, paramsToJson(r.params));
    writeAtomic(`${stem}.json`, JSON.stringify(record));
    const memText = mem === null ? '' : `, memorized ${(100 * mem).toFixed(1)}% of ${flips.length} flipped`;
    ctx.log.write(
      `${tag}: val ${(100 * val.accuracy).toFixed(2)}%, test ${(100 * r.testAccuracy).toFixed(2)}%, train ${(100 * tr.accuracy).toFixed(2)}%${memText}, ${r.seconds.toFixed(1)} s (load ${loadavg()[0]?.toFixed(2)}${ctx.lock === undefined ? '' : held ? `, lock held${waited > 1 ? ` after ${waited.toFixed(0)} s` : ''}` : ', lock busy: ran without it'})\n`,
    );
    return { record, stem, cached: false };
  } finally {
    disposeTree(r.params);
  }
}

/** flatnessOf(ctx, stem, model, train, withSlice): the flatness measures of a run's saved weights, on the first `subset` training examples (cached). */
export async function flatnessOf(ctx: RunContext, stem: string, model: ZooModel, train: Dataset, withSlice: boolean, cachedOnly = false): Promise<FlatnessRecord | undefined> {
  const f: FlatnessConfig = ctx.cfg.flatness;
  const file = `${stem}.flatness-${hash({ f, withSlice })}.json`;
  if (!ctx.fresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as FlatnessRecord;
  if (cachedOnly) return undefined;
  const { value } = await withLock(ctx.lock, async () => {
    const t0 = performance.now();
    const params: Tree = readParams(`${stem}.params.json`);
    const batch = toBatch(subset(train, Math.min(f.subset, train.n)));
    try {
      const p = expectedPerturbedLoss(model.loss, params, batch, { radii: [...f.radii], samples: f.samples, key: key(101) });
      const sh = samSharpness(model.loss, params, batch, { rho: f.rho, steps: f.ascentSteps, key: key(102) });
      const h = topHessianEigenvalue(model.loss, params, batch, { iterations: f.hessianIterations, tol: 1e-3, key: key(103) });
      const sl = withSlice ? lossSlice1D(model.loss, params, batch, { key: key(104), span: f.sliceSpan, points: f.slicePoints1D }) : undefined;
      const rec: FlatnessRecord = {
        loss: p.loss,
        radii: p.radii,
        perturbed: p.mean,
        sharpness: sh.sharpness,
        hessian: h.eigenvalue,
        hessianConverged: h.converged,
        ...(sl === undefined ? {} : { slice: { alphas: sl.alphas, losses: sl.losses } }),
        seconds: (performance.now() - t0) / 1000,
      };
      return rec;
    } finally {
      tf.dispose(batch);
      disposeTree(params);
    }
  }, { timeoutSeconds: ctx.lockWait, orWithout: true });
  writeAtomic(file, JSON.stringify(value));
  return value;
}
