// A line chart drawn with characters, for the terminal: one letter per series, y = accuracy, x = epoch.

/** One series of the text chart: a name (its first letter marks its points) and y per x = 1, 2, …. */
export interface TextSeries {
  readonly name: string;
  readonly ys: readonly number[];
}

/**
 * textChart(series, { height = 12, yLabel, xLabel }): a character plot of each series against its index (1…n) on a
 * shared y range (whole-number bounds, top and bottom labelled); a point where two series fall on one cell is '*'.
 */
export function textChart(series: readonly TextSeries[], options: { readonly height?: number; readonly yLabel?: string; readonly xLabel?: string } = {}): string {
  const height = options.height ?? 12;
  const finite = series.flatMap((s) => s.ys.filter(Number.isFinite));
  const n = Math.max(0, ...series.map((s) => s.ys.length));
  if (finite.length === 0 || n === 0) return '(no data)';
  let lo = Math.floor(Math.min(...finite));
  let hi = Math.ceil(Math.max(...finite));
  if (hi === lo) hi = lo + 1;
  const colW = Math.max(2, Math.min(6, Math.floor(60 / n)));
  const grid = Array.from({ length: height }, () => Array.from({ length: n * colW }, () => ' '));
  // Each series' mark: the first letter of its name not taken by an earlier series (SGD → S, SAM → A), else a digit.
  const used = new Set<string>(['*']);
  const marks = series.map((s, k) => {
    const c = [...s.name.toUpperCase()].find((ch) => /[A-Z0-9]/.test(ch) && !used.has(ch)) ?? String(k % 10);
    used.add(c);
    return c;
  });
  series.forEach((s, k) => {
    s.ys.forEach((y, i) => {
      if (!Number.isFinite(y)) return;
      const row = height - 1 - Math.round(((y - lo) / (hi - lo)) * (height - 1));
      const col = i * colW + Math.floor(colW / 2);
      const cell = grid[row] as string[];
      cell[col] = cell[col] === ' ' ? (marks[k] as string) : '*';
    });
  });
  const labelW = Math.max(String(hi).length, String(lo).length) + 1;
  const lines = grid.map((row, r) => {
    const label = r === 0 ? String(hi) : r === height - 1 ? String(lo) : '';
    return `${label.padStart(labelW)} |${row.join('').trimEnd()}`;
  });
  lines.push(`${' '.repeat(labelW)} +${'-'.repeat(n * colW)}`);
  const ticks = Array.from({ length: n }, (_, i) => String(i + 1).padStart(Math.floor(colW / 2) + 1).padEnd(colW)).join('');
  lines.push(`${' '.repeat(labelW)}  ${ticks.trimEnd()}  ${options.xLabel ?? ''}`.trimEnd());
  const legend = series.map((s, k) => `${marks[k]} = ${s.name}`).join(', ');
  return [`${options.yLabel ?? ''}  (${legend}; * = overlap)`.trimStart(), ...lines].join('\n');
}
