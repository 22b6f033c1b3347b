// Benchmark section `noise`: 1M standard normals, optimix's counter-based generator vs tf.randomNormal, in one process.
import * as tf from '@tensorflow/tfjs-core';
import { normalWords, normalsEngine, seedWords } from '../src/normal.js';
import { drawNormals } from '../src/perturbation/normals.js';
import { fmt, median, table } from './stats.js';

/**
 * noiseTimes(reps, n = 1e6): median wall and CPU ms of each way to draw n normals (interleaved rounds, after 3
 * warm-ups), as report lines. CPU time (this process, one thread here) is the robust one on a shared machine.
 */
export function noiseTimes(reps: number, n = 1_000_000): { lines: string[]; ratio: number; cpuRatio: number } {
  const seed = 123456789;
  const ways: Array<[string, () => void]> = [
    [`tf.randomNormal([${n}], 0, 1, 'float32', seed) (a tensor)`, () => tf.randomNormal([n], 0, 1, 'float32', seed).dispose()],
    [`drawNormals(seed, [${n}]) (a tensor; ${normalsEngine()})`, () => drawNormals(seed, [n]).dispose()],
    [`normals(key, ${n}) (Float32Array, ${normalsEngine()})`, () => void normalWords(seedWords(seed), n)],
    [`normals(key, ${n}) (Float32Array, JavaScript fallback)`, () => void normalWords(seedWords(seed), n, 0, 'js')],
  ];
  const wall: number[][] = ways.map(() => []);
  const cpu: number[][] = ways.map(() => []);
  for (let r = -3; r < reps; r++) {
    ways.forEach(([, f], i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      f();
      const t = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (r >= 0) {
        (wall[i] as number[]).push(t);
        (cpu[i] as number[]).push((c.user + c.system) / 1000);
      }
    });
  }
  const w = wall.map((xs) => median(xs));
  const c = cpu.map((xs) => median(xs));
  const rows = ways.map(([label], i) => [label, fmt(w[i] as number, 2), fmt((w[0] as number) / (w[i] as number), 1), fmt(c[i] as number, 2), fmt((c[0] as number) / (c[i] as number), 1)]);
  const ratio = (w[0] as number) / (w[1] as number);
  const cpuRatio = (c[0] as number) / (c[1] as number);
  return {
    ratio,
    cpuRatio,
    lines: [
      `### Noise: ${n.toLocaleString('en-US')} standard normals (median of ${reps} interleaved rounds, backend ${tf.getBackend()})`,
      '',
      table(['draw', 'wall ms', '× tf.randomNormal', 'CPU ms', '× (CPU)'], rows, ['l', 'r', 'r', 'r', 'r']),
      '',
      `drawNormals is ${fmt(ratio, 1)}× faster than tf.randomNormal in wall time, ${fmt(cpuRatio, 1)}× in CPU time (target ≥ 10×).`,
    ],
  };
}
