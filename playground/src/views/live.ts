// The "Live network" view: a small MLP trained in this tab on 1,000 MNIST digits (a share of their labels flipped),
// SGD vs SAM vs RWP (and m-RWP) from the same initialization and key; test-accuracy curves per epoch, each method's
// wall time and final accuracy. The default run starts as soon as the view is drawn; Train / Stop re-runs it.
import * as tf from '@tensorflow/tfjs-core';
import { mlp, smallCnn } from 'optimix/models';
import { accuracyChart, type ChartLine } from '../live/chart.ts';
import { controls } from '../live/controls.ts';
import { fetchSubset, withLabelNoise } from '../live/data.ts';
import { LABEL, isMix, type Method } from '../live/methods.ts';
import { showLegend } from '../live/legend.ts';
import { runMethod, Stopped, yieldToPage, type EpochPoint, type RunReport } from '../live/run.ts';
import { digitStrip } from '../live/samples.ts';
import { parseSettings, type LiveSettings } from '../live/settings.ts';
import { resultsTable } from '../live/table.ts';
import { workerInterpreter, type Mixes } from '../live/workers.ts';
import '../live/live.css';

const INTRO = `A small network (by default an MLP, 784 → 128 → 10) learns 1,000 handwritten digits in this tab, with optimix on
TensorFlow.js. By default 40 % of the training labels are wrong (each flipped to another digit); the 500 test digits keep
their true labels. Plain SGD fits the wrong labels too — it memorizes, and its test accuracy falls after the first
epochs. SAM and RWP look for flat minima, which resist memorizing. All methods start from the same weights, see the
batches in the same order and make the same number of updates.`;

const FOOT = `Train time: the training steps only (test evaluation and one warm-up step excluded), measured with
performance.now() in this tab, on this machine, while it does whatever else it does: compare methods within one run.
SAM's second gradient needs its first; RWP's two gradients (at w and at w + ε) are independent, so with a Web Worker
they run at once (dashed lines: the same run on the worker interpreter, the same numbers bit for bit). The worker's
start-up is in the warm-up, not in the time.`;

/** Which runs a mix gets for each choice: false = sequential, true = on the worker interpreter. */
const WAYS: Readonly<Record<Mixes, readonly boolean[]>> = { sequential: [false], workers: [true], both: [false, true] };

