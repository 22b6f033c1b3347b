// The parallel interpreter's threads under Node: node:worker_threads behind the Thread interface of ./threads.ts
// (browser twin: worker_threads.browser.ts, on Web Workers).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { SpawnOptions, Thread, ThreadPort } from './threads.js';

/** Whether this host can take a message off a port without sleeping (Node: receiveMessageOnPort). */
export const canPoll: boolean = true;

/** nodePort(port): a worker_threads MessagePort as a ThreadPort (the same calls, no copies). */
export function nodePort(port: MessagePort): ThreadPort {
  return {
    post: (m, transfer) => port.postMessage(m, transfer as ArrayBuffer[] | undefined),
    onMessage: (listener) => void port.on('message', listener),
    poll: () => receiveMessageOnPort(port),
    ref: () => port.ref(),
    unref: () => port.unref(),
    close: () => port.close(),
  };
}

/** spawnThread({ init, script, nodeSource }): a worker thread given `init` (plus its port) as workerData; unref'd (it does not keep the process alive). */
export function spawnThread({ init, script, nodeSource }: SpawnOptions): Thread {
  // Requests and replies go through a channel of their own, which both sides can also poll (receiveMessageOnPort).
  const { port1, port2 } = new MessageChannel();
  if (typeof script === 'function') throw new TypeError('parallel: under Node, workerScript must be a file URL or a path (a function that makes a Worker is for a page)');
  const { code, eval: isEval } = nodeSource(script);
  const worker = new Worker(code, { eval: isEval, workerData: { ...init, port: port2 }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return {
    port: nodePort(port1),
    script: isEval ? 'optimix worker (through tsx)' : String(code),
    startHint: '',
    onceMessage: (listener) => void worker.once('message', listener),
    onError: (listener) => void worker.on('error', listener),
    onExit: (listener) => void worker.on('exit', listener),
    terminate: () => worker.terminate().then(() => undefined),
  };
}
