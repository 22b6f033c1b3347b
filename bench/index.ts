// optimix benchmark: wall time per optimizer step of SGD, SAM, RWP (sequential and parallel) and tfjs's own
// tf.train optimizers on the model zoo; wasm vs cpu for the small CNN; memory over many RWP-parallel steps.
//
//   npm run bench                         # everything (≈ 3–5 min on 2 cores)
//   npm run bench -- --quick              # fewer steps, mlp + smallCnn, one cpu rep, 100 memory steps
//   npm run bench -- --models smallCnn --steps 40 --out docs/bench.md
//   npm run bench -- --memory             # only the memory check (2000 RWP-parallel steps on the small CNN)
//
// Flags: --steps N (timing rounds, default 8) --block N (consecutive steps of a method per round, default 10)
//        --warmup N (default 3) --batch N (default 64)
//        --methods tf-sgd,tf-momentum,sgd,sgd-momentum,sam,rwp,rwp-parallel,sampa-parallel,grad,pair (default all; sgd-momentum, the reference, always)
//        --quiet (discard and repeat timing rounds during which other processes used ≥ --quiet-threshold cores, default 0.25)
//        --lr X (learning rate of every method; default 0.1, 0.01 for resnetSmall, which diverges at 0.1 on one batch)
//        --models a,b (mlp,smallCnn,resnetSmall) --cpu-reps N (default 3; 0 skips) --memory-steps N (default 2000)
//        --sections startup,noise,kernels,steps,cpu,parallel,memory --out FILE (also write the report as markdown) --quick --memory
import * as tf from '@tensorflow/tfjs-core';
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { ready } from '../src/backend.js';
import { registerWasmGradientKernels, wasmKernelSettings } from '../src/kernels/index.js';
import { cleanGrad, key, optimizer, rwp, sam, sampa, sgd, step as optimixStep, type Optimizer, type OptimizerState } from '../src/index.js';
import { parallel, type ParallelInterpreter } from '../src/interpret/parallel.js';
import { valueAndGrad } from '../src/interpret/valueAndGrad.js';
import { flops, modelFromSpec, type ModelKind, type ModelSpec, type ZooModel } from '../src/models/index.js';
import type { Batch } from '../src/model.js';
import { disposeReplaced, disposeTree, type Tree } from '../src/tree.js';
import { gradientRunner, randomBatch } from './gradientRunner.js';
import { noiseTimes } from './noise.js';
import { parallelPath } from './parallelPath.js';
import { startupTimes } from './startup.js';
import { fmt, load, machine, summarize, table, time, waitQuiet, withOtherLoad, type Sample, type Summary } from './stats.js';

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string' },
    block: { type: 'string' },
    lr: { type: 'string' },
    warmup: { type: 'string' },
    batch: { type: 'string' },
    models: { type: 'string' },
    'cpu-reps': { type: 'string' },
    'memory-steps': { type: 'string' },
    sections: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    methods: { type: 'string' },
    'quiet-threshold': { type: 'string' },
    memory: { type: 'boolean', default: false },
  },
});
const quick = flags.quick === true;
const int = (s: string | undefined, d: number): number => (s === undefined ? d : Math.max(0, Math.floor(Number(s))));
const STEPS = Math.max(1, int(flags.steps, quick ? 4 : 8));
/** The parallel interpreter's `spin` (its default). */
const SPIN_MS = 20;
const BLOCK = Math.max(1, int(flags.block, quick ? 3 : 10));
const WARMUP = int(flags.warmup, quick ? 2 : 3);
const BATCH = Math.max(1, int(flags.batch, 64));
const CPU_REPS = int(flags['cpu-reps'], quick ? 1 : 3);
const QUIET = flags.quiet === true;
const METHODS = flags.methods === undefined ? undefined : new Set(flags.methods.split(',').map((x) => x.trim()));
const QUIET_THRESHOLD = flags['quiet-threshold'] === undefined ? 0.25 : Number(flags['quiet-threshold']);
const LR = flags.lr === undefined ? undefined : Number(flags.lr);
const MEMORY_STEPS = Math.max(2, int(flags['memory-steps'], quick ? 100 : 2000));
const MODELS = (flags.models ?? (quick ? 'mlp,smallCnn' : 'mlp,smallCnn,resnetSmall')).split(',').map((s) => s.trim()) as ModelKind[];
const SECTIONS = new Set((flags.sections ?? (flags.memory === true ? 'memory' : 'startup,noise,kernels,steps,cpu,parallel,memory')).split(',').map((s) => s.trim()));

