import { checkSize, escapeXml, formatTick, isArray, niceStep, num, ticksIn, viridis, svgOpen } from './svg.js';
import { checkKeys } from '../validate.js';

/** Options of `contourSvg`. */
export interface ContourOptions {
  /** The chart's title. */
  readonly title: string;
  /** Grid x values (columns of z), strictly increasing, at least 2. */
  readonly xs: readonly number[];
  /** Grid y values (rows of z), strictly increasing, at least 2. */
  readonly ys: readonly number[];
  /** z[j][i] = value at (xs[i], ys[j]): one row per y, one column per x (lossSlice2D's `losses`). Non-finite cells are grey. */
  readonly z: readonly (readonly number[])[];
  /** The x-axis label; default ''. */
  readonly xLabel?: string;
  /** The y-axis label; default ''. */
  readonly yLabel?: string;
  /** Label of the colour bar; default ''. */
  readonly zLabel?: string;
  /** Width in pixels; default 560. */
  readonly width?: number;
  /** Height in pixels; default 460. */
  readonly height?: number;
  /** Contour lines: a count of evenly spaced levels inside the colour range, or explicit levels; default 10, 0 for none. */
  readonly levels?: number | readonly number[];
  /** Colour range [lo, hi]; values outside are clamped. Default: the min and max of the finite z. */
  readonly zRange?: readonly [number, number];
  /** A point to mark with a cross, e.g. the trained weights at (0, 0); default none. */
  readonly marker?: {
    /** Its x. */
    readonly x: number;
    /** Its y. */
    readonly y: number;
  };
}

/**
 * contourSvg({ title, xs, ys, z, levels = 10, width = 560, height = 460 }): a standalone SVG heat-map of z[j][i] over (xs[i], ys[j]) with a viridis colour bar and optional contour lines (marching squares), e.g. a 2-D loss slice (Li et al. 2018).
 */
