// Runs every example in examples/ with fast settings and fails if any fails (CI: `npm run examples`).
// First checks that every code snippet in the guide is a region of a runnable example (see SNIPPET_DOCS below); after
// the runs, that every output block shown right after a snippet is what its example printed.
//
//   node scripts/run-examples.mjs                 check the snippets, then run every example
//   node scripts/run-examples.mjs schedules ...   run only the named examples (file names without extension)
//   node scripts/run-examples.mjs --snippets      only check the snippets
//   node scripts/run-examples.mjs --write-snippets  copy the examples' regions into the guide's code blocks
//   --verbose                                      print every example's output, not only the failures'
//
// Every example runs in a child process with OPTIMIX_FAST=1 (examples/methods.ts reads it: fewer digits, one epoch),
// from the repository root, importing the package by name as a user's code does (`import … from 'optimix'`,
// 'optimix/models', …): TypeScript examples under tsx, which maps those names to src/ through tsconfig.json's `paths`
// (no build needed); examples/plain-node.mjs under plain node, where Node resolves 'optimix' to the built dist/ through
// package.json's `exports` (a package's self-reference; dist/ is built first if missing).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** What runs: one entry per invocation (an example may run more than once, with different arguments). */
const RUNS = [
  { file: 'quickstart.ts' },
  { file: 'compose-custom-optimizer.ts' },
  { file: 'rules-as-chains.ts' },
  { file: 'custom-source.ts' },
  { file: 'custom-perturbation.ts' },
  { file: 'schedules.ts' },
  { file: 'optimizers-as-data.ts' },
  { file: 'keys-and-ownership.ts' },
  { file: 'sam-vs-rwp.ts' },
  { file: 'methods.ts', args: ['sgd'] },
  { file: 'methods.ts', args: ['sam'] },
  { file: 'methods.ts', args: ['rwp'] },
  { file: 'methods.ts', args: ['m-arwp'] },
  { file: 'methods.ts', args: ['sampa'] },
  { file: 'methods.ts', args: ['gsam'] },
  { file: 'methods.ts', args: ['rsam'] },
  { file: 'methods.ts', args: ['msharpness-sam'] },
  { file: 'methods.ts', args: ['looksam'] },
  { file: 'methods.ts', args: ['msam'] },
  { file: 'methods.ts', args: ['fsam'] },
  { file: 'property-test-your-optimizer.ts' },
  { file: 'resume-from-checkpoint.ts' },
  { file: 'rwp-on-layers-model.ts' },
  { file: 'plain-node.mjs' },
];
/**
 * Files in examples/ that are not examples themselves (modules that examples import), so not run:
 * plain-node-model.mjs (imported by plain-node.mjs) and toy-problem.ts (the toy regression problem and the check
 * helpers that several examples share).
 */
const HELPERS = new Set(['plain-node-model.mjs', 'toy-problem.ts']);
/** Markdown pages whose code blocks must be regions of examples. */
const SNIPPET_DOCS = ['docs/guide.md', 'docs/sam-vs-rwp.md'];
/** Seconds after which an example is stopped and counted as failed. */
const TIMEOUT = 180;
/** The per-example budget; slower examples are flagged (not failed: CI machines vary). */
const BUDGET = 30;

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const only = argv.filter((a) => !a.startsWith('--'));
const verbose = flags.has('--verbose');

// ---------------------------------------------------------------------------------------------------------------------
// Snippets: a fenced block right after `<!-- snippet: examples/x.ts#name -->` must equal the lines between
// `// #region name` and `// #endregion name` in that file (common indentation removed).

function region(file, name) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (start < 0 || end < 0) return undefined;
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n').replace(/\s+$/, '');
}

function snippets(write) {
  const problems = [];
  let count = 0;
  for (const doc of SNIPPET_DOCS) {
    if (!existsSync(doc)) {
      problems.push(`${doc}: missing`);
      continue;
    }
    const lines = readFileSync(doc, 'utf8').split('\n');
    let changed = false;
    for (let i = 0; i < lines.length; i++) {
      const fence = /^```(\w*)\s*$/.exec(lines[i]);
      if (fence === null) continue;
      const close = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      if (close < 0) {
        problems.push(`${doc}:${i + 1}: unclosed code block`);
        break;
      }
      const marker = /^<!-- snippet: (\S+)#(\S+) -->$/.exec((lines[i - 1] ?? '').trim());
      if (marker === null) {
        if (['ts', 'js', 'typescript', 'javascript', 'mjs'].includes(fence[1])) problems.push(`${doc}:${i + 1}: a ${fence[1]} block without a <!-- snippet: file#region --> marker (every code snippet must come from a runnable example)`);
        i = close;
        continue;
      }
      const [, file, name] = marker;
      const expected = existsSync(file) ? region(file, name) : undefined;
      count++;
      if (expected === undefined) {
        problems.push(`${doc}:${i}: ${file} has no region '${name}'`);
      } else if (lines.slice(i + 1, close).join('\n').replace(/\s+$/, '') !== expected) {
        if (write) {
          lines.splice(i + 1, close - i - 1, ...expected.split('\n'));
          changed = true;
        } else {
          problems.push(`${doc}:${i + 1}: the block differs from ${file}#${name} (run node scripts/run-examples.mjs --write-snippets)`);
        }
      }
      i = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    }
    if (changed) {
      writeFileSync(doc, lines.join('\n'));
      console.log(`updated ${doc}`);
    }
  }
  return { problems, count };
}

