// The chart's legend: a swatch per method in its colour, and a note on the dashed lines when a mix also runs on a worker.
import { COLOUR, LABEL, isMix, type Method } from './methods.ts';
import type { Mixes } from './workers.ts';

/** showLegend(el, methods, mixes): fill `el` with the legend of a run of these methods. */
export function showLegend(el: HTMLElement, methods: readonly Method[], mixes: Mixes): void {
  const dashed = Object.assign(document.createElement('span'), { className: 'live-legend-item live-legend-dashed', textContent: 'dashed: the same method with a Web Worker' });
  el.replaceChildren(
    ...methods.map((m) => {
      const item = Object.assign(document.createElement('span'), { className: 'live-legend-item' });
      const sw = Object.assign(document.createElement('span'), { className: 'swatch' });
      sw.style.background = COLOUR[m];
      item.append(sw, document.createTextNode(LABEL[m]));
      return item;
    }),
    ...(mixes !== 'sequential' && methods.some(isMix) ? [dashed] : []),
  );
}