const out: string[] = [];
const say = (s = ''): void => {
  console.log(s);
  out.push(s);
};


/** A method under test: one step per call (its own parameters and state), returning the loss it read back. */
interface Method {
  /** Short id for --methods. */
  readonly id: string;
  readonly name: string;
  /** Forward+backward passes per step. */
  readonly gradEvals: number;
  readonly step: () => Promise<number> | number;
  /** Untimed, after a block: let background work end (a parallel interpreter's worker polls for `spin` ms after its last reply). */
  readonly settle?: () => Promise<void>;
  readonly dispose: () => Promise<void> | void;
}

let variableCount = 0;

/** tfjs's own optimizer on tf.variables: minimize(loss) with the cost returned and read back (as optimix reads its loss). */
function tfTrain(id: string, name: string, model: ZooModel, init: Tree, batch: Batch, make: () => tf.Optimizer): Method {
  const vars: Record<string, tf.Variable> = {};
  for (const [n, t] of Object.entries(init)) vars[n] = tf.variable(t, true, `bench${variableCount++}/${n}`);
  const list = Object.values(vars);
  const opt = make();
  return {
    id,
    name,
    gradEvals: 1,
    step: () => {
      const cost = opt.minimize(() => model.loss(vars, batch), true, list) as tf.Scalar;
      const v = cost.dataSync()[0] as number;
      cost.dispose();
      return v;
    },
    dispose: () => {
      opt.dispose();
      tf.dispose(list);
    },
  };
}

/** An optimix optimizer stepped with `step` (sequential) or a parallel interpreter's `.step`. */
function optimix(id: string, name: string, opt: Optimizer, gradEvals: number, model: ZooModel, init: Tree, batch: Batch, interp?: ParallelInterpreter): Method {
  let params: Tree = init;
  let state: OptimizerState = opt.init(init, key(1));
  const own = (r: { params: Tree; state: OptimizerState; value: number }): number => {
    if (params !== init) disposeReplaced(params, [r.params, r.state]);
    disposeReplaced(state, [r.state, r.params]);
    params = r.params;
    state = r.state;
    return r.value;
  };
  return {
    id,
    name,
    gradEvals,
    step: interp === undefined ? () => own(optimixStep(opt, model.loss, params, batch, state)) : async () => own(await interp.step(opt, model.loss, params, batch, state)),
    ...(interp === undefined ? {} : { settle: () => new Promise<void>((resolve) => setTimeout(resolve, SPIN_MS + 5)) }),
    dispose: async () => {
      if (params !== init) disposeTree(params);
      disposeTree(state);
      await interp?.close();
    },
  };
}

/** Forward+backward only (the gradient evaluation every method repeats), for throughput. */
function gradOnly(model: ZooModel, params: Tree, batch: Batch): Method {
  return {
    id: 'grad',
    name: 'forward+backward only',
    gradEvals: 1,
    step: () => tf.tidy(() => valueAndGrad(model.loss, params, batch).value.dataSync()[0] as number),
    dispose: () => undefined,
  };
}

const specOf = (kind: ModelKind): ModelSpec => modelFromSpec({ kind, options: {} } as ModelSpec).spec;

interface Row { readonly method: Method; readonly summary: Summary; readonly lastLoss: number }

/** How clean the timings were: rounds kept and discarded, and the cores other processes used during the kept ones. */
interface Cleanliness { kept: number; discarded: number; otherLoads: number[] }

