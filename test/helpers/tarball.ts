// The package as npm ships it, installed into a fresh project: build a copy of the repository (so the worktree's own
// dist/ is never touched), `npm pack` it, and `npm install` the tarball (and any extra packages, from the npm cache when
// they are there) into an empty project. Used by test/newcomer.test.ts and test/browser.tarball.test.ts.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** node(args, cwd, timeout): run this Node with args. */
export const node = (args: string[], cwd: string, timeout = 60_000) => run(process.execPath, args, { cwd, timeout, maxBuffer: 1 << 24 });

/** npm(args, cwd, timeout): run the npm that runs this test (npm_execpath), else `npm` on the PATH. */
function npm(args: string[], cwd: string, timeout: number) {
  const cli = process.env['npm_execpath'];
  return cli !== undefined && cli.endsWith('.js') ? node([cli, ...args], cwd, timeout) : run('npm', args, { cwd, timeout, maxBuffer: 1 << 24 });
}

/** An installed tarball: the temporary folder (remove it with `cleanUp`) and the project it is installed in. */
export interface Installed {
  readonly work: string;
  readonly app: string;
  readonly cleanUp: () => Promise<void>;
}

/** installTarball(name, extra): build and pack optimix, then install the tarball and `extra` into a new project `name`. */
export async function installTarball(name: string, extra: readonly string[]): Promise<Installed> {
  const work = await mkdtemp(join(tmpdir(), `optimix-${name}-`));
  const app = join(work, 'app');
  await mkdir(app);
  const pkg = join(work, 'pkg');
  const skip = new Set(['node_modules', 'dist', 'out', '.cache', '.git', 'docs/api', 'playground/dist']);
  await cp(root, pkg, { recursive: true, filter: (from) => !skip.has(relative(root, from)) });
  await symlink(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  await node(['scripts/build.mjs'], pkg, 120_000);
  // Built just above: prepack's build would print into the JSON.
  const { stdout } = await npm(['pack', '--pack-destination', work, '--json', '--silent', '--ignore-scripts'], pkg, 60_000);
  const tarball = join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: `${name}-app`, private: true, type: 'module' }));
  await npm(['install', tarball, ...extra, '--prefer-offline', '--no-audit', '--no-fund', '--silent'], app, 120_000);
  return { work, app, cleanUp: () => rm(work, { recursive: true, force: true }) };
}
