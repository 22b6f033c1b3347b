// The results table: per method, its gradient source as optimix describes it, test accuracy at epoch 0 and at the
// end (and the best epoch), the wall time of its training steps and that time over SGD's, and where it ran.
import { COLOUR, LABEL, type Method } from './methods.ts';
import type { RunReport } from './run.ts';

const pct = (a: number): string => `${(a * 100).toFixed(1)} %`;

/** resultsTable(): an empty table, and `show(reports, running)` to fill it (a running method shows its progress). */
export function resultsTable(): { readonly table: HTMLTableElement; readonly show: (reports: readonly RunReport[], running?: { method: Method; epoch: number; epochs: number }) => void } {
  const table = document.createElement('table');
  table.className = 'live-table';
  table.createTHead().innerHTML =
    '<tr><th>Method and its gradient source</th><th class="num">Epoch 0</th><th class="num">Final</th><th class="num">Best (epoch)</th><th class="num">Train time</th><th class="num">× SGD</th><th>Ran on</th></tr>';
  const body = table.createTBody();
  const show = (reports: readonly RunReport[], running?: { method: Method; epoch: number; epochs: number }): void => {
    body.replaceChildren();
    const sgd = reports.find((r) => r.method === 'sgd')?.seconds;
    for (const r of reports) {
      const tr = body.insertRow();
      tr.dataset.method = r.method;
      tr.dataset.interpreter = r.interpreter;
      const first = r.curve[0]!;
      const last = r.curve[r.curve.length - 1]!;
      const best = r.curve.reduce((b, p) => (p.accuracy > b.accuracy ? p : b), first);
      // A mix run both ways: its workers row also gives its time over the sequential run's.
      const seq = r.interpreter === 'sequential' ? undefined : reports.find((q) => q.method === r.method && q.interpreter === 'sequential');
      const cells = [
        '',
        pct(first.accuracy),
        pct(last.accuracy),
        `${pct(best.accuracy)} (${best.epoch})`,
        `${r.seconds.toFixed(2)} s`,
        sgd === undefined || sgd <= 0 ? '—' : `${(r.seconds / sgd).toFixed(2)}×`,
        r.interpreter === 'sequential' ? 'this thread' : '+ a Web Worker',
      ];
      cells.forEach((c, i) => {
        const td = tr.insertCell();
        if (i === 0) {
          const sw = Object.assign(document.createElement('span'), { className: 'swatch' });
          sw.style.background = COLOUR[r.method];
          const name = Object.assign(document.createElement('span'), { className: 'method' });
          name.append(sw, document.createTextNode(LABEL[r.method]));
          td.append(name, Object.assign(document.createElement('div'), { className: 'formula', textContent: r.formula }));
        } else td.textContent = c;
        if (i >= 1 && i <= 5) td.className = 'num';
        if (i === 2) td.dataset.final = String(last.accuracy);
        if (i === 6 && seq !== undefined && seq.seconds > 0) {
          td.append(Object.assign(document.createElement('div'), { className: 'ratio', textContent: `${(r.seconds / seq.seconds).toFixed(2)}× the one-thread time` }));
        }
      });
    }
    if (running !== undefined) {
      const tr = body.insertRow();
      tr.className = 'running';
      const td = tr.insertCell();
      td.colSpan = 7;
      td.textContent = `${LABEL[running.method]}: training, epoch ${running.epoch} of ${running.epochs}…`;
    }
  };
  show([]);
  return { table, show };
}
