// A strip of training digits with the labels the network is taught: with label noise on, the flipped ones are
// marked (true label struck through), so the user sees what "40 % of labels flipped" means.
import type { Dataset } from 'optimix/data';

/** digitStrip(train, count): a row of the first `count` training digits, each with its (possibly wrong) training label. */
export function digitStrip(train: Dataset, count = 16): HTMLElement {
  const strip = document.createElement('div');
  strip.className = 'live-digits';
  const [h, w] = train.shape;
  for (let i = 0; i < Math.min(count, train.n); i++) {
    const cell = document.createElement('figure');
    const canvas = Object.assign(document.createElement('canvas'), { width: w, height: h });
    const ctx = canvas.getContext('2d');
    if (ctx !== null) {
      const img = ctx.createImageData(w, h);
      for (let p = 0; p < h * w; p++) {
        const v = 255 - Math.round(train.x[i * h * w + p]! * 255);
        img.data.set([v, v, v, 255], 4 * p);
      }
      ctx.putImageData(img, 0, 0);
    }
    const cap = document.createElement('figcaption');
    const truth = train.cleanY?.[i];
    const label = train.y[i]!;
    if (truth !== undefined && truth !== label) {
      cell.className = 'flipped';
      cap.innerHTML = `<s>${truth}</s> ${label}`;
      cell.title = `a ${truth}, labelled ${label} for training`;
    } else cap.textContent = String(label);
    cell.append(canvas, cap);
    strip.append(cell);
  }
  return strip;
}
