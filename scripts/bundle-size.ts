// Bundle size: each entry point (main, laws, data, models, flatness, plot) bundled by esbuild for the browser,
// minified, with tfjs external; printed as minified and gzipped (level 9) bytes, with its runtime dependencies
// (fp-ts, fast-check) bundled in, and without them (optimix's own code only); then, for scale, the main entry with tfjs.
// Usage: npm run bundle-size
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ENTRIES = ['index', 'laws/index', 'data/index', 'models/index', 'flatness/index', 'plot/index'];

/** size(entry, external): the minified and gzipped bytes of one entry's browser bundle. */
async function size(entry: string, external: string[]): Promise<{ min: number; gz: number }> {
  const r = await build({ entryPoints: [`src/${entry}.ts`], bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, tsconfig: 'tsconfig.browser.json', external, logLevel: 'error' });
  const code = r.outputFiles[0]!.contents;
  return { min: code.byteLength, gz: gzipSync(code, { level: 9 }).byteLength };
}

const kB = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
console.log('| entry | minified | gzipped | optimix only, minified | optimix only, gzipped |\n| --- | ---: | ---: | ---: | ---: |');
for (const e of ENTRIES) {
  const all = await size(e, ['@tensorflow/*']);
  const own = await size(e, ['@tensorflow/*', 'fp-ts', 'fp-ts/*', 'fast-check']);
  const name = e === 'index' ? 'optimix' : `optimix/${e.replace('/index', '')}`;
  console.log(`| ${name} | ${kB(all.min)} | ${kB(all.gz)} | ${kB(own.min)} | ${kB(own.gz)} |`);
}
const whole = await size('index', []);
console.log(`\nfor scale, the main entry with tfjs bundled in (tfjs-core, the wasm and cpu backends; the .wasm files are separate): ${kB(whole.min)} minified, ${kB(whole.gz)} gzipped`);
