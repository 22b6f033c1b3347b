// A page has no node_modules to read: the dataset package loaders throw NotInBrowserError naming the feature.
import type * as Node from './packageFiles.node.js';
import { NotInBrowserError } from './notInBrowser.js';

/** packageFiles(feature): throws NotInBrowserError naming `feature`. */
export const packageFiles: typeof Node.packageFiles = (feature) => {
  throw new NotInBrowserError(feature, "fetch a dataset file with fetchDataset(url) (one encodeDataset wrote), or build the Dataset with makeDataset (both from 'optimix/data')");
};
