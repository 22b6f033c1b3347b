// A gradient worker of the page's parallel interpreter: optimix's browser worker (the 'optimix/worker' entry), bundled
// by Vite from the sources. It needs nothing else: the wasm files' URLs (hashed by Vite) reach it from
// ready({ wasmPaths }) in boot.ts, which the parallel interpreter sends to its workers.
import '../../../src/interpret/browserWorker.ts';
