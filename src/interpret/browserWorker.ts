// The browser entry of a gradient worker (a module Web Worker; the package export 'optimix/worker'): its first message
// carries the init data and the request port; the logic is in workerMain.ts, shared with the Node entry (worker.ts).
import { webPort } from '../host/worker_threads.browser.js';
import { serveWorker } from './workerMain.js';

// The worker global's few APIs used here (the project type-checks without the DOM and WebWorker libraries).
interface WorkerScope {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void, options?: { once?: boolean }): void;
}
const scope = globalThis as unknown as WorkerScope;

/** heapUsed(): the JS heap in use where Chromium tells it (performance.memory, non-standard), else undefined. */
const heapUsed = (): number | undefined => (globalThis.performance as { memory?: { usedJSHeapSize?: number } } | undefined)?.memory?.usedJSHeapSize;

scope.addEventListener(
  'message',
  (e) => {
    const { optimixWorker, port } = (e.data ?? {}) as { optimixWorker?: Record<string, unknown>; port?: Parameters<typeof webPort>[0] };
    if (optimixWorker === undefined || port === undefined) {
      scope.postMessage({ ready: false, error: "this optimix worker's first message must be { optimixWorker, port } (it is started by parallel())" });
      return;
    }
    serveWorker({ init: optimixWorker, port: webPort(port), toParent: (m) => scope.postMessage(m) }, { heapUsed, importDefinedKinds: false });
  },
  { once: true },
);