const describeCleanliness = (c: Cleanliness): string => {
  const mean = c.otherLoads.reduce((a, b) => a + b, 0) / Math.max(1, c.otherLoads.length);
  return `other processes used ${fmt(mean, 2)} cores on average (max ${fmt(Math.max(...c.otherLoads), 2)}) during the ${c.kept} rounds kept` +
    (QUIET ? `; ${c.discarded} rounds discarded and repeated because other processes used ≥ ${QUIET_THRESHOLD} core` : '');
};

/**
 * rounds(n, round): run `round` n times, measuring other processes' load around each; with --quiet, a round during
 * which they used ≥ QUIET_THRESHOLD cores is discarded (its samples dropped by the caller) and repeated after
 * waiting for a quiet machine (at most 4n attempts in all).
 */
async function rounds(n: number, round: (r: number) => Promise<() => void>): Promise<Cleanliness> {
  const c: Cleanliness = { kept: 0, discarded: 0, otherLoads: [] };
  for (let r = 0, attempts = 0; c.kept < n && attempts < 4 * n; attempts++, r++) {
    const { value: commit, other } = await withOtherLoad(() => round(r));
    if (QUIET && other >= QUIET_THRESHOLD && attempts < 4 * n - (n - c.kept)) {
      c.discarded++;
      await waitQuiet(60, QUIET_THRESHOLD);
      continue;
    }
    commit();
    c.kept++;
    c.otherLoads.push(other);
  }
  return c;
}

/**
 * Times every method on one model, interleaved: round r runs BLOCK consecutive steps of each method (rotating the
 * order), as a training loop runs them; a sample is the block's time over BLOCK.
 */
async function benchModel(kind: ModelKind): Promise<{ rows: Row[]; spec: ModelSpec; clean: Cleanliness }> {
  const spec = specOf(kind);
  const model = modelFromSpec(spec);
  const init = model.init(key(0));
  const batch = randomBatch(BATCH, 7);
  const lr = LR ?? (kind === 'resnetSmall' ? 0.01 : 0.1);
  const sgdMomentum = () => sgd(lr, { momentum: 0.9 });
  const all: Array<readonly [string, () => Method]> = [
    ['tf-sgd', () => tfTrain('tf-sgd', `tf.train.sgd(${lr})`, model, init, batch, () => tf.train.sgd(lr))],
    ['tf-momentum', () => tfTrain('tf-momentum', `tf.train.momentum(${lr}, 0.9)`, model, init, batch, () => tf.train.momentum(lr, 0.9))],
    ['sgd', () => optimix('sgd', `optimix sgd(${lr})`, optimizer(cleanGrad, sgd(lr)), 1, model, init, batch)],
    ['sgd-momentum', () => optimix('sgd-momentum', `optimix SGD: sgd(${lr}, momentum 0.9)`, optimizer(cleanGrad, sgdMomentum()), 1, model, init, batch)],
    ['sam', () => optimix('sam', 'SAM: sam()', optimizer(sam(), sgdMomentum()), 2, model, init, batch)],
    ['rwp', () => optimix('rwp', 'RWP sequential: rwp()', optimizer(rwp(), sgdMomentum()), 2, model, init, batch)],
    ['rwp-parallel', () => optimix('rwp-parallel', 'RWP parallel: rwp(), 1 worker', optimizer(rwp(), sgdMomentum()), 2, model, init, batch,
      parallel({ workers: 1, spin: SPIN_MS, model }))],
    ['sampa-parallel', () => optimix('sampa-parallel', `SAMPa parallel: sampa({ lr: ${lr} }), 1 worker`, optimizer(sampa({ lr }), sgdMomentum()), 2, model, init, batch,
      parallel({ workers: 1, spin: SPIN_MS, model }))],
    ['grad', () => gradOnly(model, init, batch)],
  ];
  const wanted = (id: string): boolean => METHODS === undefined || METHODS.has(id) || id === 'sgd-momentum';
  const methods = all.filter(([id]) => wanted(id)).map(([, make]) => make());
  if (wanted('pair')) methods.push(await pairMethod(kind));
  for (const m of methods) for (let i = 0; i < WARMUP; i++) await m.step();
  const samples: Sample[][] = methods.map(() => []);
  const lastLoss: number[] = methods.map(() => NaN);
  if (QUIET) await waitQuiet(120, QUIET_THRESHOLD);
  const clean = await rounds(STEPS, async (r) => {
    const got: Sample[] = [];
    for (let j = 0; j < methods.length; j++) {
      const i = (j + r) % methods.length;
      const t = await time(async () => {
        for (let b = 0; b < BLOCK; b++) lastLoss[i] = await methods[i]!.step();
      });
      got[i] = { wallMs: t.wallMs / BLOCK, cpuMs: t.cpuMs / BLOCK };
      await methods[i]!.settle?.();
    }
    return () => got.forEach((g, i) => samples[i]!.push(g));
  });
  for (const m of methods) await m.dispose();
  disposeTree([init, batch]);
  return { rows: methods.map((method, i) => ({ method, summary: summarize(samples[i]!), lastLoss: lastLoss[i]! })), spec, clean };
}

