// The parallel path a user gets from the docs (issue #10): RWP with train's `workers: 'auto'` interpreter on a zoo
// model against sequential SGD; SGD sharded on two threads against SGD on one at batch 128; worker ready time.
import { cleanGrad, key, optimizer, rwp, sgd, step, workerCount, type Optimizer, type OptimizerState } from '../src/index.js';
import { parallel, type ParallelInterpreter } from '../src/interpret/parallel.js';
import type { Batch } from '../src/model.js';
import { modelFromSpec, type ModelKind, type ModelSpec, type ZooModel } from '../src/models/index.js';
import { disposeReplaced, disposeTree, type Tree } from '../src/tree.js';
import { Worker } from 'node:worker_threads';
import { gradientRunner, randomBatch } from './gradientRunner.js';
import { fmt, load, median, table, time, withOtherLoad } from './stats.js';

interface Runner {
  readonly name: string;
  readonly step: () => Promise<void>;
  readonly interp?: ParallelInterpreter;
  readonly dispose: () => Promise<void>;
}

/** runner(name, opt, model, batch, interp?): one method with its own params and state, stepped by `step` or by the interpreter. */
export function runner(name: string, opt: Optimizer, model: ZooModel, init: Tree, batch: Batch, interp?: ParallelInterpreter): Runner {
  let params: Tree = init;
  let state: OptimizerState = opt.init(init, key(1));
  return {
    name,
    ...(interp !== undefined ? { interp } : {}),
    step: async () => {
      const r = interp === undefined ? step(opt, model.loss, params, batch, state) : await interp.step(opt, model.loss, params, batch, state);
      if (params !== init) disposeReplaced(params, [r.params, r.state]);
      disposeReplaced(state, [r.state, r.params]);
      params = r.params;
      state = r.state;
    },
    dispose: async () => {
      if (params !== init) disposeTree(params);
      disposeTree(state);
      await interp?.close();
    },
  };
}

/** timeInterleaved(runners, rounds, block): per runner, the median over rounds of a block's time / block (rotated order). */
export async function timeInterleaved(runners: readonly Runner[], rounds: number, block: number, warmup: number): Promise<{ ms: number[]; other: number }> {
  for (const r of runners) for (let i = 0; i < warmup; i++) await r.step();
  const samples: number[][] = runners.map(() => []);
  const { other } = await withOtherLoad(async () => {
    for (let k = 0; k < rounds; k++) {
      for (let j = 0; j < runners.length; j++) {
        const i = (j + k) % runners.length;
        const r = runners[i] as Runner;
        const t = await time(async () => {
          for (let b = 0; b < block; b++) await r.step();
        });
        (samples[i] as number[]).push(t.wallMs / block);
        if (r.interp !== undefined) await new Promise((res) => setTimeout(res, 25)); // let its worker stop polling (untimed)
      }
    }
  });
  return { ms: samples.map(median), other };
}

