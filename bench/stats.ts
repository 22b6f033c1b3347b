// Small helpers for the benchmark: timing statistics, machine description, table formatting.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';

/** One timed call: wall time and the process's CPU time (all threads: main + workers), in ms. */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** time(f): run f once and measure it. */
export async function time(f: () => unknown): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** quantile(xs, q): the q-quantile of xs (linear interpolation between order statistics). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Summary of samples: medians and the interquartile range of wall time. */
export interface Summary {
  readonly wallMs: number;
  readonly wallP25: number;
  readonly wallP75: number;
  readonly cpuMs: number;
  readonly n: number;
}

export function summarize(samples: readonly Sample[]): Summary {
  const wall = samples.map((s) => s.wallMs);
  return { wallMs: median(wall), wallP25: quantile(wall, 0.25), wallP75: quantile(wall, 0.75), cpuMs: median(samples.map((s) => s.cpuMs)), n: samples.length };
}

/** The machine and software the numbers were taken on. */
export interface Machine {
  readonly cpuModel: string;
  readonly nproc: number;
  readonly node: string;
  readonly tfjs: string;
  readonly os: string;
}

export function machine(): Machine {
  let cpuModel = 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1] !== undefined) cpuModel = m[1].trim();
  } catch {
    // not Linux
  }
  let nproc = availableParallelism();
  try {
    nproc = Number(execSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // no nproc
  }
  const require = createRequire(import.meta.url);
  const tfjs = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  return { cpuModel, nproc, node: process.version, tfjs, os: `${process.platform} ${process.arch}` };
}

/** The 1-, 5- and 15-minute load averages, formatted. */
export function load(): string {
  return loadavg().map((x) => x.toFixed(2)).join(', ');
}

/** A markdown table from a header and rows (cells already formatted). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? ':--' : '--:'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** Busy CPU seconds of the whole machine so far (all processes; /proc/stat, Linux only), or undefined. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return busy / 100; // USER_HZ
  } catch {
    return undefined;
  }
}

/**
 * otherLoad(f): run f and measure how many cores *other* processes kept busy meanwhile (machine busy time minus this
 * process's CPU time, over the wall time). Jiffy resolution (10 ms): meaningful for spans of ≥ 0.3 s.
 */
export async function withOtherLoad<T>(f: () => Promise<T>): Promise<{ value: T; other: number }> {
  const b0 = machineBusySeconds();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const b1 = machineBusySeconds();
  if (b0 === undefined || b1 === undefined || wall <= 0) return { value, other: NaN };
  return { value, other: Math.max(0, (b1 - b0 - (c.user + c.system) / 1e6) / wall) };
}

/** waitQuiet(maxSeconds, threshold): wait (in 2 s probes) until other processes use < threshold cores; false if they never did. */
export async function waitQuiet(maxSeconds: number, threshold: number): Promise<boolean> {
  const deadline = performance.now() + maxSeconds * 1000;
  for (;;) {
    const { other } = await withOtherLoad(() => new Promise<void>((r) => setTimeout(r, 2000)));
    if (!(other >= threshold)) return true;
    if (performance.now() > deadline) return false;
  }
}
