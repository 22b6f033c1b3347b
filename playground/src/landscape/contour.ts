// The contour plot's background: f on a grid the size of the plot area (one tfjs call), cut into filled levels
// (linear, or log-spaced for surfaces spanning decades) with a darker line where the level changes, and the axes.
import * as tf from '@tensorflow/tfjs-core';
import type { Surface } from './surfaces.ts';
import { ticks, type Frame } from './frame.ts';
import { density } from './hidpi.ts';

/** LEVELS: the number of filled levels. */
const LEVELS = 18;
/** The colour ramp from the lowest level to the highest (pale, so the trajectories stand out). */
const LOW = [70, 120, 190];
const HIGH = [250, 248, 240];

/** levelColour(k): the RGB of level k of LEVELS (k = 0 lowest), gamma-eased toward the pale end. */
function levelColour(k: number): number[] {
  const u = (k / (LEVELS - 1)) ** 0.6;
  return LOW.map((lo, i) => Math.round(lo + ((HIGH[i] as number) - lo) * u));
}

/** grid(s, f, w, h): f at the centres of a w × h grid of cells over the plot area, row-major from the top row. */
export function grid(s: Surface, f: Frame, w: number, h: number): Float32Array {
  const [[x0, x1], [y0, y1]] = f.domain;
  return tf.tidy(() => {
    const xs = tf.add(x0, tf.mul((x1 - x0) / w, tf.add(tf.range(0, w, 1), 0.5)));
    const ys = tf.sub(y1, tf.mul((y1 - y0) / h, tf.add(tf.range(0, h, 1), 0.5)));
    const X = tf.tile(tf.reshape(xs, [1, w]), [h, 1]);
    const Y = tf.tile(tf.reshape(ys, [h, 1]), [1, w]);
    return s.field(X, Y).dataSync() as Float32Array;
  });
}

/** Levels: f → its level index, and the value where level k begins (k = 0 … LEVELS). */
export interface Levels {
  readonly level: (v: number) => number;
  readonly bound: (k: number) => number;
}

/** levelsOf(values, log): LEVELS levels spanning the grid's range, evenly or (log) evenly in log(f − min + span·1e-4). */
export function levelsOf(values: Float32Array, log: boolean): Levels {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const span = hi - lo || 1;
  const clamp = (k: number): number => Math.max(0, Math.min(LEVELS - 1, Math.floor(k)));
  if (log) {
    const floor = span * 1e-4;
    const [l0, l1] = [Math.log(floor), Math.log(span + floor)];
    return { level: (v) => clamp(((Math.log(v - lo + floor) - l0) / (l1 - l0)) * LEVELS), bound: (k) => lo + Math.exp(l0 + (k / LEVELS) * (l1 - l0)) - floor };
  }
  return { level: (v) => clamp(((v - lo) / span) * LEVELS), bound: (k) => lo + (k / LEVELS) * span };
}

/** paintContours(ctx, s, f): fill the plot area with the surface's levels and lines (one cell per device pixel), and draw the axes. */
export function paintContours(ctx: CanvasRenderingContext2D, s: Surface, f: Frame): void {
  const dpr = density(ctx);
  const w = Math.round(f.width * dpr);
  const h = Math.round(f.height * dpr);
  const values = grid(s, f, w, h);
  const levels = levelsOf(values, s.log);
  const idx = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) idx[i] = levels.level(values[i] as number);
  const colours = Array.from({ length: LEVELS }, (_, k) => levelColour(k));
  const img = ctx.createImageData(w, h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const p = j * w + i;
      const k = idx[p] as number;
      const edge = (i + 1 < w && idx[p + 1] !== k) || (j + 1 < h && idx[p + w] !== k);
      const c = colours[k] as number[];
      const dim = edge ? 0.72 : 1;
      img.data[4 * p] = (c[0] as number) * dim;
      img.data[4 * p + 1] = (c[1] as number) * dim;
      img.data[4 * p + 2] = (c[2] as number) * dim;
      img.data[4 * p + 3] = 255;
    }
  }
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.putImageData(img, Math.round(f.left * dpr), Math.round(f.top * dpr));
  drawAxes(ctx, f);
  drawColourBar(ctx, f, levels, colours);
}

/** short(v): a label of at most 5 characters, e.g. 0.25, 31, 3e3, 3e-4. */
const short = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toExponential(0).replace('e+', 'e') : Number(v.toPrecision(2)).toString());

/** drawColourBar(ctx, f, levels, colours): the levels as a bar right of the plot, labelled with f at five of their edges. */
function drawColourBar(ctx: CanvasRenderingContext2D, f: Frame, levels: Levels, colours: readonly number[][]): void {
  const x = f.left + f.width + 8;
  const step = f.height / LEVELS;
  colours.forEach((c, k) => {
    ctx.fillStyle = `rgb(${c.join(',')})`;
    ctx.fillRect(x, f.top + f.height - (k + 1) * step, 10, step + 0.5);
  });
  ctx.strokeStyle = '#8a93a5';
  ctx.strokeRect(x + 0.5, f.top + 0.5, 10, f.height - 1);
  ctx.fillStyle = '#5b6475';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const k of [0, LEVELS / 4, LEVELS / 2, (3 * LEVELS) / 4, LEVELS]) {
    const v = levels.bound(k);
    ctx.fillText(short(v), x + 13, f.top + f.height - k * step);
  }
}

/** drawAxes(ctx, f): the frame's border and tick labels. */
function drawAxes(ctx: CanvasRenderingContext2D, f: Frame): void {
  const [[x0, x1], [y0, y1]] = f.domain;
  ctx.strokeStyle = '#8a93a5';
  ctx.lineWidth = 1;
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.width - 1, f.height - 1);
  ctx.fillStyle = '#5b6475';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(x0, x1)) ctx.fillText(String(t), f.left + ((t - x0) / (x1 - x0)) * f.width, f.top + f.height + 5);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks(y0, y1, 5)) ctx.fillText(String(t), f.left - 5, f.top + ((y1 - t) / (y1 - y0)) * f.height);
}
