// `npm run reproduce`: the experiment behind the RWP papers' table at a scale this machine runs — a Fashion-MNIST
// subset, the small CNN (optionally the small ResNet), SGD / SAM / ASAM / RWP / m-RWP / ARWP / m-ARWP, several seeds —
// plus the flatness of each method's final weights. Writes docs/results.md and SVG plots in docs/.
//
// Resumable: every (model, method, seed) result is cached as JSON under .cache/reproduce/<config hash>/; a stopped
// run continues with the first result that is missing. `--quick` is a tiny smoke configuration (writes to
// out/reproduce-quick/ unless --docs is given, so it never overwrites docs/results.md).
//
//   npm run reproduce -- [--quick] [--models cnn,resnet] [--methods sgd,sam,...] [--seeds 0,1,2] [--epochs 3]
//                        [--train-size 6400] [--test-size 10000] [--batch 64] [--set lr=0.05,rwpSigma=0.01]
//                        [--docs docs] [--report results.md] [--cache .cache/reproduce] [--fresh]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { disposeTree, key, ready, type Tree } from '../src/index.js';
import { loadFashionMnist, loadMnist, subset, toBatch, type Dataset } from '../src/data/index.js';
import { expectedPerturbedLoss, lossSlice1D, lossSlice2D, samSharpness, topHessianEigenvalue } from '../src/flatness/index.js';
import { evaluate, resnetSmall, smallCnn, type ModelSpec, type ZooModel } from '../src/models/index.js';
import { contourSvg, lineChartSvg } from '../src/plot/index.js';
import { flagsOf, intFlag, strFlag } from '../demo/flags.js';
import { progressPrinter, type ProgressStream } from '../demo/progress.js';
import { DEFAULT_HYPERPARAMETERS, LABEL, METHODS, parseMethods, runMethod, stepTimings, type EpochRecord, type Hyperparameters, type Method, type StepTiming } from '../demo/run.js';
import { runAsScript } from '../demo/runAsScript.js';

export type ModelName = 'cnn' | 'resnet';

export interface FlatnessConfig {
  /** Examples of the fixed training subset the measures use (the first n of the training set). */
  readonly subset: number;
  /** Radii of the expected perturbed loss (relative to each filter's norm). */
  readonly radii: readonly number[];
  readonly samples: number;
  /** SAM sharpness: radius and ascent steps. */
  readonly rho: number;
  readonly ascentSteps: number;
  /** Power iterations of the top Hessian eigenvalue. */
  readonly hessianIterations: number;
  /** Loss slices (seed 0 of each method): half-width and points per axis. */
  readonly sliceSpan: number;
  readonly slicePoints1D: number;
  readonly slicePoints2D: number;
}

export interface ReproduceConfig {
  readonly dataset: 'fashion' | 'mnist';
  readonly trainSize: number;
  readonly testSize: number;
  /** The seed of the data split (fixed across runs, so every seed and method sees the same data). */
  readonly dataSeed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly models: readonly ModelName[];
  readonly resnetWidth: number;
  /** Methods for the CNN and for the ResNet. */
  readonly methods: readonly Method[];
  readonly resnetMethods: readonly Method[];
  readonly seeds: readonly number[];
  readonly hp: Hyperparameters;
  readonly flatness: FlatnessConfig;
  /** Interleaved step timing: rounds, and steps per method per round. */
  readonly timing: { readonly rounds: number; readonly steps: number };
}

export const FULL: ReproduceConfig = Object.freeze({
  dataset: 'fashion',
  trainSize: 6400,
  testSize: 10000,
  dataSeed: 0,
  epochs: 3,
  batchSize: 64,
  models: ['cnn'],
  resnetWidth: 8,
  methods: [...METHODS],
  resnetMethods: ['sgd', 'sam', 'rwp'],
  seeds: [0, 1, 2],
  hp: DEFAULT_HYPERPARAMETERS,
  flatness: { subset: 512, radii: [0.1, 0.25, 0.5], samples: 8, rho: 0.05, ascentSteps: 3, hessianIterations: 12, sliceSpan: 1, slicePoints1D: 25, slicePoints2D: 15 },
  timing: { rounds: 7, steps: 10 },
}) as ReproduceConfig;

export const QUICK: ReproduceConfig = Object.freeze({
  ...FULL,
  trainSize: 256,
  testSize: 200,
  epochs: 1,
  batchSize: 32,
  seeds: [0, 1],
  flatness: { subset: 64, radii: [0.1, 0.5], samples: 2, rho: 0.05, ascentSteps: 1, hessianIterations: 3, sliceSpan: 1, slicePoints1D: 5, slicePoints2D: 3 },
  timing: { rounds: 1, steps: 1 },
}) as ReproduceConfig;

