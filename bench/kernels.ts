// Forward+backward time of a small CNN (28×28×1 → conv3×3·16 → relu → maxPool2 → conv3×3·32 → relu
// → maxPool2 → dense 10, softmax cross-entropy) at batch 64, wasm vs cpu.
// Run: npx tsx bench/kernels.ts   (env BENCH_PROFILE=1 prints the slowest wasm kernels)
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../src/backend.js';
import '../src/kernels/index.js';

const BATCH = 64;
type Params = Record<'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3', tf.Tensor>;

/** Softmax cross-entropy of the small CNN on one batch. */
function loss(p: Params, x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar {
  let h = tf.maxPool(tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(x, p.w1 as tf.Tensor4D, 1, 'same'), p.b1)), 2, 2, 'valid');
  h = tf.maxPool(tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(h, p.w2 as tf.Tensor4D, 1, 'same'), p.b2)), 2, 2, 'valid');
  const logits = tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]) as tf.Tensor2D, p.w3 as tf.Tensor2D), p.b3);
  return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1)));
}

/** One forward+backward pass, returning the loss value (forces the computation to finish). */
function step(p: Params, x: tf.Tensor4D, y: tf.Tensor2D): number {
  return tf.tidy(() => {
    const keys = Object.keys(p) as (keyof Params)[];
    const { value, grads } = tf.valueAndGrads((...ts: tf.Tensor[]) =>
      loss(Object.fromEntries(keys.map((k, i) => [k, ts[i]!])) as Params, x, y))(keys.map((k) => p[k]));
    for (const g of grads) g.dataSync();
    return value.dataSync()[0]!;
  });
}

interface Timing { readonly wallMs: number; readonly cpuMs: number }

/** Median wall time and median process CPU time (ms; robust when other jobs share the cores) of `reps` runs after `warm` warm-ups. */
function median(f: () => void, warm: number, reps: number): Timing {
  for (let i = 0; i < warm; i++) f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    wall.push(performance.now() - t0);
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wallMs: mid(wall), cpuMs: mid(cpu) };
}

/** Times the CNN step on one backend. */
async function bench(backend: 'wasm' | 'cpu', reps: number): Promise<Timing> {
  await ready({ backend });
  const p: Params = {
    w1: tf.randomNormal([3, 3, 1, 16], 0, 0.3, 'float32', 1), b1: tf.zeros([16]),
    w2: tf.randomNormal([3, 3, 16, 32], 0, 0.1, 'float32', 2), b2: tf.zeros([32]),
    w3: tf.randomNormal([7 * 7 * 32, 10], 0, 0.05, 'float32', 3), b3: tf.zeros([10]),
  };
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 5) as tf.Tensor1D, 10) as tf.Tensor2D;
  const ms = median(() => step(p, x, y), backend === 'wasm' ? 3 : 1, reps);
  if (backend === 'wasm' && process.env['BENCH_PROFILE'] === '1') {
    const info = await tf.profile(() => { step(p, x, y); });
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
    console.log([...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, t]) => `${k} ${t.toFixed(1)}ms`).join(', '));
  }
  tf.dispose([...Object.values(p), x, y]);
  return ms;
}

const wasm = await bench('wasm', 21);
const cpu = await bench('cpu', 3);
const show = (t: Timing) => `${t.wallMs.toFixed(1)} ms wall / ${t.cpuMs.toFixed(1)} ms CPU`;
console.log(`small CNN, batch ${BATCH}, forward+backward, median: wasm ${show(wasm)}; cpu ${show(cpu)}; ` +
  `speed-up ${(cpu.wallMs / wasm.wallMs).toFixed(1)}× wall, ${(cpu.cpuMs / wasm.cpuMs).toFixed(1)}× CPU`);