/** The table of one model: step time, ratios to optimix SGD (momentum), throughput. */
function report(kind: ModelKind, rows: Row[], spec: ModelSpec, clean: Cleanliness): Map<string, number> {
  const f = flops(spec, BATCH);
  const ref = rows.find((r) => r.method.name.startsWith('optimix SGD'))!.summary.wallMs;
  const refCpu = rows.find((r) => r.method.name.startsWith('optimix SGD'))!.summary.cpuMs;
  say(`### ${kind} — batch ${BATCH}, ${(f.forwardPerExample / 1e6).toFixed(3)} MFLOP forward per example, ${(f.forwardBackward / 1e9).toFixed(3)} GFLOP per forward+backward`);
  say();
  say(table(
    ['method', 'step ms (median)', 'IQR ms', 'CPU ms/step', '÷ optimix SGD (wall)', '÷ optimix SGD (CPU)', 'grad evals', 'samples/s', 'GFLOP/s', 'last loss'],
    rows.map(({ method, summary: s, lastLoss }) => {
      const perSec = 1000 / s.wallMs;
      return [method.name, fmt(s.wallMs), `${fmt(s.wallP25)}–${fmt(s.wallP75)}`, fmt(s.cpuMs), fmt(s.wallMs / ref, 2), fmt(s.cpuMs / refCpu, 2), String(method.gradEvals),
        fmt(method.gradEvals * BATCH * perSec, 0), fmt((method.gradEvals * f.forwardBackward * perSec) / 1e9, 2), fmt(lastLoss, 3)];
    }),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  ));
  say();
  say(`Load: ${describeCleanliness(clean)}.`);
  say();
  const by = new Map(rows.map((r) => [r.method.name.split(':')[0]!.split('(')[0]!.trim(), r.summary.wallMs]));
  return by;
}

/** Forward+backward of one model on one backend, `reps` timed runs after `warm` (the backend is switched). */
async function fwdBwd(backend: 'wasm' | 'cpu', kind: ModelKind, warm: number, reps: number): Promise<Summary> {
  await ready({ backend });
  const model = modelFromSpec(specOf(kind));
  const params = model.init(key(0));
  const batch = randomBatch(BATCH, 7);
  const run = () => tf.tidy(() => {
    const { value, grads } = valueAndGrad(model.loss, params, batch);
    for (const g of Object.values(grads)) g.dataSync();
    return value.dataSync()[0];
  });
  for (let i = 0; i < warm; i++) run();
  const samples: Sample[] = [];
  for (let i = 0; i < reps; i++) samples.push(await time(run));
  disposeTree([params, batch]);
  return summarize(samples);
}

