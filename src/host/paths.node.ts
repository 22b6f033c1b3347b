// Node's path and URL helpers used to locate loss modules and tsx for worker threads (browser twin: paths.browser.ts).
export { createRequire } from 'node:module';
export { isAbsolute, resolve as resolvePath } from 'node:path';
export { pathToFileURL } from 'node:url';

/** cwd(): the working directory (`process.cwd()`). */
export const cwd = (): string => process.cwd();

/** execArgv(): Node's own command-line options (`process.execArgv`). */
export const execArgv = (): readonly string[] => process.execArgv;
