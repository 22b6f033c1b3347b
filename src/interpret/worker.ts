// The Node entry of a gradient worker (a worker_threads thread): its init data and request port come in workerData;
// the logic is in workerMain.ts, shared with the browser entry (browserWorker.ts).
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { nodePort } from '#host/worker_threads';
import { serveWorker } from './workerMain.js';

if (parentPort === null) throw new Error('optimix worker: must run in a worker thread');
const parent = parentPort;
const { port, ...init } = workerData as { port: MessagePort } & Record<string, unknown>;
serveWorker({ init, port: nodePort(port), toParent: (m) => parent.postMessage(m) }, { heapUsed: () => getHeapStatistics().used_heap_size, importDefinedKinds: true });
