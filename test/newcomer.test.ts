// A new user's first hour, through the package as npm ships it (issue #12): build, `npm pack`, install the tarball into a
// fresh project (tfjs from the npm cache), run the README's quickstart verbatim as JavaScript and as TypeScript
// (type-checked under strict by this project's TypeScript), and check every mistake's error through the installed package.
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installTarball, node, run, type Installed } from './helpers/tarball.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const tsx = new URL('../node_modules/tsx/dist/esm/index.mjs', import.meta.url).href;
/** The TypeScript 7 (native compiler) the quickstart is also checked with, installed into the temporary project. */
const TS7 = '7.0.2';
let app = '';

/** The first ```lang block after the heading `## title` in README.md, verbatim. */
async function readmeBlock(title: string, lang: string): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n## ${title}\n`);
  assert.ok(at >= 0, `README.md has a section '## ${title}'`);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(at));
  assert.ok(m !== null, `the '${title}' section has a \`\`\`${lang} block`);
  return m[1] as string;
}

let installed: Installed | undefined;
before(async () => {
  installed = await installTarball('newcomer', ['@tensorflow/tfjs-core@4.22.0', `typescript@${TS7}`]);
  ({ app } = installed);
});

after(async () => {
  await installed?.cleanUp();
});

/** The output the README shows under "It prints", verbatim (its indented block). */
async function readmeOutput(): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const m = /\nIt prints[^\n]*\n\n((?: {4}.*\n)+)/.exec(readme.slice(readme.indexOf('\n## Quickstart\n')));
  assert.ok(m !== null, 'the quickstart section shows its output');
  return (m[1] as string).replace(/^ {4}/gm, '');
}

/** The quickstart printed exactly what the README says it prints. */
async function checkQuickstart(stdout: string): Promise<void> {
  assert.equal(stdout, await readmeOutput());
  for (const [, first, last] of stdout.matchAll(/loss ([\d.]+) → ([\d.]+)/g)) assert.ok(Number(last) < Number(first) / 10, `${first} → ${last}`);
}

test("the README's quickstart runs verbatim as JavaScript from the installed tarball", async () => {
  await writeFile(join(app, 'quickstart.mjs'), await readmeBlock('Quickstart', 'ts'));
  const { stdout } = await node(['quickstart.mjs'], app);
  await checkQuickstart(stdout);
});

test("the README's quickstart type-checks verbatim under strict on TypeScript 5.9 (even without skipLibCheck) and 7 (with the README's tsconfig), and runs as TypeScript", async () => {
  await writeFile(join(app, 'quickstart.ts'), await readmeBlock('Quickstart', 'ts'));
  await writeFile(join(app, 'tsconfig.json'), await readmeBlock('Install', 'json'));
  const { stdout: version } = await node([tsc, '--version'], app);
  assert.match(version, /Version 5\.9\./, "this project's TypeScript");
  // The README's config but stricter (tfjs's own .d.ts checked too): what passes here passes with skipLibCheck.
  await node([tsc, '-p', 'tsconfig.json', '--skipLibCheck', 'false'], app); // throws with the compiler's messages if it fails
  // TypeScript 7 accepts it with the README's skipLibCheck, and rejects tfjs-core's own .d.ts without it, as the README says.
  const ts7 = join(app, 'node_modules', '.bin', 'tsc');
  const { stdout: version7 } = await run(ts7, ['--version'], { cwd: app });
  assert.match(version7, new RegExp(`Version ${TS7.replaceAll('.', '\\.')}`));
  await run(ts7, ['-p', 'tsconfig.json'], { cwd: app, timeout: 60_000 });
  await assert.rejects(run(ts7, ['-p', 'tsconfig.json', '--skipLibCheck', 'false'], { cwd: app, timeout: 60_000 }), (e: { stdout?: string }) => /tfjs-core\/dist\/hash_util\.d\.ts.*Cannot find name 'Long'/.test(e.stdout ?? ''));
  const { stdout } = await node(['--import', tsx, 'quickstart.ts'], app);
  await checkQuickstart(stdout);
});

test('every mistake of the list gets its clear error through the installed package, and leaks no tensor', async () => {
  await copyFile(join(root, 'test', 'helpers', 'mistakes.ts'), join(app, 'mistakes.ts'));
  await writeFile(
    join(app, 'driver.ts'),
    `import * as tf from '@tensorflow/tfjs-core';
import * as o from 'optimix';
import { afterReady, beforeReady } from './mistakes.ts';
const results = [];
async function check(list) {
  for (const m of list) {
    const before = tf.memory().numTensors;
    let got;
    try { await m.run(); got = 'nothing thrown'; } catch (e) { got = e.name + ': ' + e.message; if (e.name === m.error && m.message.test(e.message) && e instanceof o.OptimixError) got = ''; }
    const leaked = tf.memory().numTensors - before;
    results.push({ name: m.name, problem: got + (leaked !== 0 ? ' (leaked ' + leaked + ' tensors)' : '') });
  }
}
await tf.ready();
await check(beforeReady(o, tf));
await o.ready();
await check(afterReady(o, tf));
console.log(JSON.stringify(results));
`,
  );
  const { stdout } = await node(['--import', tsx, 'driver.ts'], app);
  const results = JSON.parse(stdout.trim().split('\n').at(-1)!) as Array<{ name: string; problem: string }>;
  assert.ok(results.length >= 20, `${results.length} cases ran`);
  const failed = results.filter((r) => r.problem !== '');
  assert.deepEqual(failed, [], failed.map((r) => `${r.name}: ${r.problem}`).join('\n'));
});