/** floorRunners(kind, batch): one bare forward+backward here, and two at once (here + a bare worker): what two threads give. */
async function floorRunners(kind: ModelKind, batch: number): Promise<Runner[]> {
  const url = new URL('./scalingWorker.ts', import.meta.url).href;
  const worker = new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(url)});`, { eval: true, workerData: { kind, batch } });
  const next = (): Promise<unknown> => new Promise((res, rej) => { worker.once('message', res); worker.once('error', rej); });
  await next();
  const g = gradientRunner(kind, batch);
  return [
    { name: 'one bare pass', step: async () => g.run(1), dispose: async () => g.dispose() },
    { name: 'two bare passes at once', step: async () => { const done = next(); worker.postMessage(1); g.run(1); await done; }, dispose: async () => { await worker.terminate(); } },
  ];
}

const zoo = (kind: ModelKind): ZooModel => modelFromSpec({ kind, options: {} } as ModelSpec);

/** The section's markdown lines. */
export async function parallelPath(o: { readonly rounds: number; readonly block: number; readonly warmup: number }): Promise<{ lines: string[]; ratios: Map<string, number> }> {
  const lines: string[] = [];
  const ratios = new Map<string, number>();
  const workers = workerCount('auto');
  const sgdM = () => sgd(0.1, { momentum: 0.9 });
  lines.push(`### RWP at SGD's cost: the documented path (\`parallel({ workers: ${workers} /* workerCount('auto') */, model })\`, what \`train(opt, model, …, { workers: 'auto' })\` builds)`, '');
  const rows: string[][] = [];
  for (const kind of ['smallCnn', 'mlp'] as const) {
    const model = zoo(kind);
    const init = model.init(key(0));
    const batch = randomBatch(64, 7);
    const runners = [
      ...(await floorRunners(kind, 64)),
      runner('SGD (sequential step)', optimizer(cleanGrad, sgdM()), model, init, batch),
      runner('RWP (sequential step)', optimizer(rwp(), sgdM()), model, init, batch),
      runner(`RWP (workers 'auto' = ${workers})`, optimizer(rwp(), sgdM()), model, init, batch, parallel({ workers, model })),
      runner('RWP parallel, drawAhead: true', optimizer(rwp(), sgdM()), model, init, batch, parallel({ workers, model, drawAhead: true })),
    ];
    const { ms, other } = await timeInterleaved(runners, o.rounds, o.block, o.warmup);
    for (const r of runners) await r.dispose();
    disposeTree([init, batch]);
    const [one, two, sgdMs, rwpSeq, rwpPar, rwpAhead] = ms as [number, number, number, number, number, number];
    ratios.set(`(floor) two bare passes at once / one, ${kind}`, two / one);
    ratios.set(`RWP parallel / SGD, ${kind}`, rwpPar / sgdMs);
    ratios.set(`(RWP parallel with drawAhead) / SGD, ${kind}`, rwpAhead / sgdMs);
    rows.push([kind, '64', fmt(sgdMs), fmt(rwpSeq), fmt(rwpPar), fmt(rwpAhead), fmt(rwpSeq / sgdMs, 2), `**${fmt(rwpPar / sgdMs, 2)}**`, fmt(rwpAhead / sgdMs, 2), fmt(two / one, 2), fmt(other, 2)]);
  }
  lines.push(table(['model', 'batch', 'SGD ms', 'RWP seq ms', 'RWP parallel ms', 'RWP parallel, drawAhead, ms', 'RWP seq / SGD', 'RWP parallel / SGD', 'drawAhead / SGD', 'floor: 2 bare passes at once / 1', 'other cores busy'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']), '');

  // SGD on all cores: batch 128 cut into 2 shards, one on this thread and one in a worker.
  {
    const model = zoo('smallCnn');
    const init = model.init(key(0));
    const batch = randomBatch(128, 9);
    const runners = [
      runner('SGD, 1 thread', optimizer(cleanGrad, sgdM()), model, init, batch),
      runner('SGD, 2 shards on 2 threads', optimizer(cleanGrad, sgdM()), model, init, batch, parallel({ workers: 1, shards: 2, model })),
    ];
    const { ms, other } = await timeInterleaved(runners, o.rounds, o.block, o.warmup);
    for (const r of runners) await r.dispose();
    disposeTree([init, batch]);
    const [one, two] = ms as [number, number];
    ratios.set('SGD 2 shards / SGD 1 thread, smallCnn, batch 128', two / one);
    lines.push('### SGD sharded: `parallel({ workers: 1, shards: 2, model })`, small CNN, batch 128', '');
    lines.push(table(['SGD on 1 thread ms', 'SGD on 2 shards / 2 threads ms', 'ratio', 'other cores busy'], [[fmt(one), fmt(two), `**${fmt(two / one, 2)}**`, fmt(other, 2)]], ['r', 'r', 'r', 'r']), '');
  }

  // Worker ready: from parallel() to every worker able to evaluate (tfjs, kernels, gradients, the loss).
  const readyMs: number[] = [];
  const readyCpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const interp = parallel({ workers: 1, model: zoo('smallCnn') });
    const t = await time(() => interp.ready());
    readyMs.push(t.wallMs);
    readyCpu.push(t.cpuMs);
    await interp.close();
  }
  ratios.set('worker ready ms (median of 3)', median(readyMs));
  ratios.set('worker ready, process CPU ms (median of 3)', median(readyCpu));
  lines.push(`### Worker ready: \`await parallel({ workers: 1, model: smallCnn() }).ready()\`, 3 times: wall ${readyMs.map((x) => fmt(x, 0)).join(', ')} ms (median ${fmt(median(readyMs), 0)}), process CPU (this thread idles: the worker's start) ${readyCpu.map((x) => fmt(x, 0)).join(', ')} ms (median ${fmt(median(readyCpu), 0)}); load average now ${load()}`, '');
  return { lines, ratios };
}
