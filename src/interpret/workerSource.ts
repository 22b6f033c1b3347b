import { createRequire, cwd, execArgv, isAbsolute, pathToFileURL, resolvePath } from '#host/paths';
import { ModelRefError, type ModelRef } from './modelRef.js';

const TS = /\.[cm]?tsx?$/;

/** tsxApi(): the URL of tsx's `register` module (from this package, else from the working directory), if tsx is installed. */
function tsxApi(): string | undefined {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    try {
      return pathToFileURL(createRequire(pathToFileURL(`${cwd()}/`).href).resolve('tsx/esm/api')).href;
    } catch {
      return undefined;
    }
  }
}

/**
 * workerSource(ref, entry?): how to start a gradient worker — its file (optimix's worker.ts/.js, or `entry`: a URL, or
 * a path relative to the working directory), or (when it or the loss module is TypeScript, or this process runs under
 * tsx) a small module that registers tsx's loader first: a worker does not inherit the loader.
 */
export function workerSource(ref: ModelRef, entry?: string | URL): { readonly code: string | URL; readonly eval: boolean } {
  const here = import.meta.url;
  const asUrl = (e: string | URL): URL => (e instanceof URL ? e : /^[a-z][a-z0-9+.-]*:/i.test(e) && !/^[a-z]:[\\/]/i.test(e) ? new URL(e) : pathToFileURL(isAbsolute(e) ? e : resolvePath(cwd(), e)));
  const worker = entry !== undefined ? asUrl(entry) : new URL(TS.test(new URL(here).pathname) ? './worker.ts' : './worker.js', here);
  const module = 'module' in ref ? String(ref.module) : '';
  // The parent runs under tsx (`npx tsx`, `node --import tsx`): its modules may rely on tsx's resolution too.
  const underTsx = execArgv().some((a) => /[\\/]tsx[\\/]|^tsx$|=tsx$/.test(a));
  if (!underTsx && !TS.test(worker.pathname) && !TS.test(module.replace(/[?#].*$/, ''))) return { code: worker, eval: false };
  const tsx = tsxApi();
  if (tsx === undefined) throw new ModelRefError(`parallel: the loss module ${module} is TypeScript, and a worker needs tsx to load it, but tsx cannot be found; install tsx (npm i -D tsx) and run under it, or give a .js/.mjs module`);
  return { code: `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(worker.href)});`, eval: true };
}
