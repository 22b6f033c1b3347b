// A page's own worker entry, as docs/browser.md says to write one for custom kinds: optimix's browser worker plus the
// module that defines the kinds (test/fixtures/kinds.ts), bundled together so that they register in the worker's optimix.
import '../../src/interpret/browserWorker.js';
import '../fixtures/kinds.js';
