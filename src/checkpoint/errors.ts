import { OptimixError } from '../errors.js';

/** A checkpoint that cannot be written or read back as asked; `problems` names every difference, not only the first. */
export class CheckpointError extends OptimixError {
  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`${where}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`);
  }
}
