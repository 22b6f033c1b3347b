// The formula cards under the plot: each optimizer's describe() text (optimix's own printer), its cost (gradient
// evaluations per step, sequential depth) and where its trajectory is now.
import { cost, describe, type Optimizer } from 'optimix';
import { LABELS, METHODS, type Method } from './methods.ts';

/** The cards, one per method; update(opts, errors) refreshes their formulas. */
export interface Cards {
  readonly el: HTMLElement;
  /** update(opts, errors, ownPage): the formulas; ownPage, the docs/methods page of the own preset (linked under its card). */
  update(opts: Partial<Record<Method, Optimizer>>, errors: Partial<Record<Method, string>>, ownPage?: string): void;
}

/** costLine(opt): e.g. "2 gradient evaluations per step, depth 2 (one after the other)". */
export function costLine(opt: Optimizer): string {
  const c = cost(opt.source);
  const g = `${c.gradients} gradient evaluation${c.gradients === 1 ? '' : 's'} per step`;
  return c.gradients <= 1 ? g : `${g}, sequential depth ${c.depth}${c.depth < c.gradients ? ' (the rest can run at once)' : ' (one after the other)'}`;
}

/** cards(): the four formula cards. */
export function cards(): Cards {
  const el = document.createElement('div');
  el.className = 'ls-cards';
  const parts = Object.fromEntries(
    METHODS.map((m) => {
      const card = document.createElement('article');
      card.className = `ls-card ls-${m}`;
      card.dataset.method = m;
      const h = document.createElement('h4');
      h.innerHTML = `<span class="ls-swatch"></span>`;
      h.append(LABELS[m]);
      const pre = document.createElement('pre');
      pre.className = 'ls-describe';
      const c = document.createElement('p');
      c.className = 'ls-cost';
      const page = document.createElement('p');
      page.className = 'ls-page';
      card.append(h, pre, c, page);
      el.append(card);
      return [m, { pre, c, page }] as const;
    }),
  ) as unknown as Record<Method, { pre: HTMLElement; c: HTMLElement; page: HTMLElement }>;
  return {
    el,
    update: (opts, errors, ownPage) => {
      for (const m of METHODS) {
        const o = opts[m];
        parts[m].pre.textContent = o === undefined ? `cannot build: ${errors[m] ?? 'unknown error'}` : describe(o);
        parts[m].pre.classList.toggle('ls-error', o === undefined);
        parts[m].c.textContent = o === undefined ? '' : `Cost: ${costLine(o)}.`;
      }
      const page = parts.own.page;
      page.replaceChildren();
      if (ownPage !== undefined) {
        const a = Object.assign(document.createElement('a'), { href: `#learn?page=${encodeURIComponent(ownPage)}`, textContent: `How it works: docs/methods/${ownPage}.md` });
        page.append(a);
      }
    },
  };
}
