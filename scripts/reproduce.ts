// `npm run reproduce`: flat-minimum methods where flatness matters — Fashion-MNIST with symmetric label noise (20 %,
// 40 %) and a small clean training set — on an MLP and a small CNN: SGD / SAM / ASAM / RWP / m-RWP / ARWP / m-ARWP,
// σ and ρ chosen on a validation split, several seeds, Welch t against SGD and SAM, wall time and interleaved step
// cost, flatness of the final weights, plots. Writes docs/results.md (its generated section), docs/results.json and
// SVGs in docs/. A clean-label run at the old scale is kept as a side result.
//
// Resumable: every run is cached (record + final weights) under .cache/reproduce/runs/<hash of all that determines
// it, the noise generator included>/; a stopped run continues with the first missing result. `--quick` is a smoke
// configuration (writes to out/reproduce-quick/ unless --docs is given).
//
//   npm run reproduce -- [--quick] [--settings noise40,small] [--models mlp,cnn] [--methods sgd,sam,rwp] [--seeds 0,1,2]
//                        [--epochs N] [--set lr=0.05,...] [--no-sweep] [--lock /work/bench.lock]
//                        [--docs docs] [--report results.md] [--cache .cache/reproduce] [--fresh]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/index.js';
import { loadFashionMnist, loadMnist, type Splits } from '../src/data/index.js';
import { mlp, smallCnn, type ZooModel } from '../src/models/index.js';
import { flagsOf, intFlag, strFlag } from '../demo/flags.js';
import { progressPrinter, type ProgressStream } from '../demo/progress.js';
import { DEFAULT_HYPERPARAMETERS, LABEL, METHODS, parseMethods, stepTimings, type Hyperparameters, type Method, type StepTiming } from '../demo/run.js';
import { runAsScript } from '../demo/runAsScript.js';
import { FULL, MODEL_NAMES, QUICK, methodsOf, type ModelName, type ReproduceConfig, type SettingConfig } from './reproduce/config.js';
import { writeCharts } from './reproduce/charts.js';
import { withLock } from './reproduce/lock.js';
import { generatedSection, MODEL_TITLE, resultsJson, settingTitle, writeReport } from './reproduce/report.js';
import { flatnessOf, trainRun, type FlatnessRecord, type RunContext, type RunRecord } from './reproduce/runs.js';
import { pairKey, type Group, type Results, type SweepPoint } from './reproduce/summary.js';
import { mean } from './reproduce/stats.js';

export type { ModelName, ReproduceConfig, SettingConfig } from './reproduce/config.js';
export { FULL, QUICK } from './reproduce/config.js';

/** Identifies the generator behind every random noise sample: part of every cache key, printed in the report. */
/** The methods of the claim, run first in every setting (phase 1) so that they are measured even if time runs out. */
const CORE: readonly Method[] = ['sgd', 'sam', 'rwp'];

export const NOISE_GENERATOR = 'Philox-4×32-10 + float32 Box–Muller, counter-based (src/normal.ts)';

export interface ReproduceOptions {
  readonly quick?: boolean;
  /** Setting ids to run (default all of the configuration's). */
  readonly settings?: readonly string[];
  readonly models?: readonly ModelName[];
  /** Methods for every model (default the configuration's). */
  readonly methods?: readonly Method[];
  readonly seeds?: readonly number[];
  /** Override every setting's epochs. */
  readonly epochs?: number;
  /** Base hyperparameter overrides, e.g. { lr: 0.1 }. */
  readonly hp?: Partial<Hyperparameters>;
  /** Skip the validation sweep (use the base σ and ρ everywhere). */
  readonly noSweep?: boolean;
  /** Measure the interleaved step timing again even when it is cached (also with cachedOnly). */
  readonly retime?: boolean;
  /** Skip the interleaved step timing (side experiments). */
  readonly noTiming?: boolean;
  /** Train nothing: report only what is in the cache (missing runs are left out and counted). */
  readonly cachedOnly?: boolean;
  /** A file to `flock` around every timed piece of work (a training run, the step timing). */
  readonly lock?: string;
  /** Seconds a training run waits for the lock before it runs without it (default 10; recorded per run). */
  readonly lockWait?: number;
  /** Seconds the step timing waits for the lock before it is measured without it (default 120; recorded). */
  readonly timingLockWait?: number;
  readonly docsDir?: string;
  readonly report?: string;
  readonly cacheDir?: string;
  readonly fresh?: boolean;
  readonly command?: string;
  readonly log?: { write(s: string): unknown };
  readonly progress?: ProgressStream;
}

