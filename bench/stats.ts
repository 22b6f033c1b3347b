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
