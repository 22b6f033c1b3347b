// The live view's default run, from the production build in Chromium, printed as a table: each run's final and best
// test accuracy, its training time, its time over SGD's and (for a mix on the worker interpreter) over its own
// one-thread run, with the load average before and after. Timings on a shared machine: run it under the benchmark lock.
// Usage: flock /work/bench.lock npx tsx scripts/playground-live-times.ts [query, e.g. 'epochs=10&methods=sgd,rwp']
import { readFileSync } from 'node:fs';
import { playgroundSession } from '../test/helpers/playground.js';

interface Report {
  readonly method: string;
  readonly interpreter: string;
  readonly seconds: number;
  readonly accuracies: number[];
}
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const query = process.argv[2] ?? '';
const before = load();
const s = await playgroundSession();
try {
  const tab = await s.openView('live', 60_000);
  if (query !== '') {
    await tab.goto(`${s.origin}/?${query}#live`);
  }
  await tab.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.getElementById('view-live')?.dataset.run ?? ''), undefined, { timeout: 600_000 });
  const reports = JSON.parse((await tab.evaluate(() => document.getElementById('view-live')?.dataset.report)) ?? '[]') as Report[];
  const sgd = reports.find((r) => r.method === 'sgd')?.seconds;
  console.log(`query '${query}'; load average ${before} before, ${load()} after (2 cores, shared)`);
  console.log('| method | ran | epoch 0 | final | best | train time | × SGD | × its one-thread run |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of reports) {
    const seq = r.interpreter === 'sequential' ? undefined : reports.find((q) => q.method === r.method && q.interpreter === 'sequential');
    const pct = (a: number): string => `${(a * 100).toFixed(1)} %`;
    console.log(`| ${r.method} | ${r.interpreter} | ${pct(r.accuracies[0]!)} | ${pct(r.accuracies.at(-1)!)} | ${pct(Math.max(...r.accuracies))} | ${r.seconds.toFixed(2)} s | ${sgd === undefined ? '—' : (r.seconds / sgd).toFixed(2)} | ${seq === undefined ? '—' : (r.seconds / seq.seconds).toFixed(2)} |`);
  }
  if (s.errors.length > 0) throw new Error(`console errors:\n${s.errors.join('\n')}`);
} finally {
  await s.close();
}
