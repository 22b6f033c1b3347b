// The page of test/browser.test.ts (bundled by esbuild for the browser): trains the workload on the wasm backend, then
// tries the Node-only features (the parallel interpreter is in parallelPage.ts) and the checkpoint bytes round trip, and leaves everything in `window.optimixResult`.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { cleanGrad, deserialize, disposeTree, key, optimizer, ready, save, serialize, sgd, type Tree } from 'optimix';
import { batches, loadMnist, makeDataset, shuffle } from 'optimix/data';
import { workload } from './workload.js';
import { inWorker, thrown } from './pageTools.js';
import * as laws from 'optimix/laws';
import { samSharpness } from 'optimix/flatness';
import { lineChartSvg } from 'optimix/plot';

// The two page APIs used below (the project type-checks without the DOM library).
declare const localStorage: { setItem(key: string, value: string): void; getItem(key: string): string | null };
declare const caches: { open(name: string): Promise<{ put(url: string, r: Response): Promise<void>; match(url: string): Promise<Response | undefined> }> };

async function main(): Promise<unknown> {
  setWasmPaths('/wasm/');
  const backend = await ready();
  const before = tf.memory().numTensors;
  const runs = await workload();
  const leaked = tf.memory().numTensors - before;
  const params: Tree = { w: tf.tensor2d([[1, 2], [3, 4]]), b: tf.tensor1d([0.5, -0.5]) };
  const opt = optimizer(cleanGrad, sgd(0.1));
  const state = opt.init(params);
  // docs/browser.md's "Checkpoints as bytes", as written there.
  const { manifest, weights } = serialize({ params, state, opt });
  localStorage.setItem('run/manifest', JSON.stringify(manifest));
  await (await caches.open('optimix')).put('/run/weights', new Response(weights));
  const buffer = await (await (await caches.open('optimix')).match('/run/weights'))!.arrayBuffer();
  const loaded = deserialize(JSON.parse(localStorage.getItem('run/manifest')!), buffer, { params, opt });
  const roundTrip = [...(loaded.params['w'] as tf.Tensor).dataSync(), ...(loaded.params['b'] as tf.Tensor).dataSync()];
  const errors = {
    save: await thrown(() => save('checkpoints/run', { params, state })),
    mnist: await thrown(() => loadMnist()),
  };
  disposeTree([params, state, loaded.params, loaded.state]);
  // A Dataset from bytes a page fetched (here: made), shuffled and batched as under Node.
  const bytes = new Float32Array(Array.from({ length: 8 * 4 }, (_, i) => i / 32)).buffer;
  const ds = makeDataset({ name: 'fetched', n: 8, shape: [2, 2, 1], classes: 2, classNames: ['a', 'b'], x: new Float32Array(bytes), y: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]), normalization: { kind: 'unit', mean: 0, std: 1 }, index: Int32Array.from({ length: 8 }, (_, i) => i) });
  const shapes = [...batches(shuffle(ds, key(3)), 4, key(4))].map((b) => {
    const s = [b.x.shape, b.y.shape];
    disposeTree(b);
    return s;
  });
  // The other subpaths run in a page too: a law (fast-check inside), a flatness measure, a chart.
  const law = laws.verify(laws.deterministic(sgd(0.1, { momentum: 0.9 })), { numRuns: 5, seed: 1 });
  const w = { w: tf.tensor1d([1, 2]) };
  const sharp = samSharpness((p) => tf.sum(tf.square(p['w'] as tf.Tensor)), w, {}, { rho: 0.1, steps: 0 });
  disposeTree(w);
  const svg = lineChartSvg({ title: 'loss', series: [{ name: 'SGD', xs: [0, 1, 2], ys: [1, 0.5, 0.25] }] });
  const subpaths = { lawOk: law.ok, sharpness: sharp.sharpness, svg: svg.startsWith('<svg') && svg.includes('SGD') };
  const worker = await inWorker('/worker.js', 30_000);
  return { worker, backend, runs, leaked, roundTrip, errors, bytes: weights.byteLength, shapes, subpaths, tensorsAtEnd: tf.memory().numTensors - before };
}

main().then(
  (r) => Object.assign(globalThis, { optimixResult: { ok: true, ...(r as object) } }),
  (e: Error) => Object.assign(globalThis, { optimixResult: { ok: false, error: `${e.name}: ${e.message}\n${e.stack ?? ''}` } }),
);
