// Benchmark section `noise`: 1M standard normals, optimix's counter-based generator vs tf.randomNormal, in one process.
import * as tf from '@tensorflow/tfjs-core';
import { normalWords, normalsEngine, seedWords } from '../src/normal.js';
import { drawNormals } from '../src/perturbation/normals.js';
import { fmt, median, table } from './stats.js';

/** noiseTimes(reps, n = 1e6): median wall ms of each way to draw n normals (interleaved rounds, after 3 warm-ups), as report lines. */
export function noiseTimes(reps: number, n = 1_000_000): { lines: string[]; ratio: number } {
  const seed = 123456789;
  const ways: Array<[string, () => void]> = [
    [`tf.randomNormal([${n}], 0, 1, 'float32', seed) (a tensor)`, () => tf.randomNormal([n], 0, 1, 'float32', seed).dispose()],
    [`drawNormals(seed, [${n}]) (a tensor; ${normalsEngine()})`, () => drawNormals(seed, [n]).dispose()],
    [`normals(key, ${n}) (Float32Array, ${normalsEngine()})`, () => void normalWords(seedWords(seed), n)],
    [`normals(key, ${n}) (Float32Array, JavaScript fallback)`, () => void normalWords(seedWords(seed), n, 0, 'js')],
  ];
  const times: number[][] = ways.map(() => []);
  for (let r = -3; r < reps; r++) {
    ways.forEach(([, f], i) => {
      const t0 = performance.now();
      f();
      if (r >= 0) (times[i] as number[]).push(performance.now() - t0);
    });
  }
  const med = times.map((xs) => median(xs));
  const base = med[0] as number;
  const rows = ways.map(([label], i) => [label, fmt(med[i] as number, 2), fmt(base / (med[i] as number), 1)]);
  const ratio = base / (med[1] as number);
  return {
    ratio,
    lines: [
      `### Noise: ${n.toLocaleString('en-US')} standard normals (wall ms, median of ${reps} interleaved rounds, backend ${tf.getBackend()})`,
      '',
      table(['draw', 'ms', '× tf.randomNormal'], rows, ['l', 'r', 'r']),
      '',
      `drawNormals is ${fmt(ratio, 1)}× faster than tf.randomNormal (target ≥ 10×).`,
    ],
  };
}