export interface ReproduceResult {
  readonly reportPath: string;
  readonly jsonPath: string;
  readonly svgs: readonly string[];
  readonly records: readonly RunRecord[];
  readonly results: Results;
  readonly ran: number;
  readonly cached: number;
  readonly seconds: number;
}

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** resolveConfig(options): the configuration a call runs. */
export function resolveConfig(o: ReproduceOptions): ReproduceConfig {
  const base = o.quick === true ? QUICK : FULL;
  let settings = base.settings;
  if (o.settings !== undefined) {
    const unknown = o.settings.filter((id) => !settings.some((s) => s.id === id));
    if (unknown.length > 0) throw new RangeError(`--settings: unknown setting(s) ${unknown.join(', ')}; choose from ${settings.map((s) => s.id).join(', ')}`);
    settings = settings.filter((s) => o.settings?.includes(s.id));
  }
  if (o.epochs !== undefined) settings = settings.map((s) => ({ ...s, epochs: { mlp: o.epochs as number, cnn: o.epochs as number } }));
  if (o.noSweep === true) settings = settings.map((s) => ({ ...s, sweep: false }));
  const methods = o.methods === undefined ? base.methods : { mlp: o.methods, cnn: o.methods };
  if (o.methods !== undefined) settings = settings.map((s) => (s.methods === undefined ? s : { ...s, methods: Object.fromEntries(Object.entries(s.methods).map(([k, v]) => [k, (v ?? []).filter((m) => o.methods?.includes(m))])) }));
  return {
    ...base,
    settings,
    methods,
    ...(o.models === undefined ? {} : { models: o.models }),
    ...(o.seeds === undefined ? {} : { seeds: o.seeds }),
    hp: { ...base.hp, ...(o.hp ?? {}) },
  };
}

function modelOf(name: ModelName, cfg: ReproduceConfig, classes: number): ZooModel {
  return name === 'mlp' ? mlp({ hidden: [...cfg.mlpHidden], classes }) : smallCnn({ channels: [...cfg.cnnChannels], classes });
}

