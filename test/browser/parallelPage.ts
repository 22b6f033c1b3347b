// The page of test/browser.parallel.test.ts (bundled by esbuild for the browser): the parallel interpreter on module
// Web Workers — the workload on sequential and on parallel, train({ workers }), tensors per step, a worker that hangs
// (stepTimeout), a script that never says ready (startTimeout), one that is not there (404) or is not JavaScript,
// and close(); everything lands in `window.optimixParallel`.
import * as tf from '@tensorflow/tfjs-core';
import { disposeTree, key, lossFrom, mix, optimizer, parallel, perturbedGrad, ready, rwp, sgd, train, WorkerError, type Batch, type Interpreter, type ParallelInterpreter, type Tree } from 'optimix';
import { mlp } from 'optimix/models';
import { data, METHODS, model as zooModel, parallelWorkload } from './parallelWorkload.js';
import type { Run } from './workload.js';
import { scaled, signShift } from '../fixtures/kinds.js';

declare const location: { href: string };

/** name, message and milliseconds of what fn threw (or name 'none'). */
async function thrown(fn: () => unknown): Promise<{ name: string; message: string; ms: number; isWorkerError: boolean }> {
  const t0 = performance.now();
  try {
    await fn();
    return { name: 'none', message: '', ms: performance.now() - t0, isWorkerError: false };
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message, ms: performance.now() - t0, isWorkerError: e instanceof WorkerError };
  }
}

const flat = (t: Tree): number[] => Object.keys(t).sort().flatMap((n) => [...(t[n] as tf.Tensor).dataSync()]);

/** docs/browser.md's "Parallel in a page" snippet, as written there (the test checks the two match). */
async function snippet(batches: Batch[]): Promise<{ losses: readonly number[]; params: number[] }> {
  // docs:parallel-begin
  await ready({ wasmPaths: '/wasm/' }); // the workers load the .wasm files from the same prefix
  const model = mlp({ inputShape: [6], hidden: [12], classes: 3 });
  const opt = optimizer(rwp({ σ: 0.05 }), sgd(0.1, { momentum: 0.9 }));
  const init = model.init(key(1));
  // One module Web Worker evaluates RWP's clean gradient while the page evaluates the noisy one.
  const result = await train(opt, model, init, batches, { epochs: 3, key: key(7), workers: 1 });
  // docs:parallel-end
  const out = { losses: result.losses, params: flat(result.params) };
  disposeTree([init, result.params, result.state]);
  return out;
}

