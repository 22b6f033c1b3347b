import { OptimixError } from '../errors.js';

/** A checkpoint that cannot be written or read back as asked; `problems` names every difference, not only the first. */
export class CheckpointError extends OptimixError {
  constructor(
    /** The function that failed, e.g. `load`. */
    readonly where: string,
    /** Every problem found, one sentence each. */
    readonly problems: readonly string[],
  ) {
    super(`${where}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`);
  }
}
