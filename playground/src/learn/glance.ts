// "At a glance": every preset that has a docs/methods page, with the gradient optimix prints for it (describe) and
// its cost (gradient evaluations per step, and how many of them must run one after the other), at the library's defaults.
import { cost, describe } from 'optimix';
import { isPreset, presetDefaults, presetLabel } from '../landscape/presets.ts';
import { escapeHtml } from './markdown.ts';
import type { MethodPage } from './pages.ts';

/** glance(pages, onOpen): the table; a row's name opens its page. */
export function glance(pages: readonly MethodPage[], onOpen: (id: string) => void): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'lr-glance';
  table.innerHTML = '<thead><tr><th>method</th><th>gradient g, as <code>describe(source)</code> prints it (library defaults)</th><th>gradients per step</th><th>sequential depth</th></tr></thead>';
  const body = document.createElement('tbody');
  for (const p of pages) {
    if (!isPreset(p.id)) continue;
    const s = presetDefaults(p.id);
    const c = cost(s);
    const tr = document.createElement('tr');
    tr.innerHTML = `<td><button type="button" class="lr-open" data-page="${escapeHtml(p.id)}">${escapeHtml(presetLabel(p.id))}</button></td><td><code>${escapeHtml(describe(s))}</code></td><td>${c.gradients}</td><td>${c.depth}</td>`;
    body.append(tr);
  }
  table.append(body);
  table.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button[data-page]') as HTMLElement | null;
    if (b?.dataset.page !== undefined) onOpen(b.dataset.page);
  });
  return table;
}
