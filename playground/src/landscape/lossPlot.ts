// The loss-against-step plot beside the contours: f(w_t) of each optimizer (the expected loss on the noisy quadratic,
// so the four curves are comparable), on a log axis for surfaces drawn log-scaled.
import { ticks } from './frame.ts';
import { METHODS, type Method } from './methods.ts';
import type { Track } from './run.ts';

const M = { left: 52, right: 12, top: 10, bottom: 30 };

/** drawLoss(ctx, [W, H], tracks, colour, steps, log): on a W × H (CSS px) canvas, axes from step 0 to `steps` (or further, if run past it) and the four curves. */
export function drawLoss(ctx: CanvasRenderingContext2D, [W, H]: readonly [number, number], tracks: Record<Method, Track>, colour: Record<Method, string>, steps: number, log: boolean): void {
  ctx.clearRect(0, 0, W, H);
  const all = METHODS.flatMap((m) => tracks[m].losses).filter(Number.isFinite);
  if (all.length === 0) return;
  const n = Math.max(steps, ...METHODS.map((m) => tracks[m].losses.length - 1), 1);
  const tr = (v: number): number => (log ? Math.log10(Math.max(v, 1e-6)) : v);
  let lo = Math.min(...all.map(tr));
  let hi = Math.max(...all.map(tr));
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const X = (t: number): number => M.left + (t / n) * pw;
  const Y = (v: number): number => M.top + ((hi - tr(v)) / (hi - lo)) * ph;
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#5b6475';
  ctx.strokeStyle = '#e4e7ee';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yt = log ? ticks(lo, hi, 4).filter((t) => Number.isInteger(t)) : ticks(lo, hi, 5);
  for (const t of yt) {
    const y = M.top + ((hi - t) / (hi - lo)) * ph;
    ctx.beginPath();
    ctx.moveTo(M.left, y);
    ctx.lineTo(W - M.right, y);
    ctx.stroke();
    ctx.fillText(log ? `1e${t}` : String(t), M.left - 6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(0, n, 5)) ctx.fillText(String(t), X(t), H - M.bottom + 6);
  ctx.strokeStyle = '#8a93a5';
  ctx.strokeRect(M.left + 0.5, M.top + 0.5, pw, ph);
  ctx.save();
  ctx.beginPath();
  ctx.rect(M.left, M.top, pw, ph);
  ctx.clip();
  ctx.lineWidth = 2;
  for (const m of METHODS) {
    ctx.beginPath();
    tracks[m].losses.forEach((v, t) => (t === 0 ? ctx.moveTo(X(t), Y(v)) : ctx.lineTo(X(t), Y(v))));
    ctx.strokeStyle = colour[m];
    ctx.stroke();
  }
  ctx.restore();
}
