// The legend beside the loss plot: each optimizer's colour and name, and where it is now — its point, f there, the
// named region it lies in (e.g. "the sharp basin"), or why it stopped. Its items carry the numbers as data-* too.
import { LABELS, METHODS, type Method } from './methods.ts';
import type { Run } from './run.ts';
import { regionOf } from './surfaces.ts';

/** legend(): the list; update(run) refreshes it. */
export function legend(): { readonly el: HTMLElement; update(run: Run): void } {
  const el = document.createElement('ul');
  el.className = 'ls-legend';
  const items = Object.fromEntries(
    METHODS.map((m) => {
      const li = document.createElement('li');
      li.className = `ls-${m}`;
      li.dataset.method = m;
      const name = document.createElement('strong');
      name.innerHTML = '<span class="ls-swatch"></span>';
      name.append(LABELS[m]);
      const where = document.createElement('span');
      li.append(name, where);
      el.append(li);
      return [m, { li, where }];
    }),
  ) as unknown as Record<Method, { li: HTMLElement; where: HTMLElement }>;
  return {
    el,
    update: (run) => {
      for (const m of METHODS) {
        const tr = run.tracks[m];
        const p = run.last(m);
        const f = tr.losses.at(-1) as number;
        const region = regionOf(run.surface, p);
        const { li, where } = items[m];
        Object.assign(li.dataset, { x: String(p[0]), y: String(p[1]), loss: String(f), steps: String(tr.points.length - 1), region: region ?? '', stopped: tr.stopped ?? '' });
        where.textContent = `at (${p[0].toFixed(2)}, ${p[1].toFixed(2)}), f = ${f.toPrecision(3)}${region === undefined ? '' : ` — ${region}`}${tr.stopped === undefined ? '' : ` (stopped: ${tr.stopped})`}`;
      }
    },
  };
}
