// A page has no node_modules to read: the dataset package loaders throw NotInBrowserError naming the feature.
import type * as Node from './packageFiles.node.js';
import { NotInBrowserError } from './notInBrowser.js';

/** packageFiles(feature): throws NotInBrowserError naming `feature`. */
export const packageFiles: typeof Node.packageFiles = (feature) => {
  throw new NotInBrowserError(feature, "fetch the images and labels yourself and build the Dataset with makeDataset (from 'optimix/data')");
};