/**
 * Two bare forward+backward passes at once — one on this thread, one in a bare worker (bench/scalingWorker.ts), no
 * optimix machinery — timed in the same rounds as the optimizers: what this machine gives two threads at that
 * moment, a floor for RWP parallel (which runs two such passes at once, plus the noise, messages and combination).
 */
async function pairMethod(kind: ModelKind): Promise<Method> {
  const url = new URL('./scalingWorker.ts', import.meta.url).href;
  const worker = new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(url)});`, { eval: true, workerData: { kind, batch: BATCH } });
  const next = (): Promise<unknown> => new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await next();
  const runner = gradientRunner(kind, BATCH);
  return {
    id: 'pair',
    name: 'two bare passes at once (main + worker)',
    gradEvals: 2,
    step: async () => {
      const done = next();
      worker.postMessage(1);
      runner.run(1);
      await done;
      return NaN;
    },
    dispose: async () => {
      runner.dispose();
      await worker.terminate();
    },
  };
}

/**
 * The replaced wasm kernels, ours vs wasm's own, on the small CNN's (and the ResNet's stride-2) shapes at batch 64,
 * and the small CNN's whole forward+backward with each set. Medians of CPU time (robust to other processes).
 */
async function kernelTimes(reps: number): Promise<string[]> {
  await ready({ backend: 'wasm' });
  const before = wasmKernelSettings();
  const median = (f: () => void): number => {
    for (let i = 0; i < 3; i++) f();
    const xs: number[] = [];
    for (let i = 0; i < reps; i++) {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      xs.push((c.user + c.system) / 1000);
    }
    return summarize(xs.map((x) => ({ wallMs: x, cpuMs: x }))).cpuMs;
  };
  const convCase = (x: [number, number, number, number], filter: [number, number, number, number], stride: number) => {
    const dyShape = tf.backend_util.computeConv2DInfo(x, filter, stride, 1, 'same').outShape;
    const dy = tf.randomNormal(dyShape, 0, 1, 'float32', 1);
    const w = tf.randomNormal(filter, 0, 1, 'float32', 2);
    const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', inputShape: x } as unknown as tf.NamedAttrMap;
    return { label: `Conv2DBackpropInput dy [${dyShape}] · W [${filter}], stride ${stride}`, run: () => tf.tidy(() => { tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs); }), dispose: () => tf.dispose([dy, w]) };
  };
  const poolCase = (shape: [number, number, number, number]) => {
    const x = tf.tidy(() => tf.relu(tf.randomNormal(shape, 0, 1, 'float32', 3)));
    const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 4);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;
    return { label: `MaxPoolGrad 2×2/2 of x [${shape}] (after a relu)`, run: () => tf.tidy(() => { tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, attrs); }), dispose: () => tf.dispose([x, y, dy]) };
  };
  const b = BATCH;
  const cases = [convCase([b, 14, 14, 16], [3, 3, 16, 32], 1), convCase([b, 28, 28, 16], [3, 3, 16, 16], 2), poolCase([b, 28, 28, 16]), poolCase([b, 14, 14, 32])];
  const runner = gradientRunner('smallCnn', BATCH);
  const run = runner.run;
  const rows: string[][] = [];
  for (const c of cases) {
    registerWasmGradientKernels({ fastConvInput: true, fastMaxPoolGrad: true });
    const fast = median(c.run);
    registerWasmGradientKernels({ fastConvInput: false, fastMaxPoolGrad: false });
    const own = median(c.run);
    rows.push([c.label, fmt(own, 2), fmt(fast, 2), fmt(own / fast, 1)]);
    c.dispose();
  }
  registerWasmGradientKernels({ fastConvInput: false, fastMaxPoolGrad: false });
  const ownPass = median(() => run(1));
  registerWasmGradientKernels({ fastConvInput: true, fastMaxPoolGrad: true });
  const fastPass = median(() => run(1));
  rows.push([`small CNN forward+backward, batch ${BATCH}`, fmt(ownPass, 1), fmt(fastPass, 1), fmt(ownPass / fastPass, 1)]);
  registerWasmGradientKernels(before);
  runner.dispose();
  return [
    `### wasm kernels: ours vs wasm's own (CPU ms, median of ${reps})`,
    '',
    table(['kernel call', "wasm's own", 'optimix', 'speed-up'], rows, ['l', 'r', 'r', 'r']),
  ];
}

