// The "Loss landscapes" view: four optimizers — SGD, SAM, RWP and the user's own composition — run side by side by
// optimix on a 2-D surface, drawn as trajectories on a contour plot with a loss-against-step plot and each one's
// describe() formula. The start is picked by clicking; `#landscapes?own=<preset>&surface=<id>` preselects.
import * as tf from '@tensorflow/tfjs-core';
import '../landscape/landscapes.css';
import { composer } from '../landscape/composer.ts';
import { paintContours } from '../landscape/contour.ts';
import { cards } from '../landscape/describe.ts';
import { frameFor, inside, toPlane } from '../landscape/frame.ts';
import { hiDpi } from '../landscape/hidpi.ts';
import { legend } from '../landscape/legend.ts';
import { drawLoss } from '../landscape/lossPlot.ts';
import { optimizersOrErrors } from '../landscape/build.ts';
import { isPreset } from '../landscape/presets.ts';
import { Run } from '../landscape/run.ts';
import { SURFACES, type Surface } from '../landscape/surfaces.ts';
import { colours, drawTracks } from '../landscape/tracks.ts';
import { notes } from '../landscape/notes.ts';

const W = 646;
const H = 400;
/** LOSS_SIZE: the loss plot's size in CSS pixels. */
const LOSS_SIZE = [560, 230] as const;
/** FRAME_MS: the time a frame may spend stepping before it draws (the steps are batched per animation frame). */
const FRAME_MS = 14;

/** SPEEDS: steps per animation frame at most (each frame also stops stepping after FRAME_MS). */
const SPEEDS = [[1, 'slow: 1 step a frame'], [4, 'normal: 4 steps a frame'], [1000, 'fast: as many as fit']] as const;

/** hashParams(): the query of `#landscapes?…`. */
const hashParams = (): URLSearchParams => new URLSearchParams(location.hash.split('?')[1] ?? '');

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

