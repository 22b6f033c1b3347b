// Bundle size: each entry point (main, laws, data, models, flatness, plot) bundled by esbuild for the browser,
// minified, with tfjs external; printed as minified and gzipped (level 9) bytes, with its runtime dependencies
// (fp-ts, fast-check) bundled in, and without them (optimix's own code only); then where the main entry's own bytes
// come from (minified bytes per group of source files, from esbuild's metafile); then, for scale, the main entry with tfjs.
// Usage: npm run bundle-size
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ENTRIES = ['index', 'laws/index', 'data/index', 'models/index', 'flatness/index', 'plot/index'];

/** size(entry, external): the minified and gzipped bytes of one entry's browser bundle. */
async function size(entry: string, external: string[]): Promise<{ min: number; gz: number; inputs: Record<string, number> }> {
  const r = await build({ entryPoints: [`src/${entry}.ts`], bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, metafile: true, tsconfig: 'tsconfig.browser.json', external, logLevel: 'error' });
  const code = r.outputFiles[0]!.contents;
  const out = Object.values(r.metafile.outputs)[0]!;
  const inputs = Object.fromEntries(Object.entries(out.inputs).map(([f, i]) => [f, i.bytesInOutput]));
  return { min: code.byteLength, gz: gzipSync(code, { level: 9 }).byteLength, inputs };
}

/** group(file): the part of optimix a source file belongs to (its folder under src/, or the generated gradients). */
const group = (file: string): string => (/tfjsGradients\.generated/.test(file) ? "tfjs-core's gradient definitions (src/tfjsGradients.generated.mjs)" : /^src\/[^/]+\.ts$/.test(file) ? 'src/*.ts (core: optimizer, tree, random, noise, schedules, …)' : `src/${file.split('/')[1]}/`);

const kB = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
console.log('| entry | minified | gzipped | optimix only, minified | optimix only, gzipped |\n| --- | ---: | ---: | ---: | ---: |');
for (const e of ENTRIES) {
  const all = await size(e, ['@tensorflow/*']);
  const own = await size(e, ['@tensorflow/*', 'fp-ts', 'fp-ts/*', 'fast-check']);
  const name = e === 'index' ? 'optimix' : `optimix/${e.replace('/index', '')}`;
  console.log(`| ${name} | ${kB(all.min)} | ${kB(all.gz)} | ${kB(own.min)} | ${kB(own.gz)} |`);
}
const own = await size('index', ['@tensorflow/*', 'fp-ts', 'fp-ts/*', 'fast-check']);
const groups = new Map<string, number>();
for (const [f, b] of Object.entries(own.inputs)) groups.set(group(f), (groups.get(group(f)) ?? 0) + b);
console.log(`\nwhere the main entry's own ${kB(own.min)} (minified) come from:\n\n| part | minified |\n| --- | ---: |`);
for (const [g, b] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`| ${g} | ${kB(b)} |`);
const whole = await size('index', []);
console.log(`\nfor scale, the main entry with tfjs bundled in (tfjs-core, the wasm and cpu backends; the .wasm files are separate): ${kB(whole.min)} minified, ${kB(whole.gz)} gzipped`);
