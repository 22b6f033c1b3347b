// The house stays layered: core ← transforms, sources ← optimizer ← interpreters. Checked on src/'s import graph.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
const all = files(src);

/** imports(file): the src/ files it imports directly (static `import … from`, `export … from`, `import '…'`, and `import(…)`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts')).filter((f) => f.startsWith(src));
}

/** reach(file): every src/ file it imports, directly or through others. */
function reach(file: string, seen = new Set<string>()): Set<string> {
  for (const f of imports(file)) if (!seen.has(f)) reach(f, seen.add(f));
  return seen;
}

const rel = (f: string): string => relative(src, f);
const under = (dir: string) => (f: string): boolean => rel(f).startsWith(`${dir}/`);

function check(group: string[], forbidden: Array<(f: string) => boolean>, what: string): void {
  assert.ok(group.length > 0, `no files for ${what}`);
  const problems = group.flatMap((f) => [...reach(f)].filter((g) => forbidden.some((bad) => bad(g))).map((g) => `${rel(f)} reaches ${rel(g)}`));
  assert.deepEqual(problems, [], `${what}:\n${problems.join('\n')}`);
}

test('the core (tree, random, schedule) and the transforms import nothing from sources, perturbations or interpreters', () => {
  const core = all.filter((f) => ['tree.ts', 'random.ts', 'schedule.ts'].includes(rel(f)));
  check([...core, ...all.filter(under('transform'))], [under('source'), under('perturbation'), under('interpret')], 'core and transforms');
});

test('sources and perturbations import nothing from the interpreters (nor the optimizer)', () => {
  check([...all.filter(under('source')), ...all.filter(under('perturbation'))], [under('interpret'), (f) => rel(f) === 'optimizer.ts'], 'sources and perturbations');
});

test('the checker sees imports: the optimizer does reach the interpreters', () => {
  assert.ok([...reach(join(src, 'optimizer.ts'))].some(under('interpret')));
});
