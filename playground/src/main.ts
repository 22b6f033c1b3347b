// The playground's shell: tabs (one per view, routed by the URL's hash), each view mounted the first time it is shown
// and kept alive after (a running trajectory or training goes on in the background). A view marks its root
// `data-state="ready"` once drawn; the tests and the screenshot script wait for that.
import { VIEWS, type ViewEntry } from './views.ts';
import { boot } from './boot.ts';

const tabs = document.getElementById('tabs') as HTMLElement;
const views = document.getElementById('views') as HTMLElement;
const mounted = new Map<string, HTMLElement>();

function link(v: ViewEntry): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = `#${v.id}`;
  a.textContent = v.title;
  a.dataset.view = v.id;
  return a;
}
for (const v of VIEWS) tabs.append(link(v));

async function show(id: string): Promise<void> {
  const v = VIEWS.find((x) => x.id === id) ?? (VIEWS[0] as ViewEntry);
  for (const a of tabs.querySelectorAll('a')) a.classList.toggle('active', a.dataset.view === v.id);
  for (const [k, el] of mounted) el.hidden = k !== v.id;
  if (mounted.has(v.id)) return;
  const root = document.createElement('section');
  root.className = 'view';
  root.id = `view-${v.id}`;
  root.dataset.state = 'loading';
  root.innerHTML = '<p class="loading">Loading…</p>';
  mounted.set(v.id, root);
  views.append(root);
  try {
    const [mod] = await Promise.all([v.load(), boot()]);
    root.replaceChildren();
    await mod.mount(root);
  } catch (e) {
    root.dataset.state = 'error';
    root.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `This view failed: ${e instanceof Error ? e.message : String(e)}`;
    root.append(p);
    console.error(e);
  }
}

/** route(): the view id in the hash, without a view's own query (`#landscapes?own=sam` → `landscapes`). */
const route = (): string => location.hash.slice(1).split('?')[0] ?? '';
window.addEventListener('hashchange', () => void show(route()));
void show(route());
