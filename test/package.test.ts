// What `npm pack` ships: the package is built in a scratch copy of the repository, then `npm pack --dry-run --json`
// lists the tarball. It must hold what a user needs (dist/ with types, every `exports` target, README, LICENSE) and
// nothing they do not (no src/, no docs/ pages or images, no tests or examples); every file a shipped module loads by a
// relative path (imports, `new URL(…, import.meta.url)`) must be shipped too, and examples/plain-node.mjs, copied into
// a fresh project that has the tarball installed, must run there (its worker threads included). Also: tsconfig.json's
// `paths`, which let the examples import 'optimix/…' from src/ under tsx, name exactly the package's `exports`, and the
// examples import the package only by those names.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, posix, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  exports: Record<string, Record<string, string>>;
};
/** Directories of the working tree that are not sources of the package (installed, built, or generated). */
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.cache', 'docs/api']);

let scratch = '';
let files: string[] = [];
let unpacked = 0;
let project = '';

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'optimix-pack-'));
  cpSync(root, scratch, { recursive: true, filter: (src) => !SKIP.has(relative(root, src).split(sep).join('/')) });
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: scratch, stdio: 'pipe' });
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const [info] = JSON.parse(out) as Array<{ files: Array<{ path: string }>; unpackedSize: number }>;
  assert.ok(info, 'npm pack --json printed a report');
  files = info.files.map((f) => f.path).sort();
  unpacked = info.unpackedSize;
});
after(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

/** The path inside the package of an `exports`/`main` target such as './dist/index.js'. */
const inPackage = (target: string): string => posix.normalize(target.replace(/^\.\//, ''));

test('package: the tarball holds no src/, no docs/, no images, tests, examples or benchmarks', (t) => {
  t.diagnostic(`${files.length} files, ${(unpacked / 1024).toFixed(0)} kB unpacked`);
  const unwanted = files.filter((f) => /^(src|docs|test|examples|bench|demo|scripts)\//.test(f) || /\.(svg|png|ts)$/.test(f) && !f.endsWith('.d.ts'));
  assert.deepEqual(unwanted, [], 'files a user does not need');
  assert.deepEqual(files.filter((f) => !f.startsWith('dist/')), ['LICENSE', 'README.md', 'package.json']);
});

test('package: the tarball has dist/index.js, its types, and every target of main, types and exports', () => {
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((conditions) => Object.values(conditions))];
  assert.ok(targets.length > 2);
  for (const f of ['dist/index.js', 'dist/index.d.ts', ...targets.map(inPackage)]) assert.ok(files.includes(f), `${f} is shipped`);
});

test("package: every '#host/*' twin of package.json's imports is shipped: the node side with its types, and the browser side", () => {
  const twins = readdirSync(join(root, 'src/host')).filter((f) => f.endsWith('.node.ts')).map((f) => f.replace(/\.node\.ts$/, ''));
  assert.ok(twins.length >= 4, `the host twins: ${twins.join(', ')}`);
  for (const t of twins) for (const f of [`dist/host/${t}.node.js`, `dist/host/${t}.node.d.ts`, `dist/host/${t}.browser.js`]) assert.ok(files.includes(f), `${f} is shipped`);
});

test('package: every file a shipped module loads by a relative path is shipped (the worker, the resolve hook, …)', () => {
  const modules = files.filter((f) => /\.(m?js|d\.ts)$/.test(f));
  assert.ok(modules.includes('dist/interpret/worker.js') && modules.includes('dist/tfjsGradients.generated.mjs'));
  const missing: string[] = [];
  let checked = 0;
  for (const f of modules) {
    const text = readFileSync(join(scratch, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '') // code, not comments
      .replace(/"(?:[^"\\\n]|\\.)*\s(?:[^"\\\n]|\\.)*"|`[^`]*\s[^`]*`/g, '""'); // nor messages (double-quoted or template strings with a space; no module path has one)
    const refs = [
      ...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g),
      ...text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g),
    ]
      .filter((m) => !inStringLiteral(text, m.index)) // a message quoting `new URL('./model.ts', import.meta.url)` loads nothing
      .map((m) => m[1]!);
    for (const ref of refs) {
      const target = normalize(join(dirname(f), ref)).split('\\').join('/');
      if (!files.includes(target)) missing.push(`${f} → ${ref}`);
      checked++;
    }
  }
  assert.ok(checked > modules.length, `the scan found the modules' relative imports (${checked})`);
  assert.deepEqual(missing, [], 'relative references to files not in the tarball');
});

/** inStringLiteral(text, at): whether position `at` lies inside a '…', "…" or `…` literal on its line (unescaped quotes before it, counted). */
function inStringLiteral(text: string, at: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
  let open: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') i++;
    else if (open === undefined && (c === "'" || c === '"' || c === '`')) open = c;
    else if (c === open) open = undefined;
  }
  return open !== undefined;
}

test('package: source maps, if any are shipped, point only to shipped files', () => {
  for (const f of files.filter((x) => x.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(scratch, f), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
    for (const s of map.sources) {
      const target = normalize(join(dirname(f), s)).split('\\').join('/');
      assert.ok(files.includes(target) || map.sourcesContent !== undefined, `${f} points to ${s}, which is not shipped`);
    }
  }
});

test("package: tsconfig.json's paths (the examples' 'optimix/…' under tsx) are exactly the exports, mapped to src/", () => {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const expected = Object.fromEntries(
    Object.entries(pkg.exports).map(([sub, conditions]) => [
      posix.join('optimix', sub),
      [conditions.import!.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts')],
    ]),
  );
  // …and the host twins: '#host/*' of package.json's `imports`, their Node side mapped to src/ (tsconfig.browser.json maps the browser side).
  const imports = (pkg as unknown as { imports: Record<string, Record<string, string>> }).imports;
  for (const [spec, conditions] of Object.entries(imports)) expected[spec] = [conditions.node!.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts')];
  assert.deepEqual(tsconfig.compilerOptions.paths, expected);
  const browser = JSON.parse(readFileSync(join(root, 'tsconfig.browser.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  for (const [spec, conditions] of Object.entries(imports)) expected[spec] = [conditions.default!.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts')];
  assert.deepEqual(browser.compilerOptions.paths, expected, 'tsconfig.browser.json: the same paths, the host twins on their browser side');
});

test("package: every example imports optimix by name ('optimix', 'optimix/…' of the exports), never from src/ or dist/", () => {
  const dir = join(root, 'examples');
  const subpaths = new Set(Object.keys(pkg.exports).map((sub) => posix.join('optimix', sub)));
  const problems: string[] = [];
  for (const f of readdirSync(dir).filter((x) => /\.(ts|mjs|js)$/.test(x))) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\.meta\.resolve\(\s*|new URL\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (/(^|\/)(src|dist)\//.test(spec)) problems.push(`${f}: ${spec}`);
      if ((spec === 'optimix' || spec.startsWith('optimix/')) && !subpaths.has(spec)) problems.push(`${f}: ${spec} is not in package.json's exports`);
    }
  }
  assert.deepEqual(problems, []);
});

test('package: installed from its tarball into a fresh project, examples/plain-node.mjs runs as a user would run it (workers included)', () => {
  // The project: the packed tarball unpacked as node_modules/optimix, every other package linked from this repository's
  // node_modules, and the example copied in unchanged.
  project = join(scratch, 'user-project');
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'optimix'), { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })) as Array<{ filename: string }>;
  execFileSync('tar', ['-xzf', join(project, packed[0]!.filename), '-C', join(modules, 'optimix'), '--strip-components=1']);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== 'optimix' && name !== '.bin') symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }
  for (const f of ['plain-node.mjs', 'plain-node-model.mjs']) cpSync(join(root, 'examples', f), join(project, f));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  const out = execFileSync(process.execPath, ['plain-node.mjs'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  assert.match(out, /gives bitwise the parameters of sequential/, 'the parallel run, in a worker loaded from the tarball, matched the sequential one');
  assert.match(out, /plain-node example: ok/);
});

test('package: the installed tarball bundles for a page (esbuild, platform browser): the browser twins, no node: module', async () => {
  assert.notEqual(project, '', 'the previous test installed the tarball');
  const { build } = await import('esbuild');
  writeFileSync(join(project, 'page.mjs'), "import { ready, sgd } from 'optimix';\nimport { makeDataset } from 'optimix/data';\nimport { mlp } from 'optimix/models';\nconsole.log(ready, sgd, makeDataset, mlp);\n");
  const r = await build({ entryPoints: [join(project, 'page.mjs')], absWorkingDir: project, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, external: ['@tensorflow/*'], tsconfigRaw: '{}', logLevel: 'silent' }); // a user's page: not this repository's tsconfig paths
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('dist/host/worker_threads.browser.js')), 'the browser twin of worker_threads was bundled');
  assert.deepEqual(inputs.filter((f) => /\.node\.js$/.test(f)), [], 'no Node twin bundled');
  assert.deepEqual(Object.values(r.metafile.inputs).flatMap((i) => i.imports.filter((x) => x.path.startsWith('node:')).map((x) => x.path)), []);
  // The browser worker of the parallel interpreter, as docs/browser.md bundles it from the package export 'optimix/worker' (tfjs inside).
  writeFileSync(join(project, 'worker.mjs'), "import 'optimix/worker';\n");
  const w = await build({ entryPoints: [join(project, 'worker.mjs')], absWorkingDir: project, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, tsconfigRaw: '{}', logLevel: 'silent' });
  assert.ok(Object.keys(w.metafile.inputs).some((f) => f.endsWith('dist/interpret/browserWorker.js')), "'optimix/worker' is the browser worker entry");
  assert.deepEqual(Object.values(w.metafile.inputs).flatMap((i) => i.imports.filter((x) => x.path.startsWith('node:') || /\.node\.js$/.test(x.path)).map((x) => x.path)), [], 'the worker bundle: no node: module, no Node twin');
});
