// Benchmark section `startup`: `import` + `ready()` in a fresh process (src/ under tsx, dist/ under plain node) and
// a parallel worker's time to ready (the real src/interpret/worker entry, loading the model zoo's loss).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MessageChannel, Worker } from 'node:worker_threads';
import { fmt, median, table } from './stats.js';

const root = new URL('..', import.meta.url);
const probe = (entry: string): string =>
  `const t0 = performance.now(); const c0 = process.cpuUsage(); const m = await import(${JSON.stringify(entry)}); const t1 = performance.now();` +
  ` await m.ready(); const t2 = performance.now(); const c = process.cpuUsage(c0);` +
  ` console.log(JSON.stringify({ importMs: t1 - t0, readyMs: t2 - t1, cpuMs: (c.user + c.system) / 1000 }));`;

interface Start { readonly importMs: number; readonly readyMs: number; readonly cpuMs: number }

function processStart(args: readonly string[], entry: string): Start {
  const out = execFileSync(process.execPath, [...args, '--input-type=module', '-e', probe(entry)], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string) as Start;
}

/**
 * workerStart(workerUrl, tsx): ms from `new Worker` of the parallel interpreter's entry to its ready message, and the
 * process's CPU ms meanwhile (this thread only waits, so nearly all of it is the worker's).
 */
function workerStart(workerUrl: URL, tsx: boolean): Promise<Start> {
  const { port2 } = new MessageChannel();
  const workerData = { model: { module: new URL(tsx ? 'src/models/index.ts' : 'dist/models/index.js', root).href, export: 'modelFromSpec', args: [{ kind: 'mlp', options: { hidden: [32] } }] }, backend: 'wasm', kernels: {}, port: port2, spin: 0 };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const w = tsx
    ? new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(workerUrl.href)});`, { eval: true, workerData, transferList: [port2] })
    : new Worker(workerUrl, { workerData, transferList: [port2] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('startup: worker not ready in 60 s')), 60_000);
    w.once('message', (m: { ready?: boolean; error?: string }) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      void w.terminate();
      if (m.ready === true) resolve({ importMs: 0, readyMs: ms, cpuMs: (c.user + c.system) / 1000 });
      else reject(new Error(`startup: worker failed: ${m.error ?? '?'}`));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** startupTimes(reps): median ms of each way to start, as report lines. */
export async function startupTimes(reps: number): Promise<string[]> {
  const rows: string[][] = [];
  const runs = async (label: string, f: () => Start | Promise<Start>): Promise<void> => {
    const xs: Start[] = [];
    for (let i = 0; i < reps; i++) xs.push(await f());
    const imp = median(xs.map((x) => x.importMs));
    const rdy = median(xs.map((x) => x.readyMs));
    rows.push([label, fmt(imp, 0), fmt(rdy, 0), fmt(median(xs.map((x) => x.importMs + x.readyMs)), 0), fmt(median(xs.map((x) => x.cpuMs)), 0)]);
  };
  await runs("src/ under tsx: `import` + `ready()`", () => processStart(['--import', 'tsx'], new URL('src/index.ts', root).href));
  const dist = existsSync(new URL('dist/index.js', root));
  if (dist) await runs("dist/ under node: `import` + `ready()`", () => processStart([], new URL('dist/index.js', root).href));
  await runs('parallel worker (src/, tsx): spawn → ready', () => workerStart(new URL('src/interpret/worker.ts', root), true));
  if (dist) await runs('parallel worker (dist/, node): spawn → ready', () => workerStart(new URL('dist/interpret/worker.js', root), false));
  return [
    `### Startup (wall ms, median of ${reps} fresh processes / workers${dist ? '' : '; dist/ not built: run npm run build for its rows'})`,
    '',
    table(['start', 'import', 'ready() (worker: spawn → ready)', 'total', 'CPU ms'], rows, ['l', 'r', 'r', 'r', 'r']),
  ];
}
