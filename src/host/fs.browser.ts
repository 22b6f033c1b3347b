// A page has no file system: checkpoint save/load to a directory throw NotInBrowserError naming the feature.
import type * as Node from './fs.node.js';
import { NotInBrowserError } from './notInBrowser.js';

/** fileSystem(feature): throws NotInBrowserError naming `feature` (use IndexedDB, a Blob, or bytes instead). */
export const fileSystem: typeof Node.fileSystem = (feature) => {
  throw new NotInBrowserError(feature, 'use saveToIndexedDB() / loadFromIndexedDB(), toBlob() / fromBlob(), or serialize() / deserialize() on bytes');
};
