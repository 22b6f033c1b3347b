import { OptimixError } from '../errors.js';

/** A dataset file that cannot be read (truncated, corrupt, foreign) or fetched (HTTP error, timeout); `problems` lists every one found. */
export class DatasetError extends OptimixError {
  constructor(
    /** The function that failed, e.g. `fetchDataset`. */
    readonly where: string,
    /** Every problem found, one sentence each. */
    readonly problems: readonly string[],
    options?: { readonly cause?: unknown },
  ) {
    super(`${where}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`, options);
  }
}
