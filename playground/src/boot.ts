// Start tfjs once for every view: the wasm binaries are bundled as assets (Vite gives their hashed URLs), and optimix's
// ready({ wasmPaths }) hands those URLs to tfjs (and to the parallel interpreter's workers) and picks the backend
// (wasm; cpu with a warning when wasm cannot start).
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { ready } from 'optimix';

/** The wasm binaries' URLs, by the file names tfjs-backend-wasm asks for. */
export const WASM_FILES = { 'tfjs-backend-wasm.wasm': plain, 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm-threaded-simd.wasm': threaded };

let started: Promise<string> | undefined;

/** boot(): the backend's name, once it is ready (started on first call). */
export function boot(): Promise<string> {
  started ??= (async () => {
    const backend = await ready({ wasmPaths: WASM_FILES });
    const el = document.getElementById('backend');
    if (el !== null) el.textContent = `Backend: ${backend}.`;
    return backend;
  })();
  return started;
}
