// A gradient worker of the page's parallel interpreter: optimix's browser worker (the 'optimix/worker' export), told
// first where Vite put the wasm binaries (hashed file names, so there is no one prefix to pass as `wasmPaths`).
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import '../../../src/interpret/browserWorker.ts';

// Runs before the first message (the worker's init) can arrive: the worker's ready() then loads these files.
setWasmPaths({ 'tfjs-backend-wasm.wasm': plain, 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm-threaded-simd.wasm': threaded });
