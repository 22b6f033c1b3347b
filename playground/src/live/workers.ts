// Where the mixes' two gradients run: sequentially on this thread, or on optimix's parallel interpreter with one module
// Web Worker (the page computes one gradient while the worker computes the other), or both, to compare.
import { parallel, type Interpreter } from 'optimix';
import type { ZooModel } from 'optimix/models';

/** The choices: 'sequential', 'workers' (workers: 1), or 'both' (each mix twice, one after the other). */
export const MIXES = ['sequential', 'workers', 'both'] as const;
export type Mixes = (typeof MIXES)[number];

/** A made interpreter and how the table labels it; `close` ends its workers. */
export interface MadeInterpreter {
  readonly value: Interpreter;
  readonly label: string;
  readonly close: () => Promise<void>;
}

/** workerInterpreter(model): parallel({ workers: 1, model }) on this view's worker script (the model travels as its spec). */
export function workerInterpreter(model: ZooModel): MadeInterpreter {
  const value = parallel({
    workers: 1,
    model,
    workerScript: () => new Worker(new URL('./gradientWorker.ts', import.meta.url), { type: 'module' }),
  });
  return { value, label: 'workers: 1', close: () => value.close() };
}
