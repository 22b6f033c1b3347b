// The main job (`npm start`): train the small CNN on MNIST with noisy labels (a fixed 40 % of the training labels
// flipped to another class) with SGD, SAM and RWP (RWP's two gradients at once, on a worker thread), show a progress
// line per epoch, print a comparison table (test accuracy on clean labels, how much of the flipped labels each
// memorized) and a text chart, and write a chart of test accuracy against wall-clock time to out/.
//
//   npm start -- [--epochs N] [--label-noise 0.4] [--dataset mnist|fashion] [--methods sgd,sam,rwp] [--seed 0]
//                [--train-size N] [--test-size N] [--batch 64] [--lr 0.05] [--sigma X] [--rho X] [--out out] [--sequential]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { disposeTree, ready } from '../src/index.js';
import { flipped, loadFashionMnist, loadMnist, select, type Splits } from '../src/data/index.js';
import { evaluate, smallCnn } from '../src/models/index.js';
import { lineChartSvg } from '../src/plot/index.js';
import { progressPrinter, type ProgressStream } from './progress.js';
import { DEFAULT_HYPERPARAMETERS, LABEL, parseMethods, runMethod, type Method, type RunResult } from './run.js';
import { flagsOf, intFlag, numFlag, strFlag } from './flags.js';
import { runAsScript } from './runAsScript.js';
import { textChart } from './textChart.js';

export interface DemoOptions {
  readonly epochs?: number;
  readonly dataset?: 'mnist' | 'fashion';
  readonly methods?: readonly Method[];
  readonly seed?: number;
  readonly trainSize?: number;
  readonly testSize?: number;
  readonly batchSize?: number;
  readonly lr?: number;
  /** Fraction of training labels flipped to another class (a fixed, seeded subset); default 0.4. */
  readonly labelNoise?: number;
  /** RWP's σ and SAM's ρ. */
  readonly sigma?: number;
  readonly rho?: number;
  /** Output directory of the chart; default `out`. */
  readonly out?: string;
  /** Evaluate RWP's two gradients one after the other instead of on a worker thread. */
  readonly sequential?: boolean;
  /** Where the table goes; default process.stdout. */
  readonly stdout?: { write(s: string): unknown };
  /** Where progress goes; default process.stderr. */
  readonly progress?: ProgressStream;
}

export interface DemoRow {
  readonly method: Method;
  readonly testAccuracy: number;
  /** Final training accuracy against the (noisy) training labels. */
  readonly trainAccuracy: number;
  /** Training accuracy on the flipped examples against their noisy labels (NaN without label noise). */
  readonly memorized: number;
  readonly seconds: number;
  readonly relativeTime: number;
  readonly gradEvals: number;
  readonly steps: number;
  readonly formula: string;
  readonly interpreter: string;
}

export interface DemoResult {
  readonly rows: readonly DemoRow[];
  readonly table: string;
  readonly chartPath: string;
  readonly totalSeconds: number;
}