/** mount(root): draw the view, load the digits, mark data-state="ready", then run the default comparison. */
export async function mount(root: HTMLElement): Promise<void> {
  // Settings from the hash's query (`#live?epochs=10`, as the shell routes) or else the page's (`?epochs=10#live`).
  const q = location.hash.indexOf('?');
  const { settings: initial, problems: urlProblems } = parseSettings(q >= 0 ? location.hash.slice(q + 1) : location.search);
  root.classList.add('live');
  const intro = Object.assign(document.createElement('p'), { className: 'live-intro', textContent: INTRO.replace(/\n/g, ' ') });
  const ui = controls(initial);
  const chart = accuracyChart();
  const legend = Object.assign(document.createElement('div'), { className: 'live-legend' });
  const status = Object.assign(document.createElement('p'), { className: 'live-status', role: 'status' });
  const table = resultsTable();
  const digits = Object.assign(document.createElement('div'), { className: 'live-digits-box' });
  const foot = Object.assign(document.createElement('p'), { className: 'live-foot', textContent: FOOT.replace(/\n/g, ' ') });
  const plot = document.createElement('div');
  plot.className = 'live-plot';
  const title = Object.assign(document.createElement('h3'), { textContent: 'Test accuracy (500 digits, true labels) after each epoch' });
  plot.append(title, legend, chart.svg, status);
  const main = document.createElement('div');
  main.className = 'live-main';
  const tableBox = Object.assign(document.createElement('div'), { className: 'live-table-box' });
  tableBox.append(table.table);
  main.append(plot, tableBox, digits, foot);
  const grid = document.createElement('div');
  grid.className = 'live-grid';
  grid.append(ui.form, main);
  const warning = Object.assign(document.createElement('p'), { className: 'live-warning', hidden: urlProblems.length === 0, textContent: `Ignored in the URL (defaults used): ${urlProblems.join('; ')}.` });
  root.append(intro, warning, grid);

  showLegend(legend, initial.methods, initial.mixes);
  status.textContent = 'Loading the digits…';

  const subset = await fetchSubset();
  const showDigits = (noise: number): void => {
    const train = withLabelNoise(subset.train, noise);
    const caption = Object.assign(document.createElement('p'), {
      className: 'live-caption',
      textContent: noise === 0 ? 'The first training digits and their labels.' : `The first training digits and the labels the network is taught (${Math.round(noise * 100)} % flipped; struck through: the true digit).`,
    });
    digits.replaceChildren(caption, digitStrip(train, 16));
  };
  showDigits(initial.noise);
  root.dataset.state = 'ready';

  let running = false;
  let stopAsked = false;
  const run = async (s: LiveSettings): Promise<void> => {
    running = true;
    stopAsked = false;
    ui.setRunning(true);
    root.dataset.run = 'running';
    showLegend(legend, s.methods, s.mixes);
    showDigits(s.noise);
    const tensorsAtStart = tf.memory().numTensors;
    const train = withLabelNoise(subset.train, s.noise);
    const model = s.model === 'cnn' ? smallCnn({ channels: [8, 16] }) : mlp({ hidden: [s.hidden] });
    const lines: ChartLine[] = [];
    const reports: RunReport[] = [];
    const ways = (m: Method): readonly boolean[] => (!isMix(m) ? [false] : WAYS[s.mixes]);
    let outcome: 'done' | 'stopped' | 'error' = 'done';
    const began = performance.now();
    try {
      for (const [m, onWorkers] of s.methods.flatMap((m) => ways(m).map((w) => [m, w] as const))) {
        const points: EpochPoint[] = [];
        lines.push({ method: m, dashed: onWorkers, points });
        const name = `${LABEL[m]}${onWorkers ? ' (workers: 1)' : ''}`;
        status.textContent = `Training ${name}…`;
        const made = onWorkers ? workerInterpreter(model) : undefined;
        try {
          const report = await runMethod(m, model, train, subset.test, s, {
            ...(made === undefined ? {} : { interpreter: made }),
            onEpoch: (p) => {
              points.push(p);
              chart.draw(lines, s.epochs);
              table.show(reports, { method: m, epoch: p.epoch, epochs: s.epochs });
              status.textContent = `Training ${name}: epoch ${p.epoch} of ${s.epochs}, test accuracy ${(p.accuracy * 100).toFixed(1)} %.`;
            },
            shouldStop: () => stopAsked,
          });
          reports.push(report);
        } finally {
          await made?.close();
        }
        table.show(reports);
        await yieldToPage();
      }
      status.textContent = `Done: ${reports.length} run(s), ${s.epochs} epochs each, ${((performance.now() - began) / 1000).toFixed(1)} s in all (with evaluation).`;
    } catch (e) {
      outcome = e instanceof Stopped ? 'stopped' : 'error';
      table.show(reports);
      status.textContent = e instanceof Stopped ? `Stopped (${e.message}).` : `Training failed: ${e instanceof Error ? e.message : String(e)}`;
      if (!(e instanceof Stopped)) console.error(e);
    } finally {
      running = false;
      ui.setRunning(false);
      root.dataset.tensorsAtStart = String(tensorsAtStart);
      root.dataset.tensorsAtEnd = String(tf.memory().numTensors);
      root.dataset.report = JSON.stringify(reports.map((r) => ({ method: r.method, interpreter: r.interpreter, seconds: r.seconds, accuracies: r.curve.map((p) => p.accuracy), losses: r.curve.map((p) => p.loss) })));
      root.dataset.run = outcome;
      if (outcome === 'done') root.dataset.shot = 'ready';
    }
  };

  ui.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (running) {
      stopAsked = true;
      ui.button.textContent = 'Stopping…';
      return;
    }
    const { settings, problems } = ui.read();
    if (settings === undefined) {
      status.textContent = `Cannot train: ${problems.join('; ')}.`;
      return;
    }
    void run(settings);
  });
  // The default run, once the view is on screen (a frame, then a task: first paint is never held up by training).
  requestAnimationFrame(() => setTimeout(() => void run(initial), 0));
}
