import { OptimixError } from '../errors.js';

/** A Node-only feature (checkpoint files, dataset packages, loss modules by file path) was used in a browser; `feature` names it. */
export class NotInBrowserError extends OptimixError {
  constructor(
    /** The feature, e.g. `checkpoint save(dir)`. */
    readonly feature: string,
    /** What to use instead in a page. */
    readonly instead: string,
  ) {
    super(`${feature} is not available in a browser: ${instead}`);
  }
}
