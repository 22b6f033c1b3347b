// The host under Node: environment variables, CPU count, process handlers. Its browser twin is
// runtime.browser.ts; package.json `imports` ("#host/*") picks one by the `node` / `default` condition.
import { availableParallelism } from 'node:os';

/** envVar(name): the environment variable `name` (`process.env[name]`), or undefined. */
export const envVar = (name: string): string | undefined => process.env[name];

/** cpuCount(): the threads this machine can run at once (`os.availableParallelism()`). */
export const cpuCount = (): number => availableParallelism();

/** processHandlerGuard(): a function that removes every uncaughtException / unhandledRejection handler added since this call. */
export function processHandlerGuard(): () => void {
  const before = new Set<unknown>([...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')]);
  return () => {
    for (const l of process.listeners('uncaughtException')) if (!before.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!before.has(l)) process.removeListener('unhandledRejection', l);
  };
}
