// The playground's "Loss landscapes" view in Chromium: every surface renders and its four trajectories run (finite
// losses, the loss plot drawn); on the sharp/flat surface from the default start the runs end where the page says
// (SGD in the sharp basin, SAM and RWP in the flat one — computed in the page by optimix); a control changes the own
// optimizer's describe() text; a click sets the start; tf.memory().numTensors is flat across resets; no console error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { playgroundSession, type PlaygroundSession } from './helpers/playground.js';
import { SURFACES } from '../playground/src/landscape/surfaces.ts';

let s: PlaygroundSession | undefined;
let page: Page | undefined;
before(async () => {
  s = await playgroundSession();
  page = await s.openView('landscapes');
});
after(async () => {
  await s?.close();
});

const ROOT = '#view-landscapes';
/** done(p, steps): wait until the current run has finished `steps` steps. */
const done = (p: Page, steps: number) => p.waitForFunction((n) => document.getElementById('view-landscapes')?.dataset.done === String(n), steps, { timeout: 60_000 });
/** legend(p): each method's end point, f, steps and region, as the legend records them. */
const legend = (p: Page) =>
  p.$$eval(`${ROOT} .ls-legend li`, (lis) => Object.fromEntries(lis.map((li) => { const d = (li as HTMLElement).dataset; return [d.method, { x: Number(d.x), y: Number(d.y), loss: Number(d.loss), steps: Number(d.steps), region: d.region, stopped: d.stopped }]; })));
