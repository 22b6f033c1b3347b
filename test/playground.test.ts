// The playground's shell in Chromium: the production build (Vite) serves from a plain static server, every view listed
// in playground/src/views.ts has a tab, renders (data-state="ready") and asks for no file the build lacks, with no
// console error. Each view's own behaviour is tested in test/playground.<view>.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { playgroundSession, type PlaygroundSession } from './helpers/playground.js';
import { VIEWS } from '../playground/src/views.ts';

let s: PlaygroundSession | undefined;
before(async () => {
  s = await playgroundSession();
});
after(async () => {
  await s?.close();
});

test('playground: every view has a tab and renders from the static build, with no console error and no missing file', async () => {
  const session = s as PlaygroundSession;
  const first = await session.openView(VIEWS[0]!.id);
  const tabs = await first.$$eval('#tabs a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(tabs, VIEWS.map((v) => [`#${v.id}`, v.title]));
  for (const v of VIEWS.slice(1)) {
    await first.click(`#tabs a[data-view="${v.id}"]`);
    await first.waitForFunction((id) => document.getElementById(`view-${id}`)?.dataset.state === 'ready', v.id, { timeout: 30_000 });
    assert.equal(await first.evaluate((id) => document.getElementById(`view-${id}`)?.hidden, v.id), false, `${v.id} is shown`);
  }
  assert.match(await first.textContent('#backend') ?? '', /Backend: wasm\./);
  await first.close();
  assert.deepEqual(session.errors, []);
  assert.deepEqual(session.notFound, []);
});
