import { checkSize, DASHES, escapeXml, formatTick, isArray, niceDomain, num, PALETTE, textWidth, ticksIn, svgOpen } from './svg.js';
import { checkKeys } from '../validate.js';

/** One line of a line chart: a name and its points. */
export interface LineSeries {
  /** Legend label. */
  readonly name: string;
  /** x values. */
  readonly xs: readonly number[];
  /** y values, as many as xs; non-finite points (and y ≤ 0 on a log axis) break the line. */
  readonly ys: readonly number[];
  /** CSS colour; default from a ten-colour palette (then dashed lines for series 11+). */
  readonly color?: string;
  /** A shaded band around the line (e.g. mean ± std over seeds): lower and upper y at each x; non-finite points break it. */
  readonly band?: {
    /** The band's lower edge: one y per x. */
    readonly lo: readonly number[];
    /** The band's upper edge: one y per x. */
    readonly hi: readonly number[];
  };
}

/** Options of `lineChartSvg`. */
export interface LineChartOptions {
  /** The chart's title. */
  readonly title: string;
  /** The x-axis label; default ''. */
  readonly xLabel?: string;
  /** The y-axis label; default ''. */
  readonly yLabel?: string;
  /** The lines to draw. */
  readonly series: readonly LineSeries[];
  /** Width in pixels; default 640. */
  readonly width?: number;
  /** Height in pixels; default 400. */
  readonly height?: number;
  /** Logarithmic y axis (base 10); default false. */
  readonly logY?: boolean;
  /** Draw a dot at each point; default: when a series has at most 40 points. */
  readonly markers?: boolean;
}

/**
 * lineChartSvg({ title, xLabel, yLabel, series: [{ name, xs, ys }], width = 640, height = 400, logY = false }): a standalone SVG line chart (axes with nice ticks, grid, legend, one colour per series) as a string.
 */