async function main(): Promise<unknown> {
  await ready({ wasmPaths: '/wasm/' });
  const start = tf.memory().numTensors;
  const batches = data();
  const docs = await snippet(batches);
  const sequential = await parallelWorkload(() => undefined);
  const one = parallel({ workers: 1, model: zooModel });
  const sharded = parallel({ workers: 1, model: zooModel, shards: 2 });
  let parallelRuns: Run[];
  let memory: unknown;
  try {
    parallelRuns = await parallelWorkload((name): Interpreter => (name === 'SGD, 2 shards' ? sharded : one));
    memory = await one.memory();
  } finally {
    await Promise.all([one.close(), sharded.close()]);
  }

  // The same with the first worker drawing the page's next noise (drawAhead), and the shards on two workers.
  const ahead = parallel({ workers: 1, model: zooModel, drawAhead: true });
  const two = parallel({ workers: 2, model: zooModel, shards: 2 });
  let variants: Run[];
  let drawnAhead: number;
  try {
    variants = await parallelWorkload((name): Interpreter => (name === 'SGD, 2 shards' ? two : ahead));
    drawnAhead = ahead.noiseStats().drawnAhead;
  } finally {
    await Promise.all([ahead.close(), two.close()]);
  }

  // train({ workers: 'auto' }): navigator.hardwareConcurrency − 1 workers, at least 1.
  const init = zooModel.init(key(1));
  const opt = optimizer(rwp({ σ: 0.05 }), sgd(0.1, { momentum: 0.9 }));
  const auto = await train(opt, zooModel, init, batches, { epochs: 3, key: key(7), workers: 'auto' });
  const trainAuto = { losses: auto.losses, params: flat(auto.params) };
  disposeTree([auto.params, auto.state]);

  // Tensors on the page after each of 12 parallel steps (RWP).
  const counted = parallel({ workers: 1, model: zooModel });
  const perStep: number[] = [];
  try {
    let params = init;
    let state = opt.init(params, key(3));
    for (let i = 0; i < 12; i++) {
      const r = await counted.step(opt, zooModel.loss, params, batches[i % batches.length] as Batch, state);
      if (params !== init) disposeTree(params);
      disposeTree(state);
      params = r.params;
      state = r.state;
      perStep.push(tf.memory().numTensors);
    }
    disposeTree([params, state]);
  } finally {
    await counted.close();
  }

  // Custom kinds, on a worker entry of the page's own that imports their module (test/browser/kindsWorker.ts).
  const custom = optimizer(mix(scaled({ of: perturbedGrad(signShift({ sigma: 0.1 })), c: 2 }), perturbedGrad(signShift({ sigma: 0.2 })), 0.5), sgd(0.05));
  const kindsSeq = await train(custom, zooModel, init, batches, { epochs: 2, key: key(2) });
  const kindsPar = await train(custom, zooModel, init, batches, { epochs: 2, key: key(2), workers: 1, parallel: { workerScript: '/kindsWorker.js' } });
  const kinds = { sequential: { losses: kindsSeq.losses, params: flat(kindsSeq.params) }, parallel: { losses: kindsPar.losses, params: flat(kindsPar.params) } };
  disposeTree([kindsSeq.params, kindsSeq.state, kindsPar.params, kindsPar.state]);

  // A loss module by URL (lossFrom) that hangs in a worker when the batch holds the marker 999.
  const hang = await lossFrom(new URL('/hang.js', location.href));
  const lin: Tree = { w: tf.zeros([2, 1]) };
  const plain: Batch = { x: tf.ones([4, 2]), y: tf.ones([4, 1]) };
  const marked: Batch = { x: tf.fill([4, 2], 999), y: tf.ones([4, 1]) };
  const linOpt = optimizer(rwp(), sgd(0.1));
  const linState = linOpt.init(lin, key(5));
  const timed = parallel({ workers: 1, model: hang, stepTimeout: 1500 });
  let timeout;
  try {
    const ok = async (b: Batch) => {
      const r = await timed.step(linOpt, hang, lin, b, linState);
      const loss = r.value;
      disposeTree([r.params, r.state]);
      return loss;
    };
    const before = await ok(plain);
    const hung = await thrown(() => ok(marked));
    const after = await ok(plain);
    timeout = { before, hung, after, live: (await timed.memory()).length };
  } finally {
    await timed.close();
  }

  // A reply that arrives while the page is busy past stepTimeout (marker 777: 800 ms here) is taken, not judged late.
  const slowPage: Batch = { x: tf.fill([4, 2], 777), y: tf.ones([4, 1]) };
  const busy = parallel({ workers: 1, model: hang, stepTimeout: 300 });
  let busyPage;
  try {
    const run = async (b: Batch) => {
      const r = await busy.step(linOpt, hang, lin, b, linState);
      disposeTree([r.params, r.state]);
      return r.value;
    };
    await run(plain); // the loss is proven: from now on the page evaluates one branch itself
    busyPage = await thrown(() => run(slowPage));
  } finally {
    await busy.close();
  }
  disposeTree(slowPage);

  // close(): a step pending in a hanging worker rejects; every later step is refused.
  const closing = parallel({ workers: 1, model: hang });
  const pending = thrown(() => closing.step(linOpt, hang, lin, marked, linState));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await closing.close();
  const close = { pending: await pending, later: await thrown(() => closing.step(linOpt, hang, lin, plain, linState)) };

  // Scripts that are not optimix's worker: one that never says ready, one not found, one that is not JavaScript.
  const startFails = async (workerScript: string | URL): Promise<Awaited<ReturnType<typeof thrown>>> => {
    const p: ParallelInterpreter = parallel({ workers: 1, model: zooModel, workerScript, startTimeout: 1500 });
    try {
      return await thrown(() => p.ready());
    } finally {
      await p.close();
    }
  };
  const scripts = { silent: await startFails('/silent.js'), missing: await startFails(new URL('/missing.js', location.href)), html: await startFails('/'), crossOrigin: await startFails('http://localhost:9/optimix-worker.js') };
  const made = await thrown(async () => {
    const p = parallel({ workers: 1, model: zooModel, workerScript: () => new (globalThis as unknown as { Worker: new (u: string, o: object) => unknown }).Worker('/interpret/browserWorker.js', { type: 'module' }) });
    try {
      await p.ready();
    } finally {
      await p.close();
    }
  });
  const badOption = await thrown(() => parallel({ workerScript: 42 as unknown as string }));

  disposeTree([init, lin, plain, marked, linState, batches]);
  return { docs, kinds, busyPage, sequential, parallel: parallelRuns, variants, drawnAhead, trainAuto, memory, perStep, timeout, close, scripts, made, badOption, methods: [...METHODS], tensorsAtEnd: tf.memory().numTensors - start };
}

main().then(
  (r) => Object.assign(globalThis, { optimixParallel: { ok: true, ...(r as object) } }),
  (e: Error) => Object.assign(globalThis, { optimixParallel: { ok: false, error: `${e.name}: ${e.message}\n${e.stack ?? ''}` } }),
);
