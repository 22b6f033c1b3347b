/**
 * Small helpers shared by the SVG chart builders: XML escaping, coordinate formatting, "nice" axis ticks,
 * a categorical palette and the viridis colour map. Pure string/number functions, no dependency.
 */

/** svgOpen(width, height, title, titleX): the opening <svg> tag, its <title>, a white background and a bold heading at titleX. */
export function svgOpen(width: number, height: number, title: string, titleX: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`,
    `<text x="${num(titleX)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}

/** escapeXml(s): s with & < > " ' replaced by entities, safe in text and in attribute values. */
export function escapeXml(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** num(x): a coordinate with at most 2 decimals; throws on NaN/±∞ so no invalid number reaches the SVG. */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`svg: non-finite coordinate ${String(x)}`);
  const r = Math.round(x * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** niceStep(range, count): a step of 1, 2, 2.5 or 5 × 10^k giving about count intervals over range. */
export function niceStep(range: number, count: number): number {
  const raw = range / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * mag;
}

/** niceDomain(lo, hi, count): [lo, hi] widened to multiples of a nice step, with that step; degenerate ranges are padded. */
export function niceDomain(lo: number, hi: number, count = 5): { lo: number; hi: number; step: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1, step: 0.2 };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  return { lo: Math.floor(lo / step + 1e-9) * step, hi: Math.ceil(hi / step - 1e-9) * step, step };
}

/** ticksIn(lo, hi, step): the multiples of step in [lo, hi] (with a small tolerance). */
export function ticksIn(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let i = first; i <= last && out.length < 1000; i++) out.push(i * step);
  return out;
}

/** formatTick(v, step): a tick label with as many decimals as the step needs (exponent form for extreme magnitudes). */
export function formatTick(v: number, step: number): string {
  if (Math.abs(v) < step * 1e-9) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || (a < 1e-4 && a > 0)) return v.toExponential(Math.max(0, Math.min(6, Math.ceil(-Math.log10(step / a) - 1e-9))));
  const k = Math.floor(Math.log10(step) + 1e-9);
  const mantissa = step / 10 ** k;
  const decimals = Math.max(0, Math.min(10, -k + (Math.abs(mantissa - 2.5) < 1e-6 ? 1 : 0)));
  return v.toFixed(decimals);
}

/** PALETTE: ten distinguishable series colours (matplotlib's tab10). */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** Dash patterns used, with the palette, to tell apart more than ten series. */
export const DASHES: readonly string[] = ['', '6 3', '2 2', '8 3 2 3'];

const VIRIDIS = ['#440154', '#482777', '#3e4a89', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

/** viridis(t): the viridis colour at t ∈ [0, 1] (clamped), as #rrggbb, by linear interpolation of 10 stops. */
export function viridis(t: number): string {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const x = u * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i] as string;
  const b = VIRIDIS[i + 1] as string;
  let out = '#';
  for (let c = 1; c < 7; c += 2) {
    const va = parseInt(a.slice(c, c + 2), 16);
    const vb = parseInt(b.slice(c, c + 2), 16);
    out += Math.round(va + (vb - va) * f)
      .toString(16)
      .padStart(2, '0');
  }
  return out;
}

/** checkSize(fn, option, v): a finite positive size in pixels. */
export function checkSize(fn: string, option: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 50) throw new RangeError(`${fn}: ${option} must be a number ≥ 50 (pixels), got ${String(v)}`);
}

/** textWidth(s, size): a rough width estimate of s in a sans-serif font of the given size. */
export function textWidth(s: string, size = 12): number {
  return s.length * size * 0.6;
}

/** isArray(x): Array.isArray without narrowing a typed readonly array to any[]. */
export function isArray(x: unknown): boolean {
  return Array.isArray(x);
}
