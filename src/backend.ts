import * as tf from '@tensorflow/tfjs-core';
import { wasmPathsProblem, type WasmPaths } from './wasmPaths.js';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { envVar, processHandlerGuard } from '#host/runtime';
import { markReady } from './readiness.js';
import { checkKeys } from './validate.js';

/** The tfjs backends optimix runs on: `wasm` (default, SIMD build) or `cpu` (fallback). */
export type BackendName = 'wasm' | 'cpu';

/** Options of `ready`. */
export interface ReadyOptions {
  /** Backend to select; default `'wasm'`, falling back to `'cpu'` with a warning. */
  readonly backend?: BackendName;
  /** Called with a message when the requested backend cannot start and `cpu` is used. */
  readonly onFallback?: (message: string) => void;
  /**
   * Where the page serves tfjs-backend-wasm's `.wasm` files: a URL prefix ending in `/`, or a URL per file (as a
   * bundler's asset imports give them); calls `setWasmPaths` with it and remembers it, so that the parallel
   * interpreter's workers load the same binary. Default: tfjs's (beside the script).
   */
  readonly wasmPaths?: WasmPaths;
}

let wasmPrefix: WasmPaths | undefined;

/** wasmPathsGiven(): the paths last given to `ready({ wasmPaths })`, if any (what the parallel interpreter sends its workers). */
export const wasmPathsGiven = (): WasmPaths | undefined => wasmPrefix;

let gradientsLoaded: Promise<void> | undefined;
const kernelInstallers: Array<(backend: BackendName) => void> = [];

/** Registers a function that installs extra kernels when a backend is selected (used by src/kernels). */
export function onBackendReady(install: (backend: BackendName) => void): void {
  kernelInstallers.push(install);
}

/**
 * Loads tfjs-core's gradient definitions, which its Node bundle does not register, from one file made at build time
 * (src/tfjsGradients.generated.mjs, by scripts/bundleGradients.mjs): the gradients take their ops, engine and
 * registry from '@tensorflow/tfjs-core' itself. Works under tsx and plain `node` alike. Idempotent.
 */
function loadGradients(): Promise<void> {
  gradientsLoaded ??= (async () => {
    if (tf.getGradient('Square') === undefined) await import('./tfjsGradients.generated.mjs' as string);
  })();
  return gradientsLoaded;
}

/** `await ready()` once before using optimix: selects the backend (wasm → cpu fallback) and registers gradients. Idempotent. */
export async function ready(options: ReadyOptions = {}): Promise<BackendName> {
  checkKeys('ready', options, ['backend', 'onFallback', 'wasmPaths']);
  if (options.wasmPaths !== undefined) {
    const problem = wasmPathsProblem(options.wasmPaths);
    if (problem !== undefined) throw new TypeError(`ready: ${problem}`);
    try {
      setWasmPaths(options.wasmPaths);
    } catch {
      // tfjs refuses once its wasm backend has started (the files are loaded): the prefix is still sent to workers.
    }
    wasmPrefix = options.wasmPaths;
  }
  const wanted: BackendName = options.backend ?? (envVar('OPTIMIX_BACKEND') === 'cpu' ? 'cpu' : 'wasm');
  await loadGradients();
  let chosen: BackendName = wanted;
  const removeNewHandlers = processHandlerGuard();
  if (tf.getBackend() !== wanted) {
    let ok = false;
    try {
      ok = await tf.setBackend(wanted);
    } catch {
      ok = false;
    }
    if (!ok) {
      const message = `optimix: the '${wanted}' backend could not start; falling back to 'cpu' (expect 10–50× slower training).`;
      (options.onFallback ?? ((m: string) => console.warn(m)))(message);
      await tf.setBackend('cpu');
      chosen = 'cpu';
    }
  }
  await tf.ready();
  // The WASM module (Emscripten) installs process handlers that rethrow every uncaught error and print its whole
  // minified source with it; remove them so errors read normally.
  removeNewHandlers();
  for (const install of kernelInstallers) install(chosen);
  markReady();
  return chosen;
}