/** inkOf(p, selector): how many pixels of a canvas are drawn (not transparent, not white). */
const inkOf = (p: Page, selector: string) =>
  p.$eval(selector, (c) => {
    const cv = c as HTMLCanvasElement;
    const d = (cv.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, cv.width, cv.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if ((d[i + 3] as number) > 0 && (d[i] as number) + (d[i + 1] as number) + (d[i + 2] as number) < 750) n++;
    return n;
  });

test('landscapes: the default sharp/flat run ends where the page says — SGD in the sharp basin, SAM and RWP in the flat one', async () => {
  const p = page as Page;
  const d = SURFACES[0]!.defaults;
  await done(p, d.steps);
  const l = await legend(p);
  assert.equal(l.sgd.region, 'in the sharp basin', `SGD ended at (${l.sgd.x}, ${l.sgd.y})`);
  assert.equal(l.sam.region, 'in the flat basin', `SAM ended at (${l.sam.x}, ${l.sam.y})`);
  assert.equal(l.rwp.region, 'in the flat basin', `RWP ended at (${l.rwp.x}, ${l.rwp.y})`);
  for (const m of ['sgd', 'sam', 'rwp', 'own']) {
    assert.equal(l[m].steps, d.steps, `${m} ran every step`);
    assert.ok(Number.isFinite(l[m].loss), `${m}'s loss is finite`);
  }
  assert.ok(l.sgd.loss < l.sam.loss, 'the sharp basin is the deeper one (SGD ends lower, yet less flat)');
  assert.match(await p.textContent(`${ROOT} .ls-legend li[data-method="sgd"]`) ?? '', /in the sharp basin/);
});

test('landscapes: every surface renders and its four trajectories run, with finite losses and a drawn loss plot', async () => {
  const p = page as Page;
  for (const surface of SURFACES) {
    await p.selectOption(`${ROOT} select[name="surface"]`, surface.id);
    await done(p, surface.defaults.steps);
    assert.equal(await p.$eval(ROOT, (r) => (r as HTMLElement).dataset.surface), surface.id);
    const l = await legend(p);
    for (const m of ['sgd', 'sam', 'rwp', 'own']) {
      assert.equal(l[m].stopped, '', `${surface.id}: ${m} did not stop`);
      assert.equal(l[m].steps, surface.defaults.steps, `${surface.id}: ${m} moved every step`);
      assert.ok(Number.isFinite(l[m].loss) && Number.isFinite(l[m].x) && Number.isFinite(l[m].y), `${surface.id}: ${m} is finite`);
      assert.notDeepEqual([l[m].x, l[m].y], [...surface.start], `${surface.id}: ${m} moved`);
    }
    assert.ok((await inkOf(p, `${ROOT} canvas.ls-bg`)) > 100_000, `${surface.id}: the contours fill the plot`);
    assert.ok((await inkOf(p, `${ROOT} canvas.ls-over`)) > 500, `${surface.id}: the trajectories are drawn`);
    assert.ok((await inkOf(p, `${ROOT} canvas.ls-loss`)) > 1500, `${surface.id}: the loss plot has curves`);
  }
  await p.selectOption(`${ROOT} select[name="surface"]`, SURFACES[0]!.id);
  await done(p, SURFACES[0]!.defaults.steps);
});

test("landscapes: changing a control changes the own optimizer's describe() text", async () => {
  const p = page as Page;
  const own = `${ROOT} .ls-card[data-method="own"] pre`;
  const before = await p.textContent(own);
  assert.match(before ?? '', /ε⁽¹⁾ ~ N\(0,0\.5²·I\)/, 'the default: noise, then ascent');
  await p.selectOption(`${ROOT} select[name="own-source"]`, 'adversarial');
  assert.match(await p.textContent(own) ?? '', /^gradient {2}g = ∇L\(w\+ε\), ε = 0\.5·∇L\(w\)\/‖∇L\(w\)‖/);
  const disabled = (name: string) => p.$eval(`${ROOT} [name="${name}"]`, (e) => (e as HTMLInputElement).disabled);
  assert.deepEqual([await disabled('own-rho'), await disabled('own-sigma'), await disabled('own-lambda')], [false, true, true], 'only ρ matters to an adversarial source');
  await p.selectOption(`${ROOT} select[name="own-rule"]`, 'adam');
  assert.match(await p.textContent(own) ?? '', /adam\(0\.02/);
  await p.selectOption(`${ROOT} select[name="own-source"]`, 'preset:m-rwp');
  assert.match(await p.textContent(own) ?? '', /∇L\(w; B₁\).*∇L\(w\+ε; B₂\)/);
  await p.selectOption(`${ROOT} select[name="own-rule"]`, 'sgd');
  await p.selectOption(`${ROOT} select[name="own-source"]`, 'nested');
  assert.equal(await p.textContent(own), before);
  await done(p, SURFACES[0]!.defaults.steps);
});

test('landscapes: a click on the plot sets the start of all four', async () => {
  const p = page as Page;
  // The plot area is x ∈ [−3, 3], y ∈ [−2, 2] on pixels 38…592 × 8…374 of the 646 × 400 canvas (the colour bar right of it).
  // A click at pixel (177, 100) is (−1.49, 0.99), to within a pixel (6/554 wide, 4/366 high).
  await p.click(`${ROOT} canvas.ls-over`, { position: { x: 177, y: 100 } });
  const start = (await p.$eval(ROOT, (r) => (r as HTMLElement).dataset.start ?? '')).split(',').map(Number);
  assert.ok(Math.abs((start[0] as number) - (-3 + (6 * (177 - 38)) / 554)) <= 6 / 554 && Math.abs((start[1] as number) - (2 - (4 * (100 - 8)) / 366)) <= 4 / 366, `start ${String(start)}`);
  await done(p, SURFACES[0]!.defaults.steps);
  const l = await legend(p);
  assert.equal(l.sgd.steps, SURFACES[0]!.defaults.steps);
  assert.deepEqual((await p.$$eval(`${ROOT} .ls-legend li`, (lis) => lis.map((li) => (li as HTMLElement).dataset.method))).length, 4);
});

test('landscapes: tf.memory().numTensors is the same after every reset', async () => {
  const p = page as Page;
  const tensors = () => p.$eval(ROOT, (r) => Number((r as HTMLElement).dataset.tensors));
  const steps = SURFACES[0]!.defaults.steps;
  await p.click(`${ROOT} button.ls-reset`);
  const first = await tensors();
  for (let i = 0; i < 2; i++) {
    await p.click(`${ROOT} button.ls-play`);
    await done(p, steps);
    await p.click(`${ROOT} button.ls-step`);
    await p.click(`${ROOT} button.ls-reset`);
    assert.equal(await p.$eval(ROOT, (r) => (r as HTMLElement).dataset.t), '0');
    assert.equal(await tensors(), first, `after reset ${i + 1}`);
  }
  assert.ok(first > 0 && first < 200, `a run holds a few tensors (${first})`);
});

test("landscapes: the notes' λ = 0.5 remark holds in the page — RWP stays in the sharp basin for key(1), escapes for key(5)", async () => {
  const p = page as Page;
  const steps = SURFACES[0]!.defaults.steps;
  const set = (name: string, value: string) =>
    p.$eval(`${ROOT} input[name="${name}"]`, (e, v) => {
      (e as HTMLInputElement).value = v;
      e.dispatchEvent(new Event('input'));
      e.dispatchEvent(new Event('change'));
    }, value);
  await p.selectOption(`${ROOT} select[name="surface"]`, 'saddle');
  await p.selectOption(`${ROOT} select[name="surface"]`, SURFACES[0]!.id); // back to the defaults, and the default start
  assert.equal(await p.$eval(ROOT, (r) => (r as HTMLElement).dataset.start), SURFACES[0]!.start.join(','));
  await set('lambda', '0.5');
  for (const [seed, region] of [['1', 'in the sharp basin'], ['5', 'in the flat basin']] as const) {
    await set('seed', seed);
    await done(p, steps);
    assert.equal((await legend(p)).rwp.region, region, `λ = 0.5, key(${seed})`);
  }
  assert.match(await p.textContent(`${ROOT} .ls-notes`) ?? '', /stayed there for 10 of the keys key\(0\) … key\(11\) and escaped for key\(0\) and key\(5\)/);
  await set('lambda', String(SURFACES[0]!.defaults.lambda));
  await set('seed', '0');
  await done(p, steps);
});

test('landscapes: no console error and no missing file', () => {
  assert.deepEqual(s?.errors, []);
  assert.deepEqual(s?.notFound, []);
});