/** RWP parallel on the small CNN for many steps: main-thread tensors, process RSS, the worker's tensors and heap. */
async function memoryCheck(steps: number): Promise<string[]> {
  await ready({ backend: 'wasm' });
  const spec = specOf('smallCnn');
  const model = modelFromSpec(spec);
  const init = model.init(key(0));
  const batch = randomBatch(BATCH, 7);
  const interp = parallel({ workers: 1, model });
  const opt = optimizer(rwp(), sgd(0.1, { momentum: 0.9 }));
  let params: Tree = init;
  let state = opt.init(init, key(1));
  const every = Math.max(1, Math.floor(steps / 10));
  const rows: string[][] = [];
  let first: { main: number; worker: number } | undefined;
  let last = first;
  const failures: string[] = [];
  const wasmHeaps: number[] = [];
  const rssSeen: number[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    const r = await interp.step(opt, model.loss, params, batch, state);
    if (params !== init) disposeReplaced(params, [r.params, r.state]);
    disposeReplaced(state, [r.state, r.params]);
    params = r.params;
    state = r.state;
    if (i === 1 || i % every === 0 || i === steps) {
      const [w] = await interp.memory();
      const mu = process.memoryUsage();
      const main = tf.memory().numTensors;
      first ??= { main, worker: w!.numTensors };
      last = { main, worker: w!.numTensors };
      rows.push([String(i), String(main), fmt(tf.memory().numBytes / 2 ** 20, 2), String(w!.numTensors), fmt(w!.numBytes / 2 ** 20, 2), fmt((w!.heapUsed ?? NaN) / 2 ** 20, 1),
        fmt((w!.wasmHeapBytes ?? NaN) / 2 ** 20, 0), fmt(mu.heapUsed / 2 ** 20, 1), fmt(mu.rss / 2 ** 20, 0)]);
      wasmHeaps.push(w!.wasmHeapBytes ?? NaN);
      rssSeen.push(mu.rss);
      if (main !== first.main) failures.push(`main-thread numTensors ${main} at step ${i} ≠ ${first.main} after step 1`);
      if (w!.numTensors !== first.worker) failures.push(`worker numTensors ${w!.numTensors} at step ${i} ≠ ${first.worker} after step 1`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await interp.close();
  disposeTree([params, state, init, batch]);
  const lines = [
    `### Memory: ${steps} steps of RWP parallel (1 worker) on the small CNN, batch ${BATCH} (${fmt(seconds, 1)} s)`,
    '',
    table(['step', 'main numTensors', 'main tensor MiB', 'worker numTensors', 'worker tensor MiB', 'worker JS heap MiB', 'worker wasm heap MiB', 'main JS heap MiB', 'process RSS MiB'], rows),
    '',
    `Worker wasm heap (linear memory; it only grows): ${fmt(wasmHeaps[0]! / 2 ** 20, 0)} MiB after step 1, ${fmt(wasmHeaps.at(-1)! / 2 ** 20, 0)} MiB after step ${steps}. ` +
      `Process RSS (both threads): ${fmt(rssSeen[0]! / 2 ** 20, 0)} → ${fmt(rssSeen.at(-1)! / 2 ** 20, 0)} MiB, max ${fmt(Math.max(...rssSeen) / 2 ** 20, 0)} MiB. JS heaps rise and fall with garbage collection.`,
    '',
    failures.length === 0 && first !== undefined && last !== undefined
      ? `numTensors flat: main ${first.main} → ${last.main}, worker ${first.worker} → ${last.worker} (the worker holds none between steps).`
      : `NOT flat: ${failures.join('; ')}`,
  ];
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------

await ready({ backend: 'wasm' });
const m = machine();
const started = new Date();
say(`## optimix benchmark — ${started.toISOString()}`);
say();
say(`- command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\``.replace(' -- `', '`'));
say(`- machine: ${m.cpuModel}, nproc ${m.nproc}, ${m.os}; Node ${m.node}; tfjs-core ${m.tfjs}; backend ${tf.getBackend()} (wasm kernels: ${JSON.stringify(wasmKernelSettings())})`);
say(`- load average at start (1, 5, 15 min): ${load()}`);
say(`- timing: ${STEPS} rounds after ${WARMUP} warm-up steps; each round runs ${BLOCK} consecutive steps of every method (as a training loop runs them), the methods in a rotating order; a sample is a block's time over ${BLOCK}; medians over the rounds`);
say(`- update rules: learning rate ${LR ?? '0.1 (resnetSmall: 0.01)'}; optimix SGD, SAM, RWP: \`sgd(lr, { momentum: 0.9 })\`; SAM \`sam()\` (ρ = 0.05), RWP \`rwp()\` (σ = 0.01, λ = 0.5); RWP parallel: \`parallel({ workers: 1, model }).step\` (the zoo model: workers rebuild it from its spec)`);
say(`- data: MNIST-shaped random batch (x ~ U[0,1) [${BATCH}, 28, 28, 1], one-hot y over 10 classes), the same batch every step`);
say(`- FLOPs: analytic, \`flops(spec, batch)\` — a multiply-add is 2 FLOPs; bias, relu, pooling 1 per element op; loss head not counted; forward+backward = 3 × forward. GFLOP/s = grad evals × that / step time`);
say(`- CPU ms/step: process CPU time (user + system, all threads: the main thread and the worker) per step`);
say();

if (SECTIONS.has('startup')) {
  const { value: lines, other } = await withOtherLoad(() => startupTimes(quick ? 3 : 5));
  for (const line of lines) say(line);
  say(`Other processes used ${fmt(other, 2)} cores on average meanwhile.`);
  say();
}

if (SECTIONS.has('noise')) {
  const { value: noise, other } = await withOtherLoad(async () => noiseTimes(quick ? 5 : 25));
  for (const line of noise.lines) say(line);
  say(`Other processes used ${fmt(other, 2)} cores on average meanwhile.`);
  say();
}

if (SECTIONS.has('kernels')) {
  const { value: lines, other } = await withOtherLoad(() => kernelTimes(quick ? 5 : 15));
  for (const line of lines) say(line);
  say();
  say(`Other processes used ${fmt(other, 2)} cores on average meanwhile.`);
  say();
}

const summaries = new Map<ModelKind, Map<string, number>>();
if (SECTIONS.has('steps')) {
  for (const kind of MODELS) {
    const { rows, spec, clean } = await benchModel(kind);
    summaries.set(kind, report(kind, rows, spec, clean));
  }
  say(`- load average after the step timings: ${load()}`);
  say();
}

let speedup: number | undefined;
if (SECTIONS.has('cpu') && CPU_REPS > 0) {
  if (QUIET) await waitQuiet(120, QUIET_THRESHOLD);
  const { value: wasm, other: wasmOther } = await withOtherLoad(() => fwdBwd('wasm', 'smallCnn', 3, Math.max(10, STEPS)));
  const { value: cpu, other: cpuOther } = await withOtherLoad(() => fwdBwd('cpu', 'smallCnn', 0, CPU_REPS));
  await ready({ backend: 'wasm' });
  speedup = cpu.wallMs / wasm.wallMs;
  say(`### Small CNN forward+backward, batch ${BATCH}: wasm vs cpu backend`);
  say();
  say(table(['backend', 'runs', 'wall ms (median)', 'CPU ms (median)'], [
    ['wasm', String(wasm.n), fmt(wasm.wallMs), fmt(wasm.cpuMs)],
    ['cpu', String(cpu.n), fmt(cpu.wallMs), fmt(cpu.cpuMs)],
  ], ['l', 'r', 'r', 'r']));
  say();
  say(`wasm is ${fmt(speedup, 1)}× faster (wall), ${fmt(cpu.cpuMs / wasm.cpuMs, 1)}× (CPU time). Other processes used ${fmt(wasmOther, 2)} cores during the wasm runs, ${fmt(cpuOther, 2)} during the cpu runs.`);
  say();
}

let parallelRatios: Map<string, number> | undefined;
if (SECTIONS.has('parallel')) {
  const { lines, ratios } = await parallelPath({ rounds: STEPS, block: BLOCK, warmup: WARMUP });
  for (const line of lines) say(line);
  parallelRatios = ratios;
}

if (SECTIONS.has('memory')) {
  const { value: lines, other } = await withOtherLoad(() => memoryCheck(MEMORY_STEPS));
  for (const line of lines) say(line);
  say(`Other processes used ${fmt(other, 2)} cores on average meanwhile.`);
  say();
}

const cnn = summaries.get('smallCnn');
if (cnn !== undefined || speedup !== undefined) {
  say('### Targets (issue #4)');
  say();
  const rows: string[][] = [];
  const r = (a: string, b: string): number => (cnn?.get(a) ?? NaN) / (cnn?.get(b) ?? NaN);
  if (cnn !== undefined) {
    rows.push(['RWP parallel / SGD, small CNN', '≤ 1.15', fmt(r('RWP parallel', 'optimix SGD'), 2)]);
    rows.push(['SAMPa parallel / SGD, small CNN (issue #16)', '≤ 1.15', fmt(r('SAMPa parallel', 'optimix SGD'), 2)]);
    rows.push(['SAM / SGD, small CNN', '≈ 2.0', fmt(r('SAM', 'optimix SGD'), 2)]);
    rows.push(['RWP sequential / SGD, small CNN', '≈ 2.0', fmt(r('RWP sequential', 'optimix SGD'), 2)]);
    rows.push(['optimix sgd / tf.train.sgd (same lr), small CNN', '≤ 1.05', fmt(r('optimix sgd', 'tf.train.sgd'), 2)]);
    rows.push(['optimix SGD (momentum) / tf.train.momentum, small CNN', '≤ 1.05', fmt(r('optimix SGD', 'tf.train.momentum'), 2)]);
  }
  if (cnn !== undefined) {
    rows.push(['(floor for RWP parallel) two bare passes at once / one pass, small CNN', '—', fmt(r('two bare passes at once', 'forward+backward only'), 2)]);
    rows.push(['(optimix over the floor) RWP parallel / two bare passes at once, small CNN', '—', fmt(r('RWP parallel', 'two bare passes at once'), 2)]);
  }
  if (speedup !== undefined) rows.push(['small CNN forward+backward, cpu / wasm', '≥ 3', fmt(speedup, 1)]);
  say(table(['target', 'goal', 'measured'], rows, ['l', 'r', 'r']));
  say();
}
if (parallelRatios !== undefined) {
  say('### Targets (issue #10)');
  say();
  const goal: Record<string, string> = { 'RWP parallel / SGD, smallCnn': '≤ 1.10', 'RWP parallel / SGD, mlp': '≤ 1.10', 'SGD 2 shards / SGD 1 thread, smallCnn, batch 128': '≤ 0.60', 'worker ready ms (median of 3)': '≤ 500', 'worker ready, process CPU ms (median of 3)': '≤ 500' };
  say(table(['target', 'goal', 'measured'], [...parallelRatios].map(([k, v]) => [k, goal[k] ?? '—', fmt(v, k.startsWith('worker') ? 0 : 2)]), ['l', 'r', 'r']));
  say();
}
say(`- load average at the end: ${load()}; total ${fmt((Date.now() - started.getTime()) / 1000, 0)} s`);

if (flags.out !== undefined) {
  writeFileSync(flags.out, `${out.join('\n')}\n`);
  console.log(`(written to ${flags.out})`);
}
