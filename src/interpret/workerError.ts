import { OptimixError } from '../errors.js';

/** A worker that failed: it threw while evaluating, crashed, could not start, did not answer in time, or was closed. */
export class WorkerError extends OptimixError {}
