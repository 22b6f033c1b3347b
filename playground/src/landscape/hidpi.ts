// Canvases drawn at the screen's pixel density: the backing store is devicePixelRatio times the CSS size, and the
// context is scaled so that drawing code works in CSS pixels.

/** hiDpi(canvas, w, h): size the canvas to w × h CSS pixels at the device's density; its 2-D context, scaled. */
export function hiDpi(canvas: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** density(ctx): the context's scale (device pixels per CSS pixel). */
export const density = (ctx: CanvasRenderingContext2D): number => ctx.getTransform().a;
