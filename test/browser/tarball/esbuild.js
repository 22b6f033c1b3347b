// The page as an esbuild user writes it (docs/browser.md): the wasm files copied to /wasm/, and optimix's worker bundled
// from the package export 'optimix/worker' to /optimix-worker.js, named with workerScript.
import { run } from './run.js';

await run('/wasm/', '/optimix-worker.js');
