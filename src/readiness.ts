import * as tf from '@tensorflow/tfjs-core';
import { OptimixError } from './errors.js';

let readyDone = false;

/** markReady(): record that `ready()` finished in this thread (called by backend.ts). */
export function markReady(): void {
  readyDone = true;
}

/**
 * checkReady(where): throw unless `ready()` has run in this thread (or tfjs-core's gradients are registered some other
 * way) — without it tfjs fails later with "gradient function not found".
 */
export function checkReady(where: string): void {
  if (readyDone || tf.getGradient('Mean') !== undefined) return;
  throw new OptimixError(`${where}: call \`await ready()\` from optimix first (import { ready } from 'optimix'): it selects the backend and registers tfjs-core's gradients, which tf.ready() does not`);
}