export interface ReproduceOptions {
  readonly quick?: boolean;
  readonly models?: readonly ModelName[];
  readonly methods?: readonly Method[];
  readonly resnetMethods?: readonly Method[];
  readonly seeds?: readonly number[];
  readonly epochs?: number;
  readonly trainSize?: number;
  readonly testSize?: number;
  readonly batchSize?: number;
  readonly dataset?: 'fashion' | 'mnist';
  /** Hyperparameter overrides, e.g. { rwpSigma: 0.02 }. */
  readonly hp?: Partial<Hyperparameters>;
  /** Where results.md and the SVGs go; default docs/ (out/reproduce-quick/ with quick). */
  readonly docsDir?: string;
  /** File name of the report inside docsDir; default results.md. */
  readonly report?: string;
  /** Cache directory; default .cache/reproduce. */
  readonly cacheDir?: string;
  /** Ignore (and overwrite) cached results. */
  readonly fresh?: boolean;
  /** The command to print in the report; default reconstructed from process.argv. */
  readonly command?: string;
  readonly log?: { write(s: string): unknown };
  readonly progress?: ProgressStream;
}

/** What is cached per (model, method, seed). */
export interface RunRecord {
  readonly model: ModelName;
  readonly method: Method;
  readonly seed: number;
  readonly formula: string;
  readonly interpreter: string;
  readonly history: readonly EpochRecord[];
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Loss and accuracy of the final weights on the whole training set (no perturbation). */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly seconds: number;
  readonly gradEvals: number;
  readonly steps: number;
  readonly flatness: {
    readonly loss: number;
    readonly radii: readonly number[];
    readonly perturbed: readonly number[];
    readonly sharpness: number;
    readonly hessian: number;
    readonly hessianIterations: number;
    readonly hessianConverged: boolean;
    readonly seconds: number;
  };
  readonly slices?: {
    readonly alphas: readonly number[];
    readonly losses1D: readonly number[];
    readonly grid: readonly number[];
    readonly losses2D: readonly (readonly number[])[];
  };
  readonly finishedAt: string;
  /** Wall time of the whole job: training, per-epoch evaluation, train-set evaluation, flatness. */
  readonly jobSeconds?: number;
  readonly loadavg: readonly number[];
}

export interface ReproduceResult {
  readonly reportPath: string;
  readonly svgs: readonly string[];
  readonly records: readonly RunRecord[];
  readonly ran: number;
  readonly cached: number;
  readonly seconds: number;
}

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');

function modelOf(name: ModelName, cfg: ReproduceConfig, classes: number): ZooModel {
  return name === 'cnn' ? smallCnn({ classes }) : resnetSmall({ width: cfg.resnetWidth, classes });
}

const MODEL_TITLE: Record<ModelName, string> = { cnn: 'small CNN', resnet: 'small ResNet (width 8)' };

/** The part of the configuration that determines a (model, method) run's numbers: its cache key. */
function runKey(cfg: ReproduceConfig, spec: ModelSpec, method: Method): string {
  const relevant = {
    v: 1,
    dataset: cfg.dataset,
    trainSize: cfg.trainSize,
    testSize: cfg.testSize,
    dataSeed: cfg.dataSeed,
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    spec,
    method,
    hp: cfg.hp,
    flatness: cfg.flatness,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 12);
}

function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** flatnessOf(model, params, subset, cfg, withSlices): the flatness measures of final weights on a fixed training batch. */
function flatnessOf(model: ZooModel, params: Tree, subset: Dataset, f: FlatnessConfig, withSlices: boolean): Pick<RunRecord, 'flatness' | 'slices'> {
  const t0 = performance.now();
  const batch = toBatch(subset);
  try {
    const p = expectedPerturbedLoss(model.loss, params, batch, { radii: [...f.radii], samples: f.samples, key: key(101) });
    const s = samSharpness(model.loss, params, batch, { rho: f.rho, steps: f.ascentSteps, key: key(102) });
    const h = topHessianEigenvalue(model.loss, params, batch, { iterations: f.hessianIterations, tol: 1e-3, key: key(103) });
    let slices: RunRecord['slices'];
    if (withSlices) {
      const s1 = lossSlice1D(model.loss, params, batch, { key: key(104), span: f.sliceSpan, points: f.slicePoints1D });
      const s2 = lossSlice2D(model.loss, params, batch, { key: key(105), span: f.sliceSpan, points: f.slicePoints2D });
      slices = { alphas: s1.alphas, losses1D: s1.losses, grid: s2.alphas, losses2D: s2.losses };
    }
    return {
      flatness: {
        loss: p.loss,
        radii: p.radii,
        perturbed: p.mean,
        sharpness: s.sharpness,
        hessian: h.eigenvalue,
        hessianIterations: h.iterations,
        hessianConverged: h.converged,
        seconds: (performance.now() - t0) / 1000,
      },
      ...(slices === undefined ? {} : { slices }),
    };
  } finally {
    tf.dispose(batch);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and formatting

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n − 1); 0 for a single value. */
export const std = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const pm = (xs: readonly number[], digits: number, scale = 1): string => `${(scale * mean(xs)).toFixed(digits)} ± ${(scale * std(xs)).toFixed(digits)}`;
const fmtSci = (x: number): string => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(3) : x.toExponential(2));
const pmAuto = (xs: readonly number[]): string => `${fmtSci(mean(xs))} ± ${fmtSci(std(xs))}`;

