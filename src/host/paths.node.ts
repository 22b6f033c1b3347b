// Node's path and URL helpers used to locate loss modules and tsx for worker threads (browser twin: paths.browser.ts).
export { createRequire } from 'node:module';
export { isAbsolute, resolve as resolvePath } from 'node:path';
export { pathToFileURL } from 'node:url';
