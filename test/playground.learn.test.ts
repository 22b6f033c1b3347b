// The playground's "How SAM and RWP work" view in Chromium: every docs/methods page (read here from the repository,
// so a new page is checked without editing the test) has its title in the list and its page rendered; every fenced
// code block shows its text exactly, HTML-escaped (no element made from it); a cited source file opens inline; and a
// page's "try it" link opens the loss landscapes with that method as "your own".
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { playgroundSession, type PlaygroundSession } from './helpers/playground.js';

const dir = new URL('../docs/methods/', import.meta.url);
const PAGES = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => {
    const md = readFileSync(new URL(f, dir), 'utf8');
    return { id: f.replace(/\.md$/, ''), title: (/^#\s+(.+)$/m.exec(md)?.[1] ?? '').trim(), md };
  });

let s: PlaygroundSession | undefined;
let page: Page | undefined;
before(async () => {
  s = await playgroundSession();
  page = await s.openView('learn');
});
after(async () => {
  await s?.close();
});

test('learn: every docs/methods page has its title in the list and is rendered, with its heading', async () => {
  const p = page as Page;
  assert.ok(PAGES.length >= 14, `docs/methods has its pages (${PAGES.length})`);
  const listed = await p.$$eval('#view-learn .lr-nav button', (bs) => bs.map((b) => [(b as HTMLElement).dataset.page, b.textContent]));
  assert.deepEqual(new Map(listed as [string, string][]), new Map(PAGES.map((x) => [x.id, x.title])));
  for (const x of PAGES) {
    const h1 = await p.$eval(`#view-learn article[data-page="${x.id}"] h1`, (h) => h.textContent);
    assert.equal(h1, x.title, `${x.id}'s heading`);
  }
  await p.click('#view-learn .lr-nav button[data-page="sam"]');
  assert.equal(await p.$eval('#view-learn article[data-page="sam"]', (a) => (a as HTMLElement).hidden), false, 'a click on a title shows its page');
  assert.equal(await p.$eval('#view-learn article[data-page="rwp"]', (a) => (a as HTMLElement).hidden), true, 'and hides the others');
});

test('learn: every fenced code block is shown exactly as written, HTML-escaped', async () => {
  const p = page as Page;
  let withMarkup = 0;
  for (const x of PAGES) {
    const blocks = [...x.md.replace(/<!--[\s\S]*?-->/g, '').matchAll(/^```[\w-]*\n([\s\S]*?)\n```$/gm)].map((m) => m[1] as string);
    const shown = await p.$$eval(`#view-learn article[data-page="${x.id}"] pre > code`, (cs) => cs.map((c) => [c.textContent, c.childElementCount] as const));
    for (const b of blocks) {
      const found = shown.find(([t]) => t === b);
      assert.ok(found !== undefined, `${x.id}: a code block is shown as written:\n${b.slice(0, 120)}`);
      assert.equal(found[1], 0, `${x.id}: no element was made from a code block's text`);
      if (/[<>&]/.test(b)) withMarkup++;
    }
  }
  assert.ok(withMarkup > 0, 'some code block holds <, > or &, so escaping was exercised');
});

test('learn: a cited source file opens inline', async () => {
  const p = page as Page;
  await p.click('#view-learn .lr-nav button[data-page="rwp"]');
  await p.click('#view-learn article[data-page="rwp"] a[data-code="src/perturbation/filterNoise.ts"]');
  await p.waitForFunction(() => (document.querySelector('#view-learn [data-code-of="src/perturbation/filterNoise.ts"] pre')?.textContent ?? '').includes('export function filterNoise('));
  const text = await p.textContent('#view-learn [data-code-of="src/perturbation/filterNoise.ts"] pre');
  assert.equal(text, readFileSync(new URL('../src/perturbation/filterNoise.ts', import.meta.url), 'utf8'));
});

test('learn: the "try it" link opens the loss landscapes with that method as your own', async () => {
  const p = page as Page;
  await p.click('#view-learn .lr-nav button[data-page="sam"]');
  await p.click('#view-learn article[data-page="sam"] a[data-try="sam"]');
  await p.waitForFunction(() => document.getElementById('view-landscapes')?.dataset.state === 'ready', undefined, { timeout: 30_000 });
  assert.equal(new URL(p.url()).hash, '#landscapes?own=sam');
  assert.equal(await p.$eval('#view-landscapes select[name="own-source"]', (e) => (e as HTMLSelectElement).value), 'preset:sam');
  assert.match(await p.textContent('#view-landscapes .ls-card[data-method="own"] pre') ?? '', /^gradient {2}g = ∇L\(w\+ε\), ε = 0\.5·∇L\(w\)\/‖∇L\(w\)‖/);
  assert.equal(await p.$eval('#tabs a.active', (a) => (a as HTMLElement).dataset.view), 'landscapes');
  assert.equal(await p.getAttribute('#view-landscapes .ls-card[data-method="own"] .ls-page a', 'href'), '#learn?page=sam', 'the own card links back to its page');
  // Back to the pages, and another method: the mounted landscapes take it too.
  await p.goto(`${s?.origin}/#learn?page=rwp`);
  await p.waitForFunction(() => document.getElementById('view-learn')?.dataset.state === 'ready');
  await p.click('#view-learn article[data-page="rwp"] a[data-try="rwp"]');
  await p.waitForFunction(() => (document.querySelector('#view-landscapes .ls-card[data-method="own"] pre')?.textContent ?? '').includes('‖w_i‖'));
  assert.equal(await p.$eval('#view-landscapes select[name="own-source"]', (e) => (e as HTMLSelectElement).value), 'preset:rwp');
});

test('learn: no console error and no missing file', () => {
  assert.deepEqual(s?.errors, []);
  assert.deepEqual(s?.notFound, []);
});
