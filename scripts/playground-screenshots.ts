// Screenshots of every playground view for the README and docs/playground.md, from the production build in Chromium:
// each view is opened on its own tab, and shot once it marks its root data-shot="ready" (a state worth showing: the
// trajectories drawn, the live network trained some epochs). Also prints the shell's first paint and each view's time
// to ready, as measured by the page (performance.now() from navigation start).
// Usage: npm run playground:screenshots   (writes docs/playground-<view>.png)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playgroundSession } from '../test/helpers/playground.js';
import { VIEWS } from '../playground/src/views.ts';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
const s = await playgroundSession({ width: 1280, height: 860 });
try {
  for (const v of VIEWS) {
    const tab = await s.openView(v.id, 60_000);
    const timing = await tab.evaluate(() => ({ paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, ready: performance.now() }));
    await tab.waitForFunction((id) => document.getElementById(`view-${id}`)?.dataset.shot === 'ready', v.id, { timeout: 180_000 });
    const file = join(docs, `playground-${v.id}.png`);
    await tab.screenshot({ path: file, fullPage: true });
    console.log(`${v.id}: first contentful paint ${timing.paint.toFixed(0)} ms, view ready by ${timing.ready.toFixed(0)} ms → ${file}`);
    await tab.close();
  }
  if (s.errors.length > 0) throw new Error(`console errors:\n${s.errors.join('\n')}`);
} finally {
  await s.close();
}
