// An exclusive lock on a file, held by a child `flock(1)` process, so that timed work shares the machine's benchmark
// lock (/work/bench.lock here) one run at a time instead of holding it for a whole hour-long command.
import { spawn } from 'node:child_process';

/**
 * withLock(path, fn, { timeoutSeconds = 1800, orWithout = false }): run fn while holding `flock -x path`, waiting at
 * most timeoutSeconds for other holders — then an Error naming the lock, or with orWithout, fn runs without the lock.
 * Just fn when path is undefined. Returns fn's value, the seconds waited and whether the lock was held.
 */
export async function withLock<T>(
  path: string | undefined,
  fn: () => Promise<T>,
  options: { readonly timeoutSeconds?: number; readonly orWithout?: boolean } = {},
): Promise<{ value: T; waited: number; held: boolean }> {
  if (path === undefined) return { value: await fn(), waited: 0, held: false };
  const timeout = options.timeoutSeconds ?? 1800;
  const t0 = performance.now();
  const child = spawn('flock', ['-x', '-w', String(timeout), path, 'sh', '-c', 'echo locked; cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  try {
    await new Promise<void>((res, rej) => {
      child.stdout.once('data', () => res());
      child.once('error', (e) => rej(new Error(`withLock: cannot run flock for ${path}: ${e.message}`)));
      void exited.then((code) => rej(new Error(`withLock: flock ${path} exited (code ${String(code)}) before the lock was held: waited more than ${timeout} s?`)));
    });
  } catch (e) {
    if (options.orWithout !== true) throw e;
    return { value: await fn(), waited: (performance.now() - t0) / 1000, held: false };
  }
  const waited = (performance.now() - t0) / 1000;
  try {
    return { value: await fn(), waited, held: true };
  } finally {
    child.stdin.end();
    await exited;
  }
}
