import { OptimixError } from './errors.js';

let readyDone = false;

/** markReady(): record that `ready()` finished in this thread (called by backend.ts). */
export function markReady(): void {
  readyDone = true;
}

/**
 * checkReady(where): throw unless `ready()` has finished in this thread — without it tfjs fails later ("gradient
 * function not found", a backend without optimix's kernels).
 */
export function checkReady(where: string): void {
  if (readyDone) return;
  throw new OptimixError(`${where}: call \`await ready()\` from optimix first (import { ready } from 'optimix'): it selects the backend and registers tfjs-core's gradients, which tf.ready() does not`);
}
