// In a browser a loss module is a URL; file paths (and tsx) exist only under Node.
import type * as Node from './paths.node.js';
import { NotInBrowserError } from './notInBrowser.js';

function fail(): never {
  throw new NotInBrowserError('a loss module given by file path', 'give a URL (new URL(…, import.meta.url))');
}

/** cwd(): the page's address (where relative URLs resolve). */
export const cwd: typeof Node.cwd = () => (globalThis as { location?: { href: string } }).location?.href ?? '';
/** execArgv(): none. */
export const execArgv: typeof Node.execArgv = () => [];
/** createRequire: throws NotInBrowserError. */
export const createRequire = fail as unknown as typeof Node.createRequire;
/** isAbsolute: throws NotInBrowserError. */
export const isAbsolute = fail as unknown as typeof Node.isAbsolute;
/** resolvePath: throws NotInBrowserError. */
export const resolvePath = fail as unknown as typeof Node.resolvePath;
/** pathToFileURL: throws NotInBrowserError. */
export const pathToFileURL = fail as unknown as typeof Node.pathToFileURL;