interface Summary {
  readonly model: ModelName;
  readonly method: Method;
  readonly runs: readonly RunRecord[];
}

function summarize(records: readonly RunRecord[], cfg: ReproduceConfig): Summary[] {
  const out: Summary[] = [];
  for (const model of cfg.models) {
    for (const method of model === 'cnn' ? cfg.methods : cfg.resnetMethods) {
      const runs = records.filter((r) => r.model === model && r.method === method);
      if (runs.length > 0) out.push({ model, method, runs });
    }
  }
  return out;
}

/** Welch's t statistic of a − b. */
function welch(a: readonly number[], b: readonly number[]): string {
  const se = Math.sqrt(std(a) ** 2 / a.length + std(b) ** 2 / b.length);
  return se === 0 || a.length < 2 || b.length < 2 ? '—' : ((mean(a) - mean(b)) / se).toFixed(2);
}

function mainTable(sums: readonly Summary[]): string {
  const lines = [
    '| method | test accuracy (%) | final train loss | train accuracy (%) | wall time (s) | time vs SGD | time vs SAM | gradient evals | steps | seeds |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const timeOf = (m: Method, model: ModelName): number | undefined => {
    const s = sums.find((x) => x.method === m && x.model === model);
    return s === undefined ? undefined : mean(s.runs.map((r) => r.seconds));
  };
  for (const s of sums) {
    const t = mean(s.runs.map((r) => r.seconds));
    const sgdT = timeOf('sgd', s.model);
    const samT = timeOf('sam', s.model);
    lines.push(
      `| ${LABEL[s.method]} | ${pm(s.runs.map((r) => r.testAccuracy), 2, 100)} | ${pm(s.runs.map((r) => r.trainLoss), 3)} | ${pm(s.runs.map((r) => r.trainAccuracy), 2, 100)} | ${pm(s.runs.map((r) => r.seconds), 1)} | ${sgdT === undefined ? '—' : `${(t / sgdT).toFixed(2)}×`} | ${samT === undefined ? '—' : `${(t / samT).toFixed(2)}×`} | ${mean(s.runs.map((r) => r.gradEvals)).toFixed(0)} | ${mean(s.runs.map((r) => r.steps)).toFixed(0)} | ${s.runs.length} |`,
    );
  }
  return lines.join('\n');
}

function flatnessTable(sums: readonly Summary[], f: FlatnessConfig): string {
  const radii = f.radii.map((r) => `E[L(w+${r}·d)] − L(w)`);
  const lines = [
    `| method | L(w) on subset | ${radii.join(' | ')} | SAM sharpness (ρ = ${f.rho}) | top Hessian eigenvalue |`,
    `|---|---:|${radii.map(() => '---:').join('|')}|---:|---:|`,
  ];
  for (const s of sums) {
    const fl = s.runs.map((r) => r.flatness);
    lines.push(
      `| ${LABEL[s.method]} | ${pmAuto(fl.map((x) => x.loss))} | ${f.radii.map((_, j) => pmAuto(fl.map((x) => x.perturbed[j] ?? Number.NaN))).join(' | ')} | ${pmAuto(fl.map((x) => x.sharpness))} | ${pm(fl.map((x) => x.hessian), 2)} |`,
    );
  }
  return lines.join('\n');
}

