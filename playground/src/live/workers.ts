// Where the mixes' two gradients run. The browser's worker interpreter (optimix's `parallel` on Web Workers) is not in
// this build yet: the mixes run sequentially, and the "workers: 1" choice stays disabled until it is.
import type { Interpreter } from 'optimix';
import type { ZooModel } from 'optimix/models';

/** Whether the page can run the mixes on a worker, and the note the controls show when it cannot. */
export const WORKERS: { readonly available: boolean; readonly note: string } = {
  available: false,
  note: 'The worker interpreter for the browser is not in this build yet; both gradients run on this thread.',
};

/** A made interpreter and how the table labels it; `close` ends its workers. */
export interface MadeInterpreter {
  readonly value: Interpreter;
  readonly label: string;
  readonly close: () => Promise<void>;
}

/** workerInterpreter(model, workers): the worker interpreter for `model` (undefined for 0 workers: sequential). */
export function workerInterpreter(_model: ZooModel, workers: number): MadeInterpreter | undefined {
  if (workers === 0) return undefined;
  throw new Error(`workers: ${workers}: ${WORKERS.note}`);
}
