// What docs/browser.md tells a Vite user to add for `vite` (the dev server) when the parallel interpreter is used: serve
// optimix unbundled, so that its worker's `new URL(…, import.meta.url)` is found, and pre-bundle the CommonJS modules
// it imports (a worker's imports are not crawled otherwise). `vite build` needs nothing.
export default {
  optimizeDeps: {
    exclude: ['optimix'],
    include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu', 'fast-check', 'fp-ts/lib/Apply.js', 'fp-ts/lib/Either.js', 'fp-ts/lib/Monoid.js', 'fp-ts/lib/NonEmptyArray.js', 'fp-ts/lib/function.js'],
  },
};
