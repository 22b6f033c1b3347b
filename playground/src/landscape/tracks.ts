// The trajectories on the contour plot: one polyline per optimizer from the shared start, a dot where it is now, and
// the start marked with a ring (drawn on the overlay canvas above the contours).
import { toPx, type Frame } from './frame.ts';
import { METHODS, type Method } from './methods.ts';
import type { Track } from './run.ts';

/** colours(): each method's colour, from the shell's CSS variables (--sgd, --sam, --rwp, --own). */
export function colours(): Record<Method, string> {
  const css = getComputedStyle(document.documentElement);
  return Object.fromEntries(METHODS.map((m) => [m, css.getPropertyValue(`--${m}`).trim() || '#333'])) as Record<Method, string>;
}

/** drawTracks(ctx, f, tracks, colour, start): the four paths, their heads, and the start. */
export function drawTracks(ctx: CanvasRenderingContext2D, f: Frame, tracks: Record<Method, Track>, colour: Record<Method, string>, start: readonly [number, number]): void {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.width, f.height);
  ctx.clip();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const m of METHODS) {
    const pts = tracks[m].points.map((p) => toPx(f, p));
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = 4.5;
    ctx.stroke();
    ctx.strokeStyle = colour[m];
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  for (const m of METHODS) {
    const [x, y] = toPx(f, tracks[m].points.at(-1) as [number, number]);
    ctx.beginPath();
    ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
    ctx.fillStyle = colour[m];
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  const [sx, sy] = toPx(f, start);
  ctx.beginPath();
  ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
  ctx.strokeStyle = '#1d2330';
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.restore();
}