export function mount(root: HTMLElement): void {
  let surface: Surface = SURFACES.find((s) => s.id === hashParams().get('surface')) ?? (SURFACES[0] as Surface);
  let start: readonly [number, number] = surface.start;
  let run: Run | undefined;
  let playing = false;
  let target = 0;
  const colour = colours();

  // The bar: surface, play/pause, step, reset, the key's seed, the step counter.
  const bar = el('div', 'ls-bar');
  const surfaceSel = el('select', 'ls-surface');
  surfaceSel.name = 'surface';
  surfaceSel.append(...SURFACES.map((s) => Object.assign(document.createElement('option'), { value: s.id, textContent: s.title })));
  surfaceSel.value = surface.id;
  const play = el('button', 'primary ls-play', 'Play');
  const stepBtn = el('button', 'ls-step', 'Step');
  const resetBtn = el('button', 'ls-reset', 'Reset');
  const seedIn = Object.assign(document.createElement('input'), { type: 'number', name: 'seed', value: '0', min: '0', step: '1', className: 'ls-seed' });
  seedIn.style.width = '64px';
  const seedLabel = el('label', 'ls-seed-label', 'key(');
  seedLabel.append(seedIn, ')');
  seedLabel.title = 'The random key: the noise of RWP and of the noisy quadratic is drawn from it (same key, same run)';
  const speed = el('select', 'ls-speed');
  speed.name = 'speed';
  speed.append(...SPEEDS.map(([v, t]) => Object.assign(document.createElement('option'), { value: String(v), textContent: t })));
  speed.value = '4';
  const speedLabel = el('label', 'ls-speed-label', 'Speed ');
  speedLabel.append(speed);
  const counter = el('span', 'ls-t');
  const surfaceLabel = el('label', 'ls-surface-label', 'Surface ');
  surfaceLabel.append(surfaceSel);
  bar.append(surfaceLabel, play, stepBtn, resetBtn, speedLabel, seedLabel, counter);

  // The plot (contours below, trajectories above) and the side: loss plot, legend, blurb.
  const plot = el('div', 'ls-plot');
  const bg = el('canvas', 'ls-bg');
  const over = el('canvas', 'ls-over');
  over.setAttribute('aria-label', 'contour plot: click to set the start');
  plot.append(bg, over);
  const left = el('div', 'ls-left');
  const hint = el('p', 'ls-hint');
  left.append(plot, hint);
  const side = el('div', 'ls-side');
  const lossCanvas = el('canvas', 'ls-loss');
  const leg = legend();
  const blurb = el('p', 'ls-blurb');
  side.append(el('h3', '', 'Loss f(w) against step'), lossCanvas, leg.el, blurb);
  const main = el('div', 'ls-main');
  main.append(left, side);

  const form = composer(surface.defaults, () => restart());
  const own = hashParams().get('own');
  if (own !== null && isPreset(own)) form.setOwnSource(`preset:${own}`);
  const formulaCards = cards();
  root.append(bar, main, form.el, el('h3', 'ls-cards-title', 'The four optimizers, as optimix describes them'), formulaCards.el, notes());

  const bgCtx = hiDpi(bg, W, H);
  const overCtx = hiDpi(over, W, H);
  const lossCtx = hiDpi(lossCanvas, ...LOSS_SIZE);
  const frame = () => frameFor(W, H, surface.domain);

  const draw = () => {
    if (run === undefined) return;
    drawTracks(overCtx, frame(), run.tracks, colour, start);
    drawLoss(lossCtx, LOSS_SIZE, run.tracks, colour, form.base().steps, surface.log);
    leg.update(run);
    counter.textContent = `step ${run.t} / ${form.base().steps}`;
    root.dataset.t = String(run.t);
    root.dataset.tensors = String(tf.memory().numTensors);
  };

  const paintSurface = () => {
    paintContours(bgCtx, surface, frame());
    blurb.textContent = surface.blurb;
    hint.textContent = `Click the plot to start all four from that point. Filled levels: f(x, y), darker is lower${surface.log ? ', log-spaced' : ''}; the ring is the start.`;
    root.dataset.surface = surface.id;
  };

  /** reset(): a fresh run from the start with the current settings (the old one's tensors freed first). */
  const reset = () => {
    run?.dispose();
    const { opts, errors } = optimizersOrErrors(form.base(), form.own());
    const ownSource = form.own().source;
    formulaCards.update(opts, errors, ownSource.startsWith('preset:') ? ownSource.slice(7) : undefined);
    run = new Run(surface, opts, start, Math.max(0, Math.round(Number(seedIn.value) || 0)));
    root.dataset.start = `${start[0]},${start[1]}`;
    target = form.base().steps;
    draw();
  };

  const tick = () => {
    if (!playing || run === undefined) return;
    const t0 = performance.now();
    const cap = Number(speed.value);
    for (let n = 0; run.t < target && n < cap && performance.now() - t0 < FRAME_MS; n++) run.step(1);
    draw();
    if (run.t >= target) {
      setPlaying(false);
      root.dataset.shot = 'ready';
      root.dataset.done = String(run.t);
    } else schedule();
  };

  /** schedule(): one tick at the next frame (never two pending, however often play or a restart asks). */
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      tick();
    });
  };

  const setPlaying = (on: boolean) => {
    playing = on;
    play.textContent = on ? 'Pause' : 'Play';
    if (on) schedule();
  };

  /** restart(): reset and play to the step count (after any change of a control, the surface or the start). */
  const restart = () => {
    reset();
    delete root.dataset.done;
    setPlaying(true);
  };

  play.addEventListener('click', () => {
    if (run === undefined) return;
    if (!playing && run.t >= target) target = run.t + form.base().steps;
    setPlaying(!playing);
  });
  stepBtn.addEventListener('click', () => {
    setPlaying(false);
    run?.step(1);
    draw();
  });
  resetBtn.addEventListener('click', () => {
    setPlaying(false);
    reset();
  });
  seedIn.addEventListener('change', restart);
  surfaceSel.addEventListener('change', () => {
    surface = SURFACES.find((s) => s.id === surfaceSel.value) ?? surface;
    start = surface.start;
    form.reset(surface.defaults);
    paintSurface();
    restart();
  });
  over.addEventListener('click', (e) => {
    const r = over.getBoundingClientRect();
    const px: [number, number] = [((e.clientX - r.left) * W) / r.width, ((e.clientY - r.top) * H) / r.height];
    if (!inside(frame(), px)) return;
    const p = toPlane(frame(), px);
    start = [Number(p[0].toFixed(3)), Number(p[1].toFixed(3))];
    restart();
  });
  window.addEventListener('hashchange', () => {
    if (!location.hash.startsWith('#landscapes')) return;
    const q = hashParams();
    const id = q.get('own');
    const s = SURFACES.find((x) => x.id === q.get('surface'));
    if (s !== undefined && s !== surface) {
      surface = s;
      surfaceSel.value = s.id;
      start = s.start;
      form.reset(s.defaults);
      paintSurface();
    }
    if (id !== null && isPreset(id)) form.setOwnSource(`preset:${id}`);
    if (id !== null || s !== undefined) restart();
  });

  paintSurface();
  reset();
  root.dataset.state = 'ready';
  requestAnimationFrame(() => setPlaying(true));
}
