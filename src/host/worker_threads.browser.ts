// The parallel interpreter's threads in a page: module Web Workers behind the Thread interface of ./threads.ts (Node
// twin: worker_threads.node.ts). A page cannot take a message off a port without sleeping, so replies come by event.
import type * as Node from './worker_threads.node.js';
import type { ThreadPort } from './threads.js';

// The few Web Worker APIs used here (the project type-checks without the DOM library).
interface WebPort {
  postMessage(m: unknown, transfer?: readonly unknown[]): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  close(): void;
}
interface WebWorker {
  postMessage(m: unknown, transfer?: readonly unknown[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (e: { data?: unknown; message?: string; preventDefault?: () => void }) => void, options?: { once?: boolean }): void;
  terminate(): void;
}
declare const Worker: new (url: string | URL, options: { type: 'module'; name?: string }) => WebWorker;
declare const MessageChannel: new () => { port1: WebPort; port2: WebPort };

/** Whether this host can take a message off a port without sleeping: not in a page (the `spin` option has no effect). */
export const canPoll: typeof Node.canPoll = false;

/** webPort(port): a page's MessagePort as a ThreadPort (poll, ref and unref do nothing). */
export function webPort(port: WebPort): ThreadPort {
  return {
    post: (m, transfer) => port.postMessage(m, transfer ?? []),
    onMessage: (listener) => {
      port.onmessage = (e) => listener(e.data);
    },
    poll: () => undefined,
    ref: () => undefined,
    unref: () => undefined,
    close: () => port.close(),
  };
}

const HINT =
  "serve optimix's browser worker (the package export 'optimix/worker', dist/interpret/browserWorker.js, bundled for the browser) as JavaScript at that URL, or pass parallel({ workerScript }) (train's parallel option): its URL, or a function returning new Worker(url, { type: 'module' })";

/**
 * spawnThread({ init, script }): a module Web Worker — optimix's own, found next to this file as bundlers expect
 * (`new Worker(new URL(…, import.meta.url), { type: 'module' })`), or the `workerScript` given — sent `init` and its
 * port in its first message. A script that cannot be loaded is reported through onError, naming its URL.
 */
export const spawnThread: typeof Node.spawnThread = ({ init, script }) => {
  const worker: WebWorker =
    script === undefined ? new Worker(new URL('../interpret/browserWorker.js', import.meta.url), { type: 'module' }) : typeof script === 'function' ? (script() as WebWorker) : new Worker(script, { type: 'module' });
  const name = script === undefined ? new URL('../interpret/browserWorker.js', import.meta.url).href : typeof script === 'function' ? 'the Worker that workerScript() returned' : String(script);
  if (worker === null || typeof worker !== 'object' || typeof worker.postMessage !== 'function') throw new TypeError(`parallel: workerScript() must return a Worker (new Worker(url, { type: 'module' })), got ${String(worker)}`);
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ optimixWorker: init, port: port2 }, [port2]);
  return {
    port: webPort(port1),
    script: name,
    startHint: HINT,
    onceMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data), { once: true }),
    onError: (listener) => {
      worker.addEventListener('error', (e) => {
        e.preventDefault?.(); // handled here: not an uncaught error of the page
        listener(new Error(e.message !== undefined && e.message !== '' ? `${e.message} (worker script ${name})` : `the worker script ${name} could not be loaded or run (not found, not JavaScript, or it threw while loading); ${HINT}`));
      });
      worker.addEventListener('messageerror', () => listener(new Error(`a message from the worker (${name}) could not be read`)));
    },
    onExit: () => undefined,
    terminate: async () => worker.terminate(),
  };
};