export const DEMO_DEFAULTS = Object.freeze({
  epochs: 20,
  dataset: 'mnist' as 'mnist' | 'fashion',
  methods: ['sgd', 'sam', 'rwp'] as readonly Method[],
  seed: 0,
  trainSize: 2000,
  testSize: 2000,
  batchSize: 64,
  labelNoise: 0.4,
  sigma: 0.02,
  rho: 0.05,
  out: 'out',
});

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** formatTable(rows): the comparison table (Markdown-style, readable in a terminal). */
export function formatTable(rows: readonly DemoRow[]): string {
  const noisy = rows.some((r) => Number.isFinite(r.memorized));
  const head = ['method', 'test accuracy', noisy ? 'train acc (noisy labels)' : 'train accuracy', ...(noisy ? ['memorized flips'] : []), 'wall time', 'time vs SGD', 'gradient evals', 'steps', 'interpreter'];
  const body = rows.map((r) => [
    LABEL[r.method],
    pct(r.testAccuracy),
    pct(r.trainAccuracy),
    ...(noisy ? [pct(r.memorized)] : []),
    `${r.seconds.toFixed(1)} s`,
    Number.isFinite(r.relativeTime) ? `${r.relativeTime.toFixed(2)}×` : '—',
    String(r.gradEvals),
    String(r.steps),
    r.interpreter,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

/** main(options): run the demo; returns the rows, the printed table and the chart's path. */
export async function main(options: DemoOptions = {}): Promise<DemoResult> {
  const started = performance.now();
  const o = { ...DEMO_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEMO_DEFAULTS & DemoOptions;
  const stdout = o.stdout ?? process.stdout;
  const backend = await ready();
  const load = o.dataset === 'fashion' ? loadFashionMnist : loadMnist;
  const data: Splits = load({ trainSize: o.trainSize, testSize: o.testSize, seed: o.seed, labelNoise: o.labelNoise });
  const flips = flipped(data.train);
  const flippedSet = select(data.train, flips);
  const model = smallCnn({ classes: data.train.classes });
  const dataName = o.dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST';
  const hp = { ...DEFAULT_HYPERPARAMETERS, rwpSigma: o.sigma, samRho: o.rho, ...(o.lr === undefined ? {} : { lr: o.lr }) };
  stdout.write(
    `optimix demo: small CNN on ${dataName} (${data.train.n} train, ${flips.length} of their labels flipped to another class; ${data.test.n} test, clean), ${o.epochs} epoch${Number(o.epochs) === 1 ? '' : 's'}, batch ${o.batchSize}, ` +
      `SGD momentum ${hp.momentum}, lr ${hp.lr} cosine to 0, weight decay ${hp.weightDecay}; RWP σ ${hp.rwpSigma}, SAM ρ ${hp.samRho}; backend ${backend}, seed ${o.seed}\n`,
  );
  const onProgress = progressPrinter(o.progress ?? process.stderr);
  const results: Array<RunResult & { trainAccuracy: number; memorized: number }> = [];
  for (const method of o.methods) {
    const r = await runMethod({ method, model, train: data.train, test: data.test, epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, hp, parallel: o.sequential !== true, onProgress });
    try {
      const trainAccuracy = evaluate(model, r.params, data.train).accuracy;
      const memorized = flips.length === 0 ? Number.NaN : evaluate(model, r.params, flippedSet).accuracy;
      results.push({ ...r, trainAccuracy, memorized });
    } finally {
      disposeTree(r.params);
    }
  }
  const sgdTime = results.find((r) => r.method === 'sgd')?.seconds;
  const rows: DemoRow[] = results.map((r) => ({
    method: r.method,
    testAccuracy: r.testAccuracy,
    trainAccuracy: r.trainAccuracy,
    memorized: r.memorized,
    seconds: r.seconds,
    relativeTime: sgdTime === undefined ? Number.NaN : r.seconds / sgdTime,
    gradEvals: r.gradEvals,
    steps: r.steps,
    formula: r.formula,
    interpreter: r.interpreter,
  }));
  const table = formatTable(rows);
  stdout.write(`\n${table}\n\n`);
  for (const r of rows) stdout.write(`  ${LABEL[r.method].padEnd(7)} ${r.formula}\n`);
  if (flips.length > 0) stdout.write(`\nmemorized flips = training accuracy on the ${flips.length} flipped examples against their wrong labels (fitting noise)\n`);
  stdout.write(`\n${textChart(results.map((r) => ({ name: LABEL[r.method], ys: r.history.map((h) => 100 * h.testAccuracy) })), { yLabel: 'test accuracy (%) by epoch', xLabel: 'epoch' })}\n`);

  const outDir = resolve(o.out);
  mkdirSync(outDir, { recursive: true });
  const chartPath = join(outDir, `demo-${o.dataset}-accuracy-vs-time.svg`);
  const svg = lineChartSvg({
    title: `Small CNN on ${dataName}${flips.length > 0 ? ` (${Math.round(100 * o.labelNoise)} % label noise)` : ''}: test accuracy vs training time`,
    xLabel: 'training wall time (s)',
    yLabel: 'test accuracy (%)',
    series: results.map((r) => ({ name: LABEL[r.method], xs: [0, ...r.history.map((h) => h.seconds)], ys: [Number.NaN, ...r.history.map((h) => 100 * h.testAccuracy)] })),
  });
  writeFileSync(chartPath, svg);
  const totalSeconds = (performance.now() - started) / 1000;
  stdout.write(`\nchart: ${chartPath}\ntotal time ${totalSeconds.toFixed(0)} s (training, evaluation and data loading)\n`);
  return { rows, table, chartPath, totalSeconds };
}

const USAGE = `usage: npm start -- [options]
  --epochs N          epochs per method (default ${DEMO_DEFAULTS.epochs})
  --dataset NAME      mnist | fashion (default ${DEMO_DEFAULTS.dataset})
  --methods LIST      comma-separated, from sgd,sam,asam,rwp,m-rwp,arwp,m-arwp (default ${DEMO_DEFAULTS.methods.join(',')})
  --seed N            seed of the data split, initialization, batch order and noise (default ${DEMO_DEFAULTS.seed})
  --train-size N      training examples (default ${DEMO_DEFAULTS.trainSize})
  --test-size N       test examples (default ${DEMO_DEFAULTS.testSize})
  --batch N           batch size each gradient sees (default ${DEMO_DEFAULTS.batchSize})
  --lr X              peak learning rate (default ${DEFAULT_HYPERPARAMETERS.lr})
  --label-noise X     fraction of training labels flipped to another class, in [0, 1) (default ${DEMO_DEFAULTS.labelNoise})
  --sigma X           RWP's σ (default ${DEMO_DEFAULTS.sigma})
  --rho X             SAM's ρ (default ${DEMO_DEFAULTS.rho})
  --out DIR           output directory of the chart (default ${DEMO_DEFAULTS.out})
  --sequential        evaluate RWP's two gradients on one thread
`;

function noiseFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new RangeError(`--label-noise must be a number in [0, 1), got ${v}`);
  return n;
}

/** parseDemoArgs(argv): DemoOptions from command-line flags. */
export function parseDemoArgs(argv: readonly string[]): DemoOptions | 'help' {
  const f = flagsOf(argv, ['epochs', 'dataset', 'methods', 'seed', 'train-size', 'test-size', 'batch', 'lr', 'label-noise', 'sigma', 'rho', 'out'], ['sequential', 'help']);
  if (f.bools.has('help')) return 'help';
  const dataset = strFlag(f, 'dataset');
  if (dataset !== undefined && dataset !== 'mnist' && dataset !== 'fashion') throw new RangeError(`--dataset must be mnist or fashion, got ${dataset}`);
  const methods = strFlag(f, 'methods');
  return {
    epochs: intFlag(f, 'epochs', 1),
    ...(dataset === undefined ? {} : { dataset }),
    ...(methods === undefined ? {} : { methods: parseMethods(methods) }),
    seed: intFlag(f, 'seed', 0),
    trainSize: intFlag(f, 'train-size', 1),
    testSize: intFlag(f, 'test-size', 1),
    batchSize: intFlag(f, 'batch', 1),
    lr: numFlag(f, 'lr'),
    labelNoise: noiseFlag(strFlag(f, 'label-noise')),
    sigma: numFlag(f, 'sigma'),
    rho: numFlag(f, 'rho'),
    out: strFlag(f, 'out'),
    sequential: f.bools.has('sequential'),
  } as DemoOptions;
}

await runAsScript(import.meta.url, USAGE, parseDemoArgs, main);