function perSeedTable(sums: readonly Summary[]): string {
  const seeds = [...new Set(sums.flatMap((s) => s.runs.map((r) => r.seed)))].sort((a, b) => a - b);
  const lines = [`| method | ${seeds.map((s) => `seed ${s}: acc (%) / time (s)`).join(' | ')} |`, `|---|${seeds.map(() => '---:').join('|')}|`];
  for (const s of sums) {
    const cells = seeds.map((seed) => {
      const r = s.runs.find((x) => x.seed === seed);
      return r === undefined ? '—' : `${(100 * r.testAccuracy).toFixed(2)} / ${r.seconds.toFixed(1)}`;
    });
    lines.push(`| ${LABEL[s.method]} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

/** The claim checks, stated as measured facts (no interpretation). */
function claimCheck(sums: readonly Summary[], model: ModelName, timing: readonly StepTiming[] = []): string {
  const stepOf = (name: string) => timing.find((x) => x.name === name)?.median;
  const get = (m: Method) => sums.find((s) => s.model === model && s.method === m);
  const sgdS = get('sgd');
  const samS = get('sam');
  const lines: string[] = [];
  for (const m of ['rwp', 'm-rwp', 'arwp', 'm-arwp'] as const) {
    const s = get(m);
    if (s === undefined || sgdS === undefined || samS === undefined) continue;
    const acc = s.runs.map((r) => 100 * r.testAccuracy);
    const sgdAcc = sgdS.runs.map((r) => 100 * r.testAccuracy);
    const samAcc = samS.runs.map((r) => 100 * r.testAccuracy);
    const t = mean(s.runs.map((r) => r.seconds));
    const tSam = mean(samS.runs.map((r) => r.seconds));
    const tSgd = mean(sgdS.runs.map((r) => r.seconds));
    lines.push(
      `| ${LABEL[m]} | ${(mean(acc) - mean(sgdAcc)).toFixed(2)} (t = ${welch(acc, sgdAcc)}) | ${(mean(acc) - mean(samAcc)).toFixed(2)} (t = ${welch(acc, samAcc)}) | ${(t / tSam).toFixed(2)}× | ${(t / tSgd).toFixed(2)}× | ${ratio(stepOf(m), stepOf('sam'))} | ${ratio(stepOf(m), stepOf('sgd'))} |`,
    );
  }
  if (lines.length === 0) return '';
  return [
    '| method | Δ test acc vs SGD (pp, Welch t) | Δ test acc vs SAM (pp, Welch t) | training time / SAM | training time / SGD | step cost / SAM (interleaved) | step cost / SGD (interleaved) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...lines,
  ].join('\n');
}

function timingTable(t: readonly StepTiming[]): string {
  const best = (x: StepTiming): number => Math.min(...x.rounds);
  const find = (name: string) => t.find((x) => x.name === name);
  const sgdT = find('sgd');
  const samT = find('sam');
  const r = (a: number, b: number | undefined): string => (b === undefined ? '—' : `${(a / b).toFixed(2)}×`);
  const lines = [
    '| method | interpreter | s/step, median of rounds | vs SGD | vs SAM | s/step, best round | vs SGD | vs SAM |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const x of t) {
    const label = x.name.replace(x.method, LABEL[x.method]);
    lines.push(
      `| ${label} | ${x.interpreter} | ${x.median.toFixed(4)} | ${r(x.median, sgdT?.median)} | ${r(x.median, samT?.median)} | ${best(x).toFixed(4)} | ${r(best(x), sgdT && best(sgdT))} | ${r(best(x), samT && best(samT))} |`,
    );
  }
  return lines.join('\n');
}

function charts(sums: readonly Summary[], cfg: ReproduceConfig, model: ModelName, docsDir: string, prefix: string): string[] {
  const written: string[] = [];
  const mine = sums.filter((s) => s.model === model);
  if (mine.length === 0) return written;
  const write = (name: string, svg: string): void => {
    const p = join(docsDir, `${prefix}-${name}.svg`);
    writeFileSync(p, svg);
    written.push(p);
  };
  // Accuracy vs time: mean over seeds at each epoch.
  write(
    'accuracy-vs-time',
    lineChartSvg({
      title: `${MODEL_TITLE[model]}, Fashion-MNIST ${cfg.trainSize}: test accuracy vs training time (mean of ${cfg.seeds.length} seeds)`.replace('Fashion-MNIST', cfg.dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST'),
      xLabel: 'training wall time (s)',
      yLabel: 'test accuracy (%)',
      width: 760,
      height: 440,
      series: mine.map((s) => {
        const epochs = Math.min(...s.runs.map((r) => r.history.length));
        const xs = Array.from({ length: epochs }, (_, e) => mean(s.runs.map((r) => r.history[e]?.seconds ?? Number.NaN)));
        const ys = Array.from({ length: epochs }, (_, e) => 100 * mean(s.runs.map((r) => r.history[e]?.testAccuracy ?? Number.NaN)));
        return { name: LABEL[s.method], xs, ys };
      }),
    }),
  );
  // Expected perturbed loss vs radius.
  write(
    'perturbed-loss',
    lineChartSvg({
      title: `${MODEL_TITLE[model]}: expected loss increase under filter-normalized noise`,
      xLabel: 'radius r (relative to each filter norm)',
      yLabel: 'E[L(w + r·d)] − L(w)',
      width: 760,
      height: 440,
      markers: true,
      series: mine.map((s) => ({ name: LABEL[s.method], xs: [0, ...cfg.flatness.radii], ys: [0, ...cfg.flatness.radii.map((_, j) => mean(s.runs.map((r) => r.flatness.perturbed[j] ?? Number.NaN)))] })),
    }),
  );
  // Loss slices of seed-0 weights (the lowest seed that has them).
  const sliced = mine.map((s) => ({ s, r: [...s.runs].sort((a, b) => a.seed - b.seed).find((r) => r.slices !== undefined) })).filter((x) => x.r !== undefined);
  if (sliced.length > 0) {
    write(
      'slice-1d',
      lineChartSvg({
        title: `${MODEL_TITLE[model]}: training loss along a filter-normalized random direction (seed ${sliced[0]?.r?.seed})`,
        xLabel: 'α (w + α·d)',
        yLabel: 'training loss (subset)',
        width: 760,
        height: 440,
        logY: true,
        series: sliced.map(({ s, r }) => ({ name: LABEL[s.method], xs: [...(r?.slices?.alphas ?? [])], ys: [...(r?.slices?.losses1D ?? [])] })),
      }),
    );
    const all = sliced.flatMap(({ r }) => (r?.slices?.losses2D ?? []).flat()).filter(Number.isFinite);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    // A shared colour scale (log of the loss, clamped) so the panels compare.
    const logLo = Math.log10(Math.max(lo, 1e-3));
    const logHi = Math.log10(Math.max(hi, lo * 1.0001, 1e-3 * 1.0001));
    for (const { s, r } of sliced) {
      const grid = r?.slices?.grid ?? [];
      const z = (r?.slices?.losses2D ?? []).map((row) => row.map((v) => Math.log10(Math.max(v, 1e-3))));
      write(
        `slice-2d-${s.method}`,
        contourSvg({
          title: `${LABEL[s.method]}: log10 training loss, 2-D slice (seed ${r?.seed})`,
          xs: grid,
          ys: grid,
          z,
          xLabel: 'α (direction d₁)',
          yLabel: 'β (direction d₂)',
          zLabel: 'log10 loss',
          width: 420,
          height: 380,
          zRange: logHi > logLo ? [logLo, logHi] : [logLo, logLo + 1],
          levels: 8,
          marker: { x: 0, y: 0 },
        }),
      );
    }
  }
  return written;
}

const START = '<!-- generated by scripts/reproduce.ts: everything between these markers is rewritten on every run -->';
const END = '<!-- end of generated section -->';

function machine(backend: string): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${osType()} ${release()}, Node ${process.version}, tfjs-core ${tf.version_core}, backend ${backend}`;
}

function generated(sums: readonly Summary[], records: readonly RunRecord[], cfg: ReproduceConfig, ctx: { timings: Partial<Record<ModelName, readonly StepTiming[]>>; prefix: string; command: string; backend: string; svgs: readonly string[]; docsDir: string; startLoad: readonly number[]; endLoad: readonly number[]; ranSeconds: number; ran: number; cached: number }): string {
  const rel = (p: string): string => relative(ctx.docsDir, p);
  const hp = cfg.hp;
  const out: string[] = [START, ''];
  out.push(`Command: \`${ctx.command}\``, '');
  out.push(`Machine: ${machine(ctx.backend)}.`, '');
  out.push(
    `This invocation: ${ctx.ran} run(s) trained, ${ctx.cached} taken from the cache, ${(ctx.ranSeconds / 60).toFixed(1)} min; load average ${ctx.startLoad.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) at the start, ${ctx.endLoad.map((x) => x.toFixed(2)).join(' / ')} at the end. Runs finished ${[...records.map((r) => r.finishedAt)].sort()[0] ?? '—'} … ${[...records.map((r) => r.finishedAt)].sort().at(-1) ?? '—'}.`,
    '',
  );
  const timed = records.filter((r) => r.jobSeconds !== undefined);
  if (timed.length > 0) {
    out.push(
      `Total wall time of the runs (training, evaluations and flatness measures, summed over ${timed.length === records.length ? 'all' : `the ${timed.length} of ${records.length}`} runs that recorded it): ${(timed.reduce((a, r) => a + (r.jobSeconds ?? 0), 0) / 60).toFixed(1)} min.`,
      '',
    );
  }
  out.push('### Configuration', '');
  out.push(
    `- Data: ${cfg.dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST'}, ${cfg.trainSize} training images (a fixed random subset, data seed ${cfg.dataSeed}), ${cfg.testSize} test images; pixels in [0, 1], no augmentation.`,
    `- Models: ${cfg.models.map((m) => (m === 'cnn' ? 'small CNN (conv 16 → conv 32 → dense, `smallCnn()`)' : `small ResNet (\`resnetSmall({ width: ${cfg.resnetWidth} })\`)`)).join('; ')}.`,
    `- Budget: ${cfg.epochs} SGD-equivalent epochs of batch ${cfg.batchSize} for every method: the same number of updates. m-RWP and m-ARWP take a batch of ${2 * cfg.batchSize} per step and give each of their two gradients its own half, so they pass over the data ${2 * cfg.epochs} times (the authors' epoch bookkeeping).`,
    `- Update rule for every method: SGD, momentum ${hp.momentum}, coupled weight decay ${hp.weightDecay}, learning rate ${hp.lr} with cosine decay to 0 over all steps, no warm-up.`,
    `- Sources: SAM ρ = ${hp.samRho}; ASAM ρ = ${hp.asamRho}, η = ${hp.asamEta}; RWP σ = ${hp.rwpSigma}, λ = ${hp.rwpLambda} (both gradients on the same batch); m-RWP σ = ${hp.mrwpSigma}, λ = ${hp.mrwpLambda} (split batch); ARWP σ₀ = ${hp.arwpSigma}, CosineInc inc = ${hp.arwpInc} over all steps, η = ${hp.arwpEta}, β = ${hp.arwpBeta}; m-ARWP σ = ${hp.marwpSigma}, λ = ${hp.marwpLambda}, η = ${hp.marwpEta}, β = ${hp.marwpBeta}.`,
    `- Interpreters: the mixes (RWP, m-RWP, m-ARWP) run on \`parallel({ workers: 1 })\` — their two gradients at once, one on the main thread and one on a worker thread; SGD, SAM, ASAM and ARWP have a single gradient chain and run sequentially.`,
    `- Seeds: ${cfg.seeds.join(', ')} (initialization, batch order and noise; the data subset is the same for all).`,
    `- Wall time: training steps only (the per-epoch test evaluation and one discarded warm-up step excluded), on a shared 2-core machine.`,
    `- Flatness of the final weights, on the first ${cfg.flatness.subset} training images: expected loss increase under filter-normalized random perturbations at radii ${cfg.flatness.radii.join(', ')} (${cfg.flatness.samples} directions), SAM sharpness max over ‖ε‖ ≤ ${cfg.flatness.rho} (${cfg.flatness.ascentSteps} projected ascent steps after SAM's step), top Hessian eigenvalue (power iteration, ≤ ${cfg.flatness.hessianIterations} finite-difference Hessian-vector products); loss slices along filter-normalized random directions (span ±${cfg.flatness.sliceSpan}, ${cfg.flatness.slicePoints1D} points in 1-D, ${cfg.flatness.slicePoints2D}×${cfg.flatness.slicePoints2D} in 2-D) for the lowest seed.`,
    '',
  );
  for (const model of cfg.models) {
    const mine = sums.filter((s) => s.model === model);
    if (mine.length === 0) continue;
    out.push(`### ${MODEL_TITLE[model]}`, '');
    out.push('Mean ± sample standard deviation over seeds. Test accuracy after the last epoch; train loss and accuracy of the final weights on the whole training subset.', '');
    out.push(mainTable(mine), '');
    const cc = claimCheck(mine, model, ctx.timings[model] ?? []);
    if (cc !== '') out.push("The claim, measured. pp = percentage points; t = Welch's t statistic — with 3 seeds per method a difference is significant at 5 % (two-sided) only when |t| exceeds about 2.8 (≈ 4 degrees of freedom). Training time = the runs above, one after another; step cost = the interleaved measurement below (median of rounds):", '', cc, '');
    const tm = ctx.timings[model];
    if (tm !== undefined && tm.length > 0) {
      out.push(
        `Step cost measured interleaved (${cfg.timing.rounds} rounds; in each round every method takes ${cfg.timing.steps} steps from the same weights on one batch, in rotating order — so a change of machine load hits every method alike). The mixes are also timed on one thread ("sequential") to show what the worker buys:`,
        '',
        timingTable(tm),
        '',
      );
    }
    out.push('Per seed:', '', perSeedTable(mine), '');
    out.push('Flatness of the final weights (lower = flatter):', '', flatnessTable(mine, cfg.flatness), '');
    const svgs = ctx.svgs.filter((p) => p.includes(`${ctx.prefix}-${model}-`));
    const find = (n: string) => svgs.find((p) => p.endsWith(`-${n}.svg`));
    const acc = find('accuracy-vs-time');
    if (acc !== undefined) out.push(`![test accuracy vs time](${rel(acc)})`, '');
    const pl = find('perturbed-loss');
    if (pl !== undefined) out.push(`![expected perturbed loss](${rel(pl)})`, '');
    const s1 = find('slice-1d');
    if (s1 !== undefined) out.push(`![1-D loss slices](${rel(s1)})`, '');
    const s2 = svgs.filter((p) => p.includes('-slice-2d-'));
    if (s2.length > 0) {
      out.push('2-D loss slices (same colour scale in every panel; the cross marks the trained weights):', '');
      out.push(s2.map((p) => `![${p.split('slice-2d-')[1]?.replace('.svg', '')}](${rel(p)})`).join(' '), '');
    }
  }
  out.push(END);
  return out.join('\n');
}

const DEFAULT_PREAMBLE = `# Results: flat-minimum training on Fashion-MNIST

Produced by \`npm run reproduce\` (scripts/reproduce.ts). The section between the markers below is rewritten on
every run; the text outside them is kept.

`;

function writeReport(path: string, body: string): void {
  let before = DEFAULT_PREAMBLE;
  let after = '\n';
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    const i = old.indexOf(START);
    const j = old.indexOf(END);
    if (i >= 0 && j > i) {
      before = old.slice(0, i);
      after = old.slice(j + END.length);
    } else before = `${old.trimEnd()}\n\n`;
  }
  writeFileSync(path, `${before}${body}${after}`);
}

