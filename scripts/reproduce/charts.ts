// The reproduction's plots for one (setting, model): test accuracy against epoch with a band over seeds, test
// accuracy against training wall time, and 1-D loss slices of the final weights on a log axis.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChartSvg } from '../../src/plot/index.js';
import { LABEL } from '../../demo/run.js';
import type { Group } from './summary.js';
import { mean, std } from './stats.js';

/** A cached NaN comes back from JSON as null. */
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/** writeCharts(groups, dir, prefix, title): the three SVGs of one (setting, model); returns their paths. */
export function writeCharts(groups: readonly Group[], dir: string, prefix: string, title: string): string[] {
  if (groups.length === 0) return [];
  const written: string[] = [];
  const write = (name: string, svg: string): void => {
    const p = join(dir, `${prefix}-${name}.svg`);
    writeFileSync(p, svg);
    written.push(p);
  };
  // Epochs at which every seed of a method was evaluated.
  const curve = (g: Group) => {
    const epochs = Math.min(...g.runs.map((r) => r.history.length));
    const pts: Array<{ epoch: number; secs: number; m: number; s: number }> = [];
    for (let e = 0; e < epochs; e++) {
      const ys = g.runs.map((r) => 100 * num(r.history[e]?.testAccuracy));
      if (!ys.every(Number.isFinite)) continue;
      pts.push({ epoch: e + 1, secs: mean(g.runs.map((r) => num(r.history[e]?.seconds))), m: mean(ys), s: std(ys) });
    }
    return pts;
  };
  const seeds = Math.max(...groups.map((g) => g.runs.length));
  write(
    'accuracy-vs-epoch',
    lineChartSvg({
      title: `${title}: test accuracy by epoch (mean, band ±1 std over ${seeds} seeds)`,
      xLabel: 'epoch (SGD-equivalent)',
      yLabel: 'test accuracy (%)',
      width: 760,
      height: 440,
      series: groups.map((g) => {
        const c = curve(g);
        return { name: LABEL[g.method], xs: c.map((p) => p.epoch), ys: c.map((p) => p.m), band: { lo: c.map((p) => p.m - p.s), hi: c.map((p) => p.m + p.s) } };
      }),
    }),
  );
  write(
    'accuracy-vs-time',
    lineChartSvg({
      title: `${title}: test accuracy vs training wall time (mean of ${seeds} seeds)`,
      xLabel: 'training wall time (s)',
      yLabel: 'test accuracy (%)',
      width: 760,
      height: 440,
      series: groups.map((g) => {
        const c = curve(g);
        return { name: LABEL[g.method], xs: c.map((p) => p.secs), ys: c.map((p) => p.m) };
      }),
    }),
  );
  const sliced = groups
    .map((g) => ({ g, i: g.runs.map((r, i) => ({ seed: r.seed, i })).sort((a, b) => a.seed - b.seed)[0]?.i }))
    .map(({ g, i }) => ({ g, f: i === undefined ? undefined : g.flatness[i], seed: i === undefined ? undefined : g.runs[i]?.seed }))
    .filter((x) => x.f?.slice !== undefined);
  if (sliced.length > 0) {
    write(
      'slice-1d',
      lineChartSvg({
        title: `${title}: training loss along a filter-normalized random direction (seed ${sliced[0]?.seed})`,
        xLabel: 'α (weights w + α·d)',
        yLabel: 'training loss (noisy labels, subset; log scale)',
        width: 760,
        height: 440,
        logY: true,
        series: sliced.map(({ g, f }) => ({ name: LABEL[g.method], xs: [...(f?.slice?.alphas ?? [])], ys: [...(f?.slice?.losses ?? [])] })),
      }),
    );
  }
  return written;
}
