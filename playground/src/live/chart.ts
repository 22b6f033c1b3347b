// The test-accuracy chart: accuracy (%) against epoch, one line per method in its colour, drawn in plain SVG (a few
// dozen points per line: nothing a plotting library would add). `draw` redraws the whole chart from the curves. A run
// on the worker interpreter is dashed over its sequential twin (the same numbers: the lines coincide).
import { COLOUR, LABEL, type Method } from './methods.ts';
import type { EpochPoint } from './run.ts';

const NS = 'http://www.w3.org/2000/svg';
const W = 900;
const H = 330;
const PAD = { left: 48, right: 16, top: 14, bottom: 40 };

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A round tick step for a span (1, 2, 5 × 10^k), about `n` ticks. */
function tickStep(span: number, n: number): number {
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

/** One line: a method's curve, dashed when it ran on workers. */
export interface ChartLine {
  readonly method: Method;
  readonly dashed: boolean;
  readonly points: readonly EpochPoint[];
}

/** accuracyChart(): an empty chart (an <svg>), and `draw(lines, epochs)` to show the lines on an x axis 0…epochs. */
export function accuracyChart(): { readonly svg: SVGSVGElement; readonly draw: (lines: readonly ChartLine[], epochs: number) => void } {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'live-chart', role: 'img', 'aria-label': 'test accuracy against epoch, one line per method' });
  const draw = (lines: readonly ChartLine[], epochs: number): void => {
    svg.replaceChildren();
    const all = lines.flatMap((l) => l.points).map((p) => p.accuracy * 100);
    const lo = all.length === 0 ? 0 : Math.max(0, Math.floor(Math.min(...all) / 10) * 10);
    const x = (e: number): number => PAD.left + (e / Math.max(1, epochs)) * (W - PAD.left - PAD.right);
    const y = (a: number): number => PAD.top + (1 - (a - lo) / (100 - lo)) * (H - PAD.top - PAD.bottom);
    const grid = el('g', { class: 'grid' });
    for (let a = lo; a <= 100; a += tickStep(100 - lo, 5)) {
      grid.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(a), y2: y(a) }));
      grid.append(el('text', { x: PAD.left - 6, y: y(a) + 4, 'text-anchor': 'end' }, `${a}%`));
    }
    const xs = Math.max(1, tickStep(Math.max(1, epochs), 8)); // whole epochs only
    for (let e = 0; e <= epochs; e += xs) grid.append(el('text', { x: x(e), y: H - PAD.bottom + 16, 'text-anchor': 'middle' }, String(e)));
    grid.append(el('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis-title' }, 'epoch'));
    grid.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom, class: 'axis' }));
    svg.append(grid);
    for (const { method: m, dashed, points: pts } of lines) {
      if (pts.length === 0) continue;
      const g = el('g', { class: `line line-${m}${dashed ? ' dashed' : ''}`, style: `color: ${COLOUR[m]}` });
      g.append(el('polyline', { points: pts.map((p) => `${x(p.epoch).toFixed(1)},${y(p.accuracy * 100).toFixed(1)}`).join(' ') }));
      const last = pts[pts.length - 1]!;
      g.append(el('circle', { cx: x(last.epoch), cy: y(last.accuracy * 100), r: 3.5 }));
      g.append(el('title', {}, `${LABEL[m]}${dashed ? ' (workers: 1)' : ''}: ${(last.accuracy * 100).toFixed(1)}% after epoch ${last.epoch}`));
      svg.append(g);
    }
  };
  draw([], 1);
  return { svg, draw };
}