const { problems, count } = snippets(flags.has('--write-snippets'));
if (problems.length > 0) {
  console.error(`snippets: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(`snippets: ${count} code blocks in ${SNIPPET_DOCS.join(', ')} match their examples`);
if (flags.has('--snippets') || flags.has('--write-snippets')) process.exit(0);

// ---------------------------------------------------------------------------------------------------------------------
// Examples.

const files = readdirSync('examples').filter((f) => /\.(ts|mjs|js)$/.test(f));
const unrun = files.filter((f) => !HELPERS.has(f) && !RUNS.some((r) => r.file === f));
if (unrun.length > 0) {
  console.error(`examples not run by scripts/run-examples.mjs: ${unrun.join(', ')} (add them to RUNS, or to HELPERS if they are not examples)`);
  process.exit(1);
}
const missing = RUNS.filter((r) => !files.includes(r.file));
if (missing.length > 0) {
  console.error(`scripts/run-examples.mjs lists examples that do not exist: ${missing.map((r) => r.file).join(', ')}`);
  process.exit(1);
}
const runs = only.length === 0 ? RUNS : RUNS.filter((r) => only.includes(r.file.replace(/\.\w+$/, '')));
if (runs.length === 0) {
  console.error(`no example named ${only.join(', ')}`);
  process.exit(1);
}

if (runs.some((r) => r.file.endsWith('.mjs')) && !existsSync('dist/index.js')) {
  console.log('dist/ is missing: npm run build');
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

function run({ file, args = [] }) {
  const path = join('examples', file);
  const nodeArgs = file.endsWith('.ts') ? ['--import', 'tsx', path, ...args] : [path, ...args];
  const command = `${file.endsWith('.ts') ? 'npx tsx' : 'node'} ${relative(root, path)}${args.length ? ` ${args.join(' ')}` : ''}`;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, OPTIMIX_FAST: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, timedOut, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const total = performance.now();
const results = [];
for (const r of runs) {
  const res = await run(r);
  results.push(res);
  const ok = res.code === 0 && !res.timedOut;
  const slow = res.seconds > BUDGET ? `  (over the ${BUDGET} s budget)` : '';
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${res.seconds.toFixed(1).padStart(5)} s  OPTIMIX_FAST=1 ${res.command}${slow}`);
  if (!ok || verbose) {
    const why = res.timedOut ? `timed out after ${TIMEOUT} s` : res.signal ? `killed by ${res.signal}` : `exit code ${res.code}`;
    console.log(`${res.output.replace(/\s+$/, '').split('\n').map((l) => `     | ${l}`).join('\n')}${ok ? '' : `\n     | (${why})`}`);
  }
}
// Outputs: a `text` block right after a snippet's code block shows what that example prints. Each of its lines must be
// a line of the example's output (a line with `…` only up to the `…`: the rest, timings, varies), checked for the
// examples that ran here with no arguments.
const outputProblems = [];
let outputCount = 0;
for (const doc of SNIPPET_DOCS) {
  const lines = readFileSync(doc, 'utf8').split('\n');
  let file;
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- snippet: (\S+)#(\S+) -->$/.exec(lines[i].trim());
    if (marker !== null) file = marker[1];
    if (!/^```text\s*$/.test(lines[i]) || file === undefined) continue;
    const prose = lines.slice(0, i).reverse().findIndex((l) => /^```\s*$/.test(l));
    if (prose < 0 || lines.slice(i - prose, i).some((l) => l.trim() !== '')) continue; // not right after a code block
    const close = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    const res = results.find((r) => r.command === `npx tsx ${file}` || r.command === `node ${file}`);
    if (res === undefined || res.code !== 0) continue;
    outputCount++;
    const printed = res.output.split('\n').map((l) => l.trimEnd());
    for (const [k, want] of lines.slice(i + 1, close).entries()) {
      if (want.trim() === '') continue;
      const cut = want.indexOf('…');
      const ok = cut < 0 ? printed.includes(want.trimEnd()) : printed.some((l) => l.startsWith(want.slice(0, cut).trimEnd()));
      if (!ok) outputProblems.push(`${doc}:${i + 2 + k}: ${file} did not print: ${want.trim()}`);
    }
  }
}
if (outputProblems.length > 0) console.log(`\noutputs: ${outputProblems.length} line(s) of the docs' output blocks not printed by their examples:\n  - ${outputProblems.join('\n  - ')}`);
else if (outputCount > 0) console.log(`\noutputs: ${outputCount} output blocks in ${SNIPPET_DOCS.join(', ')} match what their examples printed`);

const failed = results.filter((r) => r.code !== 0 || r.timedOut);
console.log(`\n${results.length - failed.length}/${results.length} examples passed in ${((performance.now() - total) / 1000).toFixed(1)} s${failed.length ? `; failed: ${failed.map((r) => r.command).join('; ')}` : ''}`);
process.exit(failed.length === 0 && outputProblems.length === 0 ? 0 : 1);
