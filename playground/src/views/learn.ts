// The "How SAM and RWP work" view: every docs/methods page, rendered from the repository's Markdown at build time,
// with a table of each preset's formula and cost as optimix itself prints them, the source files a page cites one
// click away, and a link that opens the loss landscapes with that method as "your own" (`#landscapes?own=<id>`).
import '../learn/learn.css';
import { loadCode } from '../learn/code.ts';
import { glance } from '../learn/glance.ts';
import { pageLinks } from '../learn/links.ts';
import { escapeHtml, renderMarkdown } from '../learn/markdown.ts';
import { PAGES } from '../learn/pages.ts';
import { isPreset, presetLabel } from '../landscape/presets.ts';

const INTRO = `<p>Both families look for <strong>flat minima</strong> — weights where the loss stays low when the weights move a little — and both do it by
taking the gradient somewhere other than at the weights w. <strong>SAM</strong> takes it at the <em>worst</em> nearby point, w + ρ·g/‖g‖, found by one
ascent step: two gradients, one after the other. <strong>RWP</strong> takes it at a <em>random</em> nearby point w + ε and mixes it with the clean
gradient: two gradients that do not depend on each other, so they can run at the same time. In optimix each is a gradient <em>source</em>, data that
prints its own formula; the update rule after it is the same SGD. Below: every page of <code>docs/methods</code>, with a link to run the method on the
loss landscapes.</p>`;

const pageParam = (): string | null => new URLSearchParams(location.hash.split('?')[1] ?? '').get('page');

export function mount(root: HTMLElement): void {
  const ids = PAGES.map((p) => p.id);
  const link = pageLinks(ids);
  const intro = document.createElement('section');
  intro.className = 'lr-intro';
  intro.innerHTML = `<h2>How SAM and RWP work</h2>${INTRO}<h3>At a glance</h3>`;
  intro.append(glance(PAGES, (id) => select(id, true)));

  const nav = document.createElement('nav');
  nav.className = 'lr-nav';
  nav.setAttribute('aria-label', 'method pages');
  const list = document.createElement('ol');
  for (const p of PAGES) {
    const li = document.createElement('li');
    li.innerHTML = `<button type="button" data-page="${escapeHtml(p.id)}">${escapeHtml(p.title)}</button>`;
    list.append(li);
  }
  nav.append(list);

  const pages = document.createElement('div');
  pages.className = 'lr-pages';
  for (const p of PAGES) {
    const a = document.createElement('article');
    a.className = 'lr-page';
    a.dataset.page = p.id;
    a.hidden = true;
    const tryIt = isPreset(p.id)
      ? `<p class="lr-try"><a href="#landscapes?own=${escapeHtml(p.id)}" data-try="${escapeHtml(p.id)}">Try ${escapeHtml(presetLabel(p.id))} on the loss landscapes →</a></p>`
      : '<p class="lr-try lr-none">The loss landscapes have no preset for this page yet.</p>';
    a.innerHTML = `${tryIt}${renderMarkdown(p.md, link)}<p class="lr-file">From <code>docs/methods/${escapeHtml(p.id)}.md</code>.</p>`;
    pages.append(a);
  }
  const body = document.createElement('div');
  body.className = 'lr-body';
  body.append(nav, pages);
  root.append(intro, body);

  /** select(id, scroll): show one page (and mark its button), keeping the hash in step. */
  function select(id: string, scroll = false, anchor?: string): void {
    const page = ids.includes(id) ? id : (ids.includes('rwp') ? 'rwp' : (ids[0] as string));
    for (const a of pages.querySelectorAll<HTMLElement>('article')) a.hidden = a.dataset.page !== page;
    for (const b of nav.querySelectorAll<HTMLElement>('button')) b.classList.toggle('active', b.dataset.page === page);
    root.dataset.page = page;
    if (location.hash.startsWith('#learn')) history.replaceState(null, '', `#learn?page=${page}`);
    const target = anchor === undefined ? undefined : pages.querySelector(`article[data-page="${page}"] [id="${CSS.escape(anchor)}"]`);
    if (target) target.scrollIntoView({ block: 'start' });
    else if (scroll) body.scrollIntoView({ block: 'start' });
  }

  root.addEventListener('click', (e) => {
    const t = e.target as HTMLElement;
    const pageLink = t.closest<HTMLElement>('[data-page]:is(a, button)');
    if (pageLink !== null && !pageLink.classList.contains('lr-open')) {
      e.preventDefault();
      select(pageLink.dataset.page as string, pageLink.tagName === 'A', pageLink.dataset.anchor);
      return;
    }
    const code = t.closest<HTMLElement>('a[data-code]');
    if (code !== null) {
      e.preventDefault();
      void toggleCode(code);
    }
  });

  /** toggleCode(a): show (or hide) the cited file's text under the block that cites it. */
  async function toggleCode(a: HTMLElement): Promise<void> {
    const path = a.dataset.code as string;
    const block = a.closest('p, li, td, th') ?? a;
    const next = block.nextElementSibling;
    if (next instanceof HTMLElement && next.dataset.codeOf === path) {
      next.remove();
      return;
    }
    const box = document.createElement('div');
    box.className = 'lr-source';
    box.dataset.codeOf = path;
    box.innerHTML = `<p class="lr-source-head"><code>${escapeHtml(path)}</code> — the file as it is in this build</p>`;
    const pre = document.createElement('pre');
    pre.textContent = 'Loading…';
    box.append(pre);
    block.after(box);
    try {
      pre.textContent = await loadCode(path);
    } catch (err) {
      pre.textContent = err instanceof Error ? err.message : String(err);
    }
  }

  window.addEventListener('hashchange', () => {
    const p = pageParam();
    if (location.hash.startsWith('#learn') && p !== null && p !== root.dataset.page) select(p);
  });
  select(pageParam() ?? 'rwp');
  root.dataset.state = 'ready';
  root.dataset.shot = 'ready';
}
