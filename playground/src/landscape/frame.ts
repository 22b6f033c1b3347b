// The contour plot's frame: the rectangle of the canvas the surface fills, and the maps between the plane and pixels.

/** A plot rectangle inside a canvas and the domain it shows. */
export interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly domain: readonly [readonly [number, number], readonly [number, number]];
}

/** frameFor(canvasW, canvasH, domain): the plot area, with margins for the axes' ticks (left, bottom) and the colour bar (right). */
export function frameFor(canvasW: number, canvasH: number, domain: Frame['domain']): Frame {
  return { left: 38, top: 8, width: canvasW - 92, height: canvasH - 34, domain };
}

/** toPx(f, [x, y]): the canvas pixel of a point of the plane (y up). */
export function toPx(f: Frame, p: readonly [number, number]): [number, number] {
  const [[x0, x1], [y0, y1]] = f.domain;
  return [f.left + ((p[0] - x0) / (x1 - x0)) * f.width, f.top + ((y1 - p[1]) / (y1 - y0)) * f.height];
}

/** toPlane(f, [px, py]): the point of the plane under a canvas pixel. */
export function toPlane(f: Frame, px: readonly [number, number]): [number, number] {
  const [[x0, x1], [y0, y1]] = f.domain;
  return [x0 + ((px[0] - f.left) / f.width) * (x1 - x0), y1 - ((px[1] - f.top) / f.height) * (y1 - y0)];
}

/** inside(f, [px, py]): whether a pixel lies in the plot area. */
export const inside = (f: Frame, px: readonly [number, number]): boolean => px[0] >= f.left && px[0] <= f.left + f.width && px[1] >= f.top && px[1] <= f.top + f.height;

/** ticks(lo, hi, n): about n round values in [lo, hi]. */
export function ticks(lo: number, hi: number, n = 6): number[] {
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(6)));
  return out;
}