export function lineChartSvg(options: LineChartOptions): string {
  const fn = 'lineChartSvg';
  checkKeys(fn, options, ['title', 'xLabel', 'yLabel', 'series', 'width', 'height', 'logY', 'markers']);
  const { title, xLabel = '', yLabel = '', series, width = 640, height = 400, logY = false } = options;
  checkSize(fn, 'width', width);
  checkSize(fn, 'height', height);
  if (!isArray(series)) throw new RangeError(`${fn}: series must be an array`);
  series.forEach((s, i) => {
    if (!isArray(s.xs) || !isArray(s.ys)) throw new RangeError(`${fn}: series[${i}].xs and .ys must be arrays`);
    if (s.xs.length !== s.ys.length) {
      throw new RangeError(`${fn}: series[${i}].ys has ${s.ys.length} values but series[${i}].xs has ${s.xs.length}`);
    }
    if (s.band !== undefined && (!isArray(s.band.lo) || !isArray(s.band.hi) || s.band.lo.length !== s.xs.length || s.band.hi.length !== s.xs.length)) {
      throw new RangeError(`${fn}: series[${i}].band.lo and .hi must be arrays of ${s.xs.length} values, one per x`);
    }
  });

  const ty = (y: number): number => (logY ? Math.log10(y) : y);
  const usable = (x: number, y: number): boolean => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of series) {
    s.xs.forEach((x, i) => {
      for (const y of [s.ys[i] as number, ...(s.band === undefined ? [] : [s.band.lo[i] as number, s.band.hi[i] as number])]) {
        if (!usable(x, y)) continue;
        xMin = Math.min(xMin, x);
        xMax = Math.max(xMax, x);
        yMin = Math.min(yMin, ty(y));
        yMax = Math.max(yMax, ty(y));
      }
    });
  }
  const xd = niceDomain(xMin, xMax, 6);
  const yd = logY
    ? (() => {
        const lo = Number.isFinite(yMin) ? Math.floor(yMin) : 0;
        const hi = Number.isFinite(yMax) ? Math.max(Math.ceil(yMax), lo + 1) : 1;
        return { lo, hi, step: Math.max(1, Math.ceil((hi - lo) / 8)) };
      })()
    : niceDomain(yMin, yMax, 5);

  const names = series.map((s) => String(s.name));
  const legendWidth = names.length === 0 ? 0 : Math.min(220, Math.max(...names.map((n) => textWidth(n))) + 36);
  const m = { left: 68, right: 16 + legendWidth, top: 40, bottom: 52 };
  const pw = Math.max(10, width - m.left - m.right);
  const ph = Math.max(10, height - m.top - m.bottom);
  const px = (x: number): number => m.left + ((x - xd.lo) / (xd.hi - xd.lo)) * pw;
  const py = (y: number): number => m.top + ph - ((y - yd.lo) / (yd.hi - yd.lo)) * ph;

  const parts: string[] = svgOpen(width, height, title, m.left + pw / 2);

  // Grid, ticks and tick labels.
  parts.push('<g class="axes" stroke="#000000" stroke-width="1">');
  for (const t of ticksIn(xd.lo, xd.hi, xd.step)) {
    const x = num(px(t));
    parts.push(`<line x1="${x}" y1="${num(m.top)}" x2="${x}" y2="${num(m.top + ph)}" stroke="#e5e5e5"/>`);
    parts.push(`<line x1="${x}" y1="${num(m.top + ph)}" x2="${x}" y2="${num(m.top + ph + 5)}"/>`);
    parts.push(`<text x="${x}" y="${num(m.top + ph + 18)}" text-anchor="middle" stroke="none">${escapeXml(formatTick(t, xd.step))}</text>`);
  }
  for (const t of logY ? logTicks(yd.lo, yd.hi, yd.step) : ticksIn(yd.lo, yd.hi, yd.step)) {
    const y = num(py(t));
    const label = logY ? formatLogTick(t) : formatTick(t, yd.step);
    parts.push(`<line x1="${num(m.left)}" y1="${y}" x2="${num(m.left + pw)}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<line x1="${num(m.left - 5)}" y1="${y}" x2="${num(m.left)}" y2="${y}"/>`);
    parts.push(`<text x="${num(m.left - 8)}" y="${num(py(t) + 4)}" text-anchor="end" stroke="none">${escapeXml(label)}</text>`);
  }
  parts.push(`<rect x="${num(m.left)}" y="${num(m.top)}" width="${num(pw)}" height="${num(ph)}" fill="none"/>`);
  parts.push('</g>');
  if (xLabel !== '') {
    parts.push(`<text x="${num(m.left + pw / 2)}" y="${num(height - 12)}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  }
  if (yLabel !== '') {
    const cx = 16;
    const cy = m.top + ph / 2;
    parts.push(`<text x="${num(cx)}" y="${num(cy)}" text-anchor="middle" transform="rotate(-90 ${num(cx)} ${num(cy)})">${escapeXml(yLabel)}</text>`);
  }

  // Series.
  const styleOf = (i: number): { color: string; dash: string } => ({
    color: series[i]?.color ?? (PALETTE[i % PALETTE.length] as string),
    dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length] as string,
  });
  series.forEach((s, i) => {
    if (s.band === undefined) return;
    const { color } = styleOf(i);
    const { lo, hi } = s.band;
    // One polygon per run of consecutive usable points: along hi forwards, back along lo.
    let run: number[] = [];
    const flush = (): void => {
      if (run.length >= 2) {
        const pts = [...run.map((k) => `${num(px(s.xs[k] as number))},${num(py(ty(hi[k] as number)))}`), ...[...run].reverse().map((k) => `${num(px(s.xs[k] as number))},${num(py(ty(lo[k] as number)))}`)];
        parts.push(`<polygon class="band" points="${pts.join(' ')}" fill="${escapeXml(color)}" fill-opacity="0.18" stroke="none"/>`);
      }
      run = [];
    };
    s.xs.forEach((x, k) => (usable(x, lo[k] as number) && usable(x, hi[k] as number) ? run.push(k) : flush()));
    flush();
  });
  series.forEach((s, i) => {
    const { color, dash } = styleOf(i);
    let d = '';
    let pen = false;
    const dots: string[] = [];
    s.xs.forEach((x, k) => {
      const y = s.ys[k] as number;
      if (!usable(x, y)) {
        pen = false;
        return;
      }
      const X = num(px(x));
      const Y = num(py(ty(y)));
      d += `${pen ? 'L' : 'M'}${X} ${Y} `;
      pen = true;
      dots.push(`<circle cx="${X}" cy="${Y}" r="2.5"/>`);
    });
    parts.push(`<g class="series" fill="${escapeXml(color)}" stroke="${escapeXml(color)}">`);
    parts.push(`<title>${escapeXml(s.name)}</title>`);
    if (d !== '') {
      parts.push(`<path d="${d.trim()}" fill="none" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`);
    }
    if (options.markers ?? s.xs.length <= 40) parts.push(...dots);
    parts.push('</g>');
  });

  // Legend, to the right of the plot area.
  if (series.length > 0) {
    const lx = m.left + pw + 12;
    parts.push('<g class="legend">');
    series.forEach((s, i) => {
      const { color, dash } = styleOf(i);
      const y = m.top + 8 + i * 18;
      parts.push(
        `<line x1="${num(lx)}" y1="${num(y)}" x2="${num(lx + 22)}" y2="${num(y)}" stroke="${escapeXml(color)}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
      );
      parts.push(`<text x="${num(lx + 28)}" y="${num(y + 4)}">${escapeXml(s.name)}</text>`);
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** logTicks(lo, hi, step): tick positions (log10 units) on [lo, hi]: every step-th decade, plus 2× and 5× inside each decade when it spans at most three decades (so a log axis shows more than three ticks). */
function logTicks(lo: number, hi: number, step: number): number[] {
  const decades = ticksIn(lo, hi, step);
  if (hi - lo > 3) return decades;
  const out: number[] = [];
  for (let d = Math.floor(lo); d <= hi; d++) {
    for (const m of [1, 2, 5]) {
      const t = d + Math.log10(m);
      if (t >= lo - 1e-9 && t <= hi + 1e-9) out.push(t);
    }
  }
  return out;
}

/** formatLogTick(t): the label of 10^t, with the decimals its mantissa needs (0.002, 0.05, 20, 1e-5). */
function formatLogTick(t: number): string {
  const v = 10 ** t;
  const d = Math.floor(t + 1e-9);
  if (d <= -5 || d >= 6) return `${Math.round(v / 10 ** d)}e${d}`;
  return v.toFixed(Math.max(0, -d));
}