function machine(backend: string): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${osType()} ${release()}, Node ${process.version}, tfjs-core ${tf.version_core}, backend ${backend}`;
}

/** The grid points of the sweep for a (setting, model): which method, which hyperparameter, which values. */
function sweepGrid(cfg: ReproduceConfig, methods: readonly Method[]): Array<{ method: 'rwp' | 'sam' | 'asam'; param: 'σ' | 'ρ'; values: readonly number[]; apply: (hp: Hyperparameters, v: number) => Hyperparameters }> {
  const grid = [
    { method: 'rwp' as const, param: 'σ' as const, values: cfg.sweep.rwpSigma, apply: (hp: Hyperparameters, v: number) => ({ ...hp, rwpSigma: v }), chosen: (hp: Hyperparameters, v: number) => ({ ...hp, rwpSigma: v, mrwpSigma: v, marwpSigma: v }) },
    { method: 'sam' as const, param: 'ρ' as const, values: cfg.sweep.samRho, apply: (hp: Hyperparameters, v: number) => ({ ...hp, samRho: v }), chosen: (hp: Hyperparameters, v: number) => ({ ...hp, samRho: v }) },
    { method: 'asam' as const, param: 'ρ' as const, values: cfg.sweep.asamRho, apply: (hp: Hyperparameters, v: number) => ({ ...hp, asamRho: v }), chosen: (hp: Hyperparameters, v: number) => ({ ...hp, asamRho: v }) },
  ];
  const sweepsFor = (m: 'rwp' | 'sam' | 'asam'): boolean => methods.includes(m) || (m === 'rwp' && (methods.includes('m-rwp') || methods.includes('m-arwp')));
  return grid.filter((g) => sweepsFor(g.method)).map((g) => ({ method: g.method, param: g.param, values: g.values, apply: g.chosen }));
}

/** main(options): run (or resume) the reproduction; write the report, the JSON and the plots. */
export async function main(options: ReproduceOptions = {}): Promise<ReproduceResult> {
  const started = performance.now();
  const startLoad = loadavg();
  const cfg = resolveConfig(options);
  const log = options.log ?? process.stdout;
  const docsDir = resolve(options.docsDir ?? (options.quick === true ? join(REPO, 'out', 'reproduce-quick') : join(REPO, 'docs')));
  const cacheDir = resolve(options.cacheDir ?? join(REPO, '.cache', 'reproduce'));
  const command = options.command ?? `npm run reproduce${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const backend = await ready();
  const ctx: RunContext = { cfg, cacheDir, generator: NOISE_GENERATOR, fresh: options.fresh === true, lock: options.lock, lockWait: options.lockWait ?? 10, log, onProgress: progressPrinter(options.progress ?? process.stderr) };
  const load = cfg.dataset === 'fashion' ? loadFashionMnist : loadMnist;

  const total = cfg.settings.reduce((a, s) => a + cfg.models.reduce((b, m) => b + methodsOf(cfg, s, m).length * cfg.seeds.length, 0), 0);
  log.write(`reproduce: ${cfg.settings.map((s) => s.id).join(', ')} × ${cfg.models.join(', ')}: ${total} main runs (+ sweep), seeds ${cfg.seeds.join(',')}; cache ${relative(process.cwd(), cacheDir) || '.'}\n`);

  // Step cost first (interleaved, base σ and ρ: the cost of a step does not depend on their values), so that it is
  // measured even if the training runs are cut short.
  const timings: Partial<Record<ModelName, StepTiming[]>> = {};
  const first = cfg.settings[0];
  if (first !== undefined && options.noTiming !== true) {
    const tData = load({ trainSize: first.trainSize, testSize: Math.min(cfg.testSize, 100), seed: cfg.dataSeed, labelNoise: first.labelNoise });
    for (const name of cfg.models) {
      const methods = [...new Set(cfg.settings.flatMap((s) => [...methodsOf(cfg, s, name)]))].sort((a, b) => METHODS.indexOf(a) - METHODS.indexOf(b));
      if (methods.length === 0) continue;
      const model = modelOf(name, cfg, tData.train.classes);
      const tkey = createHash('sha256').update(JSON.stringify({ v: 2, generator: NOISE_GENERATOR, spec: model.spec, methods, batch: cfg.batchSize, hp: cfg.hp, timing: cfg.timing, data: { trainSize: first.trainSize, labelNoise: first.labelNoise } })).digest('hex').slice(0, 12);
      const file = join(cacheDir, 'timing', `${name}-${tkey}.json`);
      if (!ctx.fresh && options.retime !== true && existsSync(file)) {
        timings[name] = JSON.parse(readFileSync(file, 'utf8')) as StepTiming[];
        log.write(`step timing ${name}: cached\n`);
        continue;
      }
      if (options.cachedOnly === true && options.retime !== true) continue;
      log.write(`step timing ${name}: ${cfg.timing.rounds} rounds × ${methods.length} methods × ${cfg.timing.steps} steps …\n`);
      const { value: t0, held } = await withLock(options.lock, () => stepTimings({ model, train: tData.train, methods, batchSize: cfg.batchSize, rounds: cfg.timing.rounds, steps: cfg.timing.steps, hp: cfg.hp }), { timeoutSeconds: options.timingLockWait ?? 120, orWithout: true });
      const t = t0.map((x) => ({ ...x, lockHeld: held, loadavg: loadavg() }));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(t));
      timings[name] = t;
      log.write(`  (${options.lock === undefined ? 'no lock' : held ? 'under the lock' : 'lock busy: measured without it'}, load ${loadavg()[0]?.toFixed(2)})\n`);
      for (const x of t) log.write(`  ${x.name.padEnd(22)} ${x.median.toFixed(4)} s/step\n`);
    }
  }

  const records: RunRecord[] = [];
  const groups: Group[] = [];
  const sweep: SweepPoint[] = [];
  const chosen: Record<string, Hyperparameters> = {};
  let ran = 0;
  let cached = 0;
  let missing = 0;
  const count = (c: boolean): void => void (c ? cached++ : ran++);
  const dataOf = new Map<string, Splits>();
  const splits = (s: SettingConfig): Splits => {
    let d = dataOf.get(s.id);
    if (d === undefined) {
      d = load({ trainSize: s.trainSize, testSize: cfg.testSize, validationSize: cfg.validationSize, seed: cfg.dataSeed, labelNoise: s.labelNoise });
      dataOf.set(s.id, d);
    }
    return d;
  };
  const run = async (s: SettingConfig, name: ModelName, model: ZooModel, m: Method, hp: Hyperparameters, seed: number, tag: string) => {
    const r = await trainRun(ctx, s, splits(s), model, name, m, hp, seed, tag, options.cachedOnly === true);
    if (r === undefined) missing++;
    else count(r.cached);
    return r;
  };
  // Phase 1: SGD, SAM and RWP (the claim) in every main setting and model; phase 2: the other methods; phase 3: the
  // side settings.
  const rest = METHODS.filter((m) => !CORE.includes(m));
  const phases: ReadonlyArray<{ methods: readonly Method[]; role: 'main' | 'side' }> = [{ methods: CORE, role: 'main' }, { methods: rest, role: 'main' }, { methods: METHODS, role: 'side' }];
  for (const { methods: phase, role } of phases) {
    for (const s of cfg.settings.filter((x) => x.role === role)) {
      for (const name of cfg.models) {
        const methods = methodsOf(cfg, s, name).filter((m) => phase.includes(m));
        if (methods.length === 0) continue;
        const model = modelOf(name, cfg, splits(s).train.classes);
        const key = pairKey(s.id, name);
        for (const m of methods) {
          // The sweep of the hyperparameter this method uses, the first time it is needed in this (setting, model).
          const swept = s.sweep && (s.sweepModels ?? cfg.models).includes(name);
          const g = swept ? sweepGrid(cfg, [m]).find((x) => !sweep.some((p) => p.setting === s.id && p.model === name && p.method === x.method)) : undefined;
          if (g !== undefined) {
            let best: { v: number; acc: number } | undefined;
            const pts: SweepPoint[] = [];
            for (const v of g.values) {
              const r = await run(s, name, model, g.method, g.apply(cfg.hp, v), cfg.sweep.seed, `[sweep ${s.id} ${name}] ${LABEL[g.method]} ${g.param} = ${v}`);
              if (r === undefined) continue;
              pts.push({ setting: s.id, model: name, method: g.method, param: g.param, value: v, validationAccuracy: r.record.validationAccuracy, chosen: false });
              if (best === undefined || r.record.validationAccuracy > best.acc) best = { v, acc: r.record.validationAccuracy };
            }
            if (best !== undefined) chosen[key] = g.apply(chosen[key] ?? cfg.hp, best.v);
            sweep.push(...pts.map((p) => ({ ...p, chosen: p.value === best?.v })));
          }
          const from = swept ? undefined : s.hpFrom !== undefined ? pairKey(s.hpFrom, name) : s.sweep && s.hpFromModel !== undefined ? pairKey(s.id, s.hpFromModel) : undefined;
          const hp = chosen[key] ?? (from === undefined ? undefined : chosen[from]) ?? cfg.hp;
          chosen[key] = hp;
          const runs: RunRecord[] = [];
          const flat: FlatnessRecord[] = [];
          for (const seed of cfg.seeds) {
            const r = await run(s, name, model, m, hp, seed, `[${s.id} ${name}] ${LABEL[m]} seed ${seed}`);
            if (r === undefined) continue;
            const f = await flatnessOf(ctx, r.stem, model, splits(s).train, seed === Math.min(...cfg.seeds), options.cachedOnly === true);
            if (f === undefined) continue;
            runs.push(r.record);
            flat.push(f);
          }
          records.push(...runs);
          if (runs.length > 0) groups.push({ setting: s, model: name, method: m, runs, flatness: flat });
        }
      }
    }
  }
  // Groups in the configuration's order (setting, model, method), whatever the phase that ran them.
  const order = (g: Group): number[] => [cfg.settings.indexOf(g.setting), cfg.models.indexOf(g.model), METHODS.indexOf(g.method)];
  groups.sort((x, y) => {
    const a = order(x);
    const b = order(y);
    return (a[0]! - b[0]!) || (a[1]! - b[1]!) || (a[2]! - b[2]!);
  });
  if (missing > 0) log.write(`${missing} run(s) not in the cache were skipped (--cached-only)\n`);

  const results: Results = { groups, sweep, chosen, timings };
  mkdirSync(docsDir, { recursive: true });
  const reportName = options.report ?? 'results.md';
  const prefix = reportName.replace(/\.md$/, '');
  const svgs: Record<string, string[]> = {};
  for (const s of cfg.settings) {
    for (const name of cfg.models) {
      const mine = groups.filter((g) => g.setting.id === s.id && g.model === name);
      svgs[pairKey(s.id, name)] = writeCharts(mine, docsDir, `${prefix}-${s.id}-${name}`, `${MODEL_TITLE[name]}, ${settingTitle(s, cfg)}, ${s.epochs[name]} epochs`);
    }
  }
  const loads = records.map((r) => r.loadavg[0] ?? Number.NaN).filter(Number.isFinite);
  const ctxReport = {
    command,
    machine: machine(backend),
    generator: NOISE_GENERATOR,
    docsDir,
    svgs,
    startLoad,
    endLoad: loadavg(),
    minutes: (performance.now() - started) / 60000,
    ran,
    cached,
    loadDuringRuns: { mean: loads.length > 0 ? mean(loads) : Number.NaN, max: loads.length > 0 ? Math.max(...loads) : Number.NaN },
    trainMinutes: records.reduce((a, r) => a + r.seconds, 0) / 60,
    lockHeld: { runs: records.filter((r) => r.lockHeld === true).length, of: records.length, lock: options.lock },
  };
  const reportPath = join(docsDir, reportName);
  writeReport(reportPath, generatedSection(results, cfg, ctxReport));
  const jsonPath = join(docsDir, `${prefix}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(resultsJson(results, cfg, ctxReport), null, 1)}\n`);
  const allSvgs = Object.values(svgs).flat();
  log.write(`\nreport: ${reportPath}\njson: ${jsonPath}\n${allSvgs.length} plots in ${docsDir}\n${ran} trained, ${cached} cached, ${ctxReport.minutes.toFixed(1)} min\n`);
  return { reportPath, jsonPath, svgs: allSvgs, records, results, ran, cached, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------------
// Command line

const USAGE = `usage: npm run reproduce -- [options]
  --quick               smoke configuration (writes to out/reproduce-quick/ unless --docs is given)
  --settings LIST       setting ids (default ${FULL.settings.map((s) => s.id).join(',')})
  --models LIST         ${MODEL_NAMES.join(',')} (default ${FULL.models.join(',')})
  --methods LIST        methods for every model (default all: ${METHODS.join(',')})
  --seeds LIST          e.g. 0,1,2 (default ${FULL.seeds.join(',')})
  --epochs N            override every setting's SGD-equivalent epochs
  --set K=V,...         base hyperparameter overrides, keys: ${Object.keys(DEFAULT_HYPERPARAMETERS).join(', ')}
  --no-sweep            no validation sweep: the base σ and ρ everywhere
  --no-timing           skip the interleaved step timing
  --retime              measure the step timing again (also with --cached-only)
  --cached-only         train nothing; report what is cached (missing runs are left out)
  --lock FILE           flock FILE around every training run and the step timing (e.g. /work/bench.lock); a run
                        waits at most 10 s for it, the step timing 120 s, then runs without it (recorded)
  --docs DIR            where the report, JSON and plots go (default docs)
  --report FILE         report file name inside --docs (default results.md; the JSON takes its stem)
  --cache DIR           cache directory (default .cache/reproduce)
  --fresh               ignore cached results
`;

/** parseReproduceArgs(argv): ReproduceOptions from command-line flags. */
export function parseReproduceArgs(argv: readonly string[]): ReproduceOptions | 'help' {
  const f = flagsOf(argv, ['settings', 'models', 'methods', 'seeds', 'epochs', 'set', 'lock', 'docs', 'report', 'cache'], ['quick', 'fresh', 'no-sweep', 'no-timing', 'retime', 'cached-only', 'help']);
  if (f.bools.has('help')) return 'help';
  const list = (name: string): string[] | undefined => strFlag(f, name)?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const models = list('models');
  if (models !== undefined && models.some((m) => !(MODEL_NAMES as readonly string[]).includes(m))) throw new RangeError(`--models: choose from ${MODEL_NAMES.join(', ')}; got ${models.join(',')}`);
  const seeds = list('seeds')?.map((s) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new RangeError(`--seeds: not an integer: ${s}`);
    return n;
  });
  const hp: Record<string, number> = {};
  for (const kv of list('set') ?? []) {
    const [k, v] = kv.split('=');
    if (k === undefined || !(k in DEFAULT_HYPERPARAMETERS)) throw new RangeError(`--set: unknown hyperparameter '${k ?? ''}'; keys: ${Object.keys(DEFAULT_HYPERPARAMETERS).join(', ')}`);
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new RangeError(`--set ${k}: not a number: ${v ?? ''}`);
    hp[k] = n;
  }
  const methods = strFlag(f, 'methods');
  const o: Record<string, unknown> = {
    quick: f.bools.has('quick'),
    fresh: f.bools.has('fresh'),
    noSweep: f.bools.has('no-sweep'),
    cachedOnly: f.bools.has('cached-only'),
    noTiming: f.bools.has('no-timing'),
    retime: f.bools.has('retime'),
    settings: list('settings'),
    models: models as ModelName[] | undefined,
    methods: methods === undefined ? undefined : parseMethods(methods),
    seeds,
    epochs: intFlag(f, 'epochs', 1),
    hp: Object.keys(hp).length > 0 ? hp : undefined,
    lock: strFlag(f, 'lock'),
    docsDir: strFlag(f, 'docs'),
    report: strFlag(f, 'report'),
    cacheDir: strFlag(f, 'cache'),
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ReproduceOptions;
}

await runAsScript(import.meta.url, USAGE, parseReproduceArgs, main, { stack: true });
