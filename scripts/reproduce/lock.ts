// An exclusive lock on a file, held by a child `flock(1)` process, so that timed work shares the machine's benchmark
// lock (/work/bench.lock here) one run at a time instead of holding it for a whole hour-long command.
import { spawn } from 'node:child_process';

/**
 * withLock(path, fn, { timeoutSeconds = 1800 }): run fn while holding `flock -x path` (waiting for other holders, at
 * most timeoutSeconds, then an Error naming the lock); just fn when path is undefined. Returns fn's value and how many
 * seconds the wait took.
 */
export async function withLock<T>(path: string | undefined, fn: () => Promise<T>, options: { readonly timeoutSeconds?: number } = {}): Promise<{ value: T; waited: number }> {
  if (path === undefined) return { value: await fn(), waited: 0 };
  const timeout = options.timeoutSeconds ?? 1800;
  const t0 = performance.now();
  const child = spawn('flock', ['-x', '-w', String(timeout), path, 'sh', '-c', 'echo locked; cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  await new Promise<void>((res, rej) => {
    child.stdout.once('data', () => res());
    child.once('error', (e) => rej(new Error(`withLock: cannot run flock for ${path}: ${e.message}`)));
    void exited.then((code) => rej(new Error(`withLock: flock ${path} exited (code ${String(code)}) before the lock was held: waited more than ${timeout} s?`)));
  });
  const waited = (performance.now() - t0) / 1000;
  try {
    return { value: await fn(), waited };
  } finally {
    child.stdin.end();
    await exited;
  }
}
