// A bare gradient worker for the benchmark's two-passes-at-once check: on a message k, it runs k forward+backward passes of a
// zoo model (the same model, batch and parameters as the main thread) and answers 'done'. No optimix machinery:
// it measures what two threads can do at once on this machine, the ceiling of the parallel interpreter.
import { parentPort, workerData } from 'node:worker_threads';
import { ready } from '../src/backend.js';
import '../src/kernels/index.js';
import { type ModelKind } from '../src/models/index.js';
import { gradientRunner } from './gradientRunner.js';

const port = parentPort;
if (port === null) throw new Error('scalingWorker: must run in a worker thread');
const { kind, batch } = workerData as { kind: ModelKind; batch: number };
await ready({ backend: 'wasm' });
const { run } = gradientRunner(kind, batch);
run(2);
port.on('message', (k: number) => {
  run(k);
  port.postMessage('done');
});
port.postMessage('ready');