/** resolveConfig(options): the configuration a call runs. */
export function resolveConfig(o: ReproduceOptions): ReproduceConfig {
  const base = o.quick === true ? QUICK : FULL;
  return {
    ...base,
    ...(o.dataset === undefined ? {} : { dataset: o.dataset }),
    ...(o.trainSize === undefined ? {} : { trainSize: o.trainSize }),
    ...(o.testSize === undefined ? {} : { testSize: o.testSize }),
    ...(o.epochs === undefined ? {} : { epochs: o.epochs }),
    ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
    ...(o.models === undefined ? {} : { models: o.models }),
    ...(o.methods === undefined ? {} : { methods: o.methods }),
    ...(o.resnetMethods === undefined ? {} : { resnetMethods: o.resnetMethods }),
    ...(o.seeds === undefined ? {} : { seeds: o.seeds }),
    hp: { ...base.hp, ...(o.hp ?? {}) },
  };
}

/** main(options): run (or resume) the reproduction and write the report and plots. */
export async function main(options: ReproduceOptions = {}): Promise<ReproduceResult> {
  const started = performance.now();
  const startLoad = loadavg();
  const cfg = resolveConfig(options);
  const log = options.log ?? process.stdout;
  const docsDir = resolve(options.docsDir ?? (options.quick === true ? join(REPO, 'out', 'reproduce-quick') : join(REPO, 'docs')));
  const cacheDir = resolve(options.cacheDir ?? join(REPO, '.cache', 'reproduce'));
  const command = options.command ?? `npm run reproduce${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const backend = await ready();
  const load = cfg.dataset === 'fashion' ? loadFashionMnist : loadMnist;
  const { train, test } = load({ trainSize: cfg.trainSize, testSize: cfg.testSize, seed: cfg.dataSeed });
  const flatSubset: Dataset = subset(train, Math.min(cfg.flatness.subset, train.n));
  const onProgress = progressPrinter(options.progress ?? process.stderr);

  const jobs: Array<{ model: ModelName; method: Method; seed: number }> = [];
  for (const model of cfg.models) {
    for (const seed of cfg.seeds) for (const method of model === 'cnn' ? cfg.methods : cfg.resnetMethods) jobs.push({ model, method, seed });
  }
  log.write(`reproduce: ${jobs.length} runs (${cfg.models.join(', ')} × methods × seeds ${cfg.seeds.join(',')}), ${cfg.dataset} ${train.n}/${test.n}, ${cfg.epochs} epochs, batch ${cfg.batchSize}; cache ${relative(process.cwd(), cacheDir) || '.'}\n`);
  const records: RunRecord[] = [];
  let ran = 0;
  let cached = 0;
  for (const [i, job] of jobs.entries()) {
    const model = modelOf(job.model, cfg, train.classes);
    const file = join(cacheDir, runKey(cfg, model.spec, job.method), `${job.model}-${job.method}-seed${job.seed}.json`);
    const tag = `[${i + 1}/${jobs.length}] ${job.model} ${LABEL[job.method]} seed ${job.seed}`;
    if (options.fresh !== true && existsSync(file)) {
      try {
        const rec = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
        records.push(rec);
        cached++;
        log.write(`${tag}: cached — test acc ${(100 * rec.testAccuracy).toFixed(2)}%, ${rec.seconds.toFixed(1)} s\n`);
        continue;
      } catch {
        log.write(`${tag}: unreadable cache file, running again\n`);
      }
    }
    const jobStart = performance.now();
    const r = await runMethod({ method: job.method, model, train, test, epochs: cfg.epochs, batchSize: cfg.batchSize, seed: job.seed, hp: cfg.hp, onProgress });
    try {
      const tr = evaluate(model, r.params, train);
      const withSlices = job.seed === Math.min(...cfg.seeds);
      const fl = flatnessOf(model, r.params, flatSubset, cfg.flatness, withSlices);
      const rec: RunRecord = {
        model: job.model,
        method: job.method,
        seed: job.seed,
        formula: r.formula,
        interpreter: r.interpreter,
        history: r.history,
        testAccuracy: r.testAccuracy,
        testLoss: r.testLoss,
        trainLoss: tr.loss,
        trainAccuracy: tr.accuracy,
        seconds: r.seconds,
        gradEvals: r.gradEvals,
        steps: r.steps,
        ...fl,
        finishedAt: new Date().toISOString(),
        jobSeconds: (performance.now() - jobStart) / 1000,
        loadavg: loadavg(),
      };
      writeJsonAtomic(file, rec);
      records.push(rec);
      ran++;
      log.write(`${tag}: test acc ${(100 * rec.testAccuracy).toFixed(2)}%, train loss ${rec.trainLoss.toFixed(4)}, ${rec.seconds.toFixed(1)} s, ${rec.gradEvals} grad evals; flatness ${rec.flatness.seconds.toFixed(1)} s (λ_max ${rec.flatness.hessian.toFixed(2)})\n`);
    } finally {
      disposeTree(r.params);
    }
  }

  const timings: Partial<Record<ModelName, StepTiming[]>> = {};
  for (const m of cfg.models) {
    const model = modelOf(m, cfg, train.classes);
    const methods = m === 'cnn' ? cfg.methods : cfg.resnetMethods;
    const tkey = createHash('sha256').update(JSON.stringify({ v: 1, spec: model.spec, methods, batch: cfg.batchSize, hp: cfg.hp, timing: cfg.timing, dataset: cfg.dataset, trainSize: cfg.trainSize })).digest('hex').slice(0, 12);
    const file = join(cacheDir, 'timing', `${m}-${tkey}.json`);
    if (options.fresh !== true && existsSync(file)) {
      timings[m] = JSON.parse(readFileSync(file, 'utf8')) as StepTiming[];
      log.write(`step timing ${m}: cached\n`);
    } else {
      log.write(`step timing ${m}: ${cfg.timing.rounds} rounds × ${methods.length} methods × ${cfg.timing.steps} steps …\n`);
      const t = await stepTimings({ model, train, methods, batchSize: cfg.batchSize, rounds: cfg.timing.rounds, steps: cfg.timing.steps, hp: cfg.hp });
      writeJsonAtomic(file, t);
      timings[m] = t;
      for (const x of t) log.write(`  ${x.name.padEnd(22)} ${x.median.toFixed(4)} s/step\n`);
    }
  }

  mkdirSync(docsDir, { recursive: true });
  const sums = summarize(records, cfg);
  const reportName = options.report ?? 'results.md';
  const prefix = reportName.replace(/\.md$/, '');
  const svgs = cfg.models.flatMap((m) => charts(sums, cfg, m, docsDir, `${prefix}-${m}`));
  const reportPath = join(docsDir, reportName);
  const ranSeconds = (performance.now() - started) / 1000;
  writeReport(reportPath, generated(sums, records, cfg, { timings, prefix, command, backend, svgs, docsDir, startLoad, endLoad: loadavg(), ranSeconds, ran, cached }));
  for (const m of cfg.models) {
    const mine = sums.filter((s) => s.model === m);
    if (mine.length > 0) log.write(`\n${MODEL_TITLE[m]}\n${mainTable(mine)}\n`);
  }
  log.write(`\nreport: ${reportPath}\n${svgs.length} plots in ${docsDir}\n${ran} trained, ${cached} cached, ${(ranSeconds / 60).toFixed(1)} min\n`);
  return { reportPath, svgs, records, ran, cached, seconds: ranSeconds };
}

// ---------------------------------------------------------------------------------------------------------------
// Command line

const USAGE = `usage: npm run reproduce -- [options]
  --quick               tiny smoke configuration (writes to out/reproduce-quick/ unless --docs is given)
  --models LIST         cnn,resnet (default ${FULL.models.join(',')}; resnet = resnetSmall({ width: ${FULL.resnetWidth} }))
  --methods LIST        CNN methods (default all: ${METHODS.join(',')})
  --resnet-methods LIST ResNet methods (default ${FULL.resnetMethods.join(',')})
  --seeds LIST          e.g. 0,1,2 (default ${FULL.seeds.join(',')})
  --epochs N            SGD-equivalent epochs (default ${FULL.epochs})
  --train-size N        training images (default ${FULL.trainSize})
  --test-size N         test images (default ${FULL.testSize})
  --batch N             batch per gradient (default ${FULL.batchSize})
  --dataset NAME        fashion | mnist (default ${FULL.dataset})
  --set K=V,...         hyperparameter overrides, keys: ${Object.keys(DEFAULT_HYPERPARAMETERS).join(', ')}
  --docs DIR            where the report and plots go (default docs)
  --report FILE         report file name inside --docs (default results.md)
  --cache DIR           cache directory (default .cache/reproduce)
  --fresh               ignore cached results
`;

export function parseReproduceArgs(argv: readonly string[]): ReproduceOptions | 'help' {
  const f = flagsOf(argv, ['models', 'methods', 'resnet-methods', 'seeds', 'epochs', 'train-size', 'test-size', 'batch', 'dataset', 'set', 'docs', 'report', 'cache'], ['quick', 'fresh', 'help']);
  if (f.bools.has('help')) return 'help';
  const list = (name: string): string[] | undefined => strFlag(f, name)?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const models = list('models');
  if (models !== undefined && models.some((m) => m !== 'cnn' && m !== 'resnet')) throw new RangeError(`--models: choose from cnn, resnet; got ${models.join(',')}`);
  const seeds = list('seeds')?.map((s) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new RangeError(`--seeds: not an integer: ${s}`);
    return n;
  });
  const dataset = strFlag(f, 'dataset');
  if (dataset !== undefined && dataset !== 'fashion' && dataset !== 'mnist') throw new RangeError(`--dataset must be fashion or mnist, got ${dataset}`);
  const hp: Record<string, number> = {};
  for (const kv of list('set') ?? []) {
    const [k, v] = kv.split('=');
    if (k === undefined || !(k in DEFAULT_HYPERPARAMETERS)) throw new RangeError(`--set: unknown hyperparameter '${k ?? ''}'; keys: ${Object.keys(DEFAULT_HYPERPARAMETERS).join(', ')}`);
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new RangeError(`--set ${k}: not a number: ${v ?? ''}`);
    hp[k] = n;
  }
  const methods = strFlag(f, 'methods');
  const resnetMethods = strFlag(f, 'resnet-methods');
  const o: Record<string, unknown> = {
    quick: f.bools.has('quick'),
    fresh: f.bools.has('fresh'),
    models: models as ModelName[] | undefined,
    methods: methods === undefined ? undefined : parseMethods(methods),
    resnetMethods: resnetMethods === undefined ? undefined : parseMethods(resnetMethods),
    seeds,
    epochs: intFlag(f, 'epochs', 1),
    trainSize: intFlag(f, 'train-size', 1),
    testSize: intFlag(f, 'test-size', 1),
    batchSize: intFlag(f, 'batch', 1),
    dataset,
    hp: Object.keys(hp).length > 0 ? hp : undefined,
    docsDir: strFlag(f, 'docs'),
    report: strFlag(f, 'report'),
    cacheDir: strFlag(f, 'cache'),
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ReproduceOptions;
}

await runAsScript(import.meta.url, USAGE, parseReproduceArgs, main, { stack: true });