export function contourSvg(options: ContourOptions): string {
  const fn = 'contourSvg';
  checkKeys(fn, options, ['title', 'xs', 'ys', 'z', 'xLabel', 'yLabel', 'zLabel', 'width', 'height', 'levels', 'zRange', 'marker']);
  const { title, xs, ys, z, xLabel = '', yLabel = '', zLabel = '', width = 560, height = 460 } = options;
  checkSize(fn, 'width', width);
  checkSize(fn, 'height', height);
  const checkAxis = (name: string, a: readonly number[]): void => {
    if (!isArray(a) || a.length < 2) throw new RangeError(`${fn}: ${name} must hold at least 2 values`);
    a.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] is not finite`);
      if (i > 0 && !(v > (a[i - 1] as number))) throw new RangeError(`${fn}: ${name} must be strictly increasing (at index ${i})`);
    });
  };
  checkAxis('xs', xs);
  checkAxis('ys', ys);
  if (!isArray(z) || z.length !== ys.length) throw new RangeError(`${fn}: z must have one row per y (${ys.length}), got ${isArray(z) ? z.length : typeof z}`);
  z.forEach((row, j) => {
    if (!isArray(row) || row.length !== xs.length) throw new RangeError(`${fn}: z[${j}] must have one value per x (${xs.length})`);
  });

  let lo = Infinity;
  let hi = -Infinity;
  for (const row of z) for (const v of row) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (options.zRange !== undefined) {
    const [a, b] = options.zRange;
    if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > a)) throw new RangeError(`${fn}: zRange must be [lo, hi] with finite lo < hi`);
    [lo, hi] = [a, b];
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const flat = hi === lo;
  const tOf = (v: number): number => (flat ? 0.5 : (v - lo) / (hi - lo));

  let levels: number[];
  const lv = options.levels ?? 10;
  if (typeof lv === 'number') {
    if (!Number.isInteger(lv) || lv < 0) throw new RangeError(`${fn}: levels must be a non-negative integer or an array of numbers, got ${String(lv)}`);
    levels = flat ? [] : Array.from({ length: lv }, (_, k) => lo + ((hi - lo) * (k + 1)) / (lv + 1));
  } else {
    if (!isArray(lv)) throw new RangeError(`${fn}: levels must be a non-negative integer or an array of numbers`);
    lv.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new RangeError(`${fn}: levels[${k}] is not finite`);
    });
    levels = [...lv];
  }

  const barWidth = 16;
  const barLabelWidth = 64 + (zLabel === '' ? 0 : 18);
  const m = { left: 68, right: 24 + barWidth + barLabelWidth, top: 40, bottom: 52 };
  const pw = Math.max(10, width - m.left - m.right);
  const ph = Math.max(10, height - m.top - m.bottom);
  // Cell edges: midpoints between grid values, half a spacing beyond the ends.
  const edges = (a: readonly number[]): number[] => {
    const n = a.length;
    const e = [(a[0] as number) - ((a[1] as number) - (a[0] as number)) / 2];
    for (let i = 0; i < n - 1; i++) e.push(((a[i] as number) + (a[i + 1] as number)) / 2);
    e.push((a[n - 1] as number) + ((a[n - 1] as number) - (a[n - 2] as number)) / 2);
    return e;
  };
  const xe = edges(xs);
  const ye = edges(ys);
  const x0 = xe[0] as number;
  const x1 = xe[xe.length - 1] as number;
  const y0 = ye[0] as number;
  const y1 = ye[ye.length - 1] as number;
  const px = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * pw;
  const py = (y: number): number => m.top + ph - ((y - y0) / (y1 - y0)) * ph;

  const parts: string[] = svgOpen(width, height, title, m.left + pw / 2);

  // Heat-map cells.
  parts.push('<g class="heatmap" shape-rendering="crispEdges">');
  z.forEach((row, j) => {
    const top = py(ye[j + 1] as number);
    const h = py(ye[j] as number) - top;
    row.forEach((v, i) => {
      const left = px(xe[i] as number);
      const w = px(xe[i + 1] as number) - left;
      const fill = Number.isFinite(v) ? viridis(tOf(v)) : '#cccccc';
      parts.push(`<rect x="${num(left)}" y="${num(top)}" width="${num(w + 0.5)}" height="${num(h + 0.5)}" fill="${fill}"/>`);
    });
  });
  parts.push('</g>');

  // Contour lines by marching squares over the grid nodes.
  if (levels.length > 0) {
    parts.push('<g class="contours" fill="none" stroke="#ffffff" stroke-opacity="0.8" stroke-width="1">');
    for (const level of levels) {
      const d = contourSegments(xs, ys, z, level)
        .map(([ax, ay, bx, by]) => `M${num(px(ax))} ${num(py(ay))}L${num(px(bx))} ${num(py(by))}`)
        .join('');
      if (d !== '') parts.push(`<path d="${d}"><title>${escapeXml(formatTick(level, niceStep(Math.abs(level) || 1, 1000)))}</title></path>`);
    }
    parts.push('</g>');
  }

  if (options.marker !== undefined) {
    const { x, y } = options.marker;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const cx = px(x);
      const cy = py(y);
      parts.push(
        `<path d="M${num(cx - 6)} ${num(cy - 6)}L${num(cx + 6)} ${num(cy + 6)}M${num(cx - 6)} ${num(cy + 6)}L${num(cx + 6)} ${num(cy - 6)}" stroke="#ff3b30" stroke-width="2.5"/>`,
      );
    }
  }

  // Axes.
  parts.push('<g class="axes" stroke="#000000" stroke-width="1">');
  const xs_ = niceStep(x1 - x0, 6);
  for (const t of ticksIn(x0, x1, xs_)) {
    const x = num(px(t));
    parts.push(`<line x1="${x}" y1="${num(m.top + ph)}" x2="${x}" y2="${num(m.top + ph + 5)}"/>`);
    parts.push(`<text x="${x}" y="${num(m.top + ph + 18)}" text-anchor="middle" stroke="none">${escapeXml(formatTick(t, xs_))}</text>`);
  }
  const ys_ = niceStep(y1 - y0, 6);
  for (const t of ticksIn(y0, y1, ys_)) {
    const y = num(py(t));
    parts.push(`<line x1="${num(m.left - 5)}" y1="${y}" x2="${num(m.left)}" y2="${y}"/>`);
    parts.push(`<text x="${num(m.left - 8)}" y="${num(py(t) + 4)}" text-anchor="end" stroke="none">${escapeXml(formatTick(t, ys_))}</text>`);
  }
  parts.push(`<rect x="${num(m.left)}" y="${num(m.top)}" width="${num(pw)}" height="${num(ph)}" fill="none"/>`);
  parts.push('</g>');
  if (xLabel !== '') parts.push(`<text x="${num(m.left + pw / 2)}" y="${num(height - 12)}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  if (yLabel !== '') {
    const cx = 16;
    const cy = m.top + ph / 2;
    parts.push(`<text x="${num(cx)}" y="${num(cy)}" text-anchor="middle" transform="rotate(-90 ${num(cx)} ${num(cy)})">${escapeXml(yLabel)}</text>`);
  }

  // Colour bar.
  const bx = m.left + pw + 24;
  const steps = 64;
  parts.push('<g class="colorbar" shape-rendering="crispEdges">');
  for (let k = 0; k < steps; k++) {
    const top = m.top + (ph * (steps - 1 - k)) / steps;
    parts.push(`<rect x="${num(bx)}" y="${num(top)}" width="${barWidth}" height="${num(ph / steps + 0.5)}" fill="${viridis((k + 0.5) / steps)}"/>`);
  }
  parts.push(`<rect x="${num(bx)}" y="${num(m.top)}" width="${barWidth}" height="${num(ph)}" fill="none" stroke="#000000"/>`);
  parts.push('</g>');
  parts.push('<g class="colorbar-ticks" stroke="#000000">');
  const barY = (v: number): number => m.top + ph - (flat ? 0.5 : (v - lo) / (hi - lo)) * ph;
  if (flat) {
    parts.push(`<text x="${num(bx + barWidth + 6)}" y="${num(barY(lo) + 4)}" stroke="none">${escapeXml(formatTick(lo, Math.abs(lo) / 100 || 1))}</text>`);
  } else {
    const zs = niceStep(hi - lo, 6);
    for (const t of ticksIn(lo, hi, zs)) {
      const y = barY(t);
      parts.push(`<line x1="${num(bx + barWidth)}" y1="${num(y)}" x2="${num(bx + barWidth + 4)}" y2="${num(y)}"/>`);
      parts.push(`<text x="${num(bx + barWidth + 6)}" y="${num(y + 4)}" stroke="none">${escapeXml(formatTick(t, zs))}</text>`);
    }
    for (const level of levels) {
      if (level >= lo && level <= hi) {
        parts.push(`<line x1="${num(bx)}" y1="${num(barY(level))}" x2="${num(bx + barWidth)}" y2="${num(barY(level))}" stroke="#ffffff" stroke-opacity="0.8"/>`);
      }
    }
  }
  parts.push('</g>');
  if (zLabel !== '') {
    const cx = width - 10;
    const cy = m.top + ph / 2;
    parts.push(`<text x="${num(cx)}" y="${num(cy)}" text-anchor="middle" transform="rotate(-90 ${num(cx)} ${num(cy)})">${escapeXml(zLabel)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/**
 * contourSegments(xs, ys, z, level): the line segments [x₁, y₁, x₂, y₂] of the level set z = level, by marching
 * squares with linear interpolation on cell edges (saddles resolved by the cell's centre value); cells with a
 * non-finite corner are skipped.
 */
export function contourSegments(
  xs: readonly number[],
  ys: readonly number[],
  z: readonly (readonly number[])[],
  level: number,
): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < xs.length; i++) {
      const xa = xs[i] as number;
      const xb = xs[i + 1] as number;
      const ya = ys[j] as number;
      const yb = ys[j + 1] as number;
      // Corners counter-clockwise from bottom-left: a (xa, ya), b (xb, ya), c (xb, yb), d (xa, yb).
      const a = z[j]?.[i] as number;
      const b = z[j]?.[i + 1] as number;
      const c = z[j + 1]?.[i + 1] as number;
      const d = z[j + 1]?.[i] as number;
      if (![a, b, c, d].every(Number.isFinite)) continue;
      const code = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const lerp = (p: number, q: number): number => (q === p ? 0.5 : (level - p) / (q - p));
      // Crossing points on edges: 0 bottom (a–b), 1 right (b–c), 2 top (d–c), 3 left (a–d).
      const edge = (e: number): [number, number] => {
        switch (e) {
          case 0:
            return [xa + (xb - xa) * lerp(a, b), ya];
          case 1:
            return [xb, ya + (yb - ya) * lerp(b, c)];
          case 2:
            return [xa + (xb - xa) * lerp(d, c), yb];
          default:
            return [xa, ya + (yb - ya) * lerp(a, d)];
        }
      };
      const seg = (e1: number, e2: number): void => {
        const [p, q] = edge(e1);
        const [r, s] = edge(e2);
        out.push([p, q, r, s]);
      };
      const crossings = [0, 1, 2, 3].filter((e) => {
        const [p, q] = e === 0 ? [a, b] : e === 1 ? [b, c] : e === 2 ? [d, c] : [a, d];
        return p >= level !== q >= level;
      });
      if (crossings.length === 2) {
        seg(crossings[0] as number, crossings[1] as number);
      } else if (crossings.length === 4) {
        const centreHigh = (a + b + c + d) / 4 >= level;
        // code 5: a, c high; code 10: b, d high. Connect around the corners that are cut off.
        const cutAC = code === 5 ? !centreHigh : centreHigh; // true: isolate corners a and c
        if (cutAC) {
          seg(3, 0); // around a
          seg(1, 2); // around c
        } else {
          seg(0, 1); // around b
          seg(2, 3); // around d
        }
      }
    }
  }
  return out;
}
