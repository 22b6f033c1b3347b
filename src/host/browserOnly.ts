import { OptimixError } from '../errors.js';

/** A browser-only feature (IndexedDB) was used where the runtime lacks it (Node); NotInBrowserError's counterpart. */
export class BrowserOnlyError extends OptimixError {
  constructor(
    /** The feature, e.g. `saveToIndexedDB`. */
    readonly feature: string,
    /** What it needs that this runtime lacks, e.g. `IndexedDB`. */
    readonly needs: string,
    /** What to use instead here. */
    readonly instead: string,
  ) {
    super(`${feature} needs ${needs}, which this runtime does not have (Node has none): ${instead}`);
  }
}
