// A page has no file system: checkpoint save/load to a directory throw NotInBrowserError naming the feature.
import type * as Node from './fs.node.js';
import { NotInBrowserError } from './notInBrowser.js';

/** fileSystem(feature): throws NotInBrowserError naming `feature` (use serialize/deserialize, which work on bytes). */
export const fileSystem: typeof Node.fileSystem = (feature) => {
  throw new NotInBrowserError(feature, 'use serialize() / deserialize(), which work on bytes (store them with fetch, a Blob download or IndexedDB)');
};
