// The parallel interpreter's worker threads: starting them (with a deadline), sending requests (each with a
// deadline), taking replies (by event or by polling), and ending them — a worker that fails is replaced on next use.
import * as tf from '@tensorflow/tfjs-core';
import { canPoll, spawnThread } from '#host/worker_threads';
import type { Thread, ThreadPort, WorkerScript } from '../host/threads.js';
import type { BackendName } from '../backend.js';
import type { WasmPaths } from '../wasmPaths.js';
import { wasmKernelSettings } from '../kernels/index.js';
import type { ModelRef } from './modelRef.js';
import { workerSource } from './workerSource.js';
import type { EvalReply, EvalRequest, MemoryReply, NormalsMessage, WorkerInit } from './workerMain.js';

// WorkerError lives in its own file, so that the public types never reach this module's host thread types.
import { WorkerError } from './workerError.js';
import { OptimixError } from '../errors.js';
export { WorkerError };

export type OkReply = (EvalReply & { ok: true }) | MemoryReply;
type Message = EvalReply | MemoryReply | NormalsMessage;

/** One worker thread and the requests it has not answered yet. */
export interface Slot {
  readonly index: number;
  readonly worker: Thread;
  readonly port: ThreadPort;
  started: Promise<void>;
  readonly pending: Map<number, { resolve: (r: OkReply) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> | undefined }>;
  dead: Error | undefined;
  /** Settles `started` (a failure before the ready message rejects the start too). */
  settleStart: (e: Error | undefined) => void;
  /** fail(e): terminate the worker, reject everything it was asked, and free its place (a new worker takes it). */
  readonly fail: (e: Error) => void;
}

export interface PoolOptions {
  readonly count: number;
  readonly spin: number;
  readonly stepTimeout: number;
  readonly startTimeout: number;
  readonly backend: BackendName | undefined;
  /** The worker script (default: optimix's worker for this host). */
  readonly script: WorkerScript | undefined;
  /** The wasm files' prefix to give the workers (the page's setWasmPaths prefix), if any. */
  readonly wasmPaths: WasmPaths | undefined;
  /** Normals a worker drew ahead for this thread. */
  readonly onNormals: (m: NormalsMessage) => void;
}

/** workerPool(options): `count` worker places, filled on first use (`start`), each request timed out after `stepTimeout` ms. */
export function workerPool(o: PoolOptions) {
  const slots: Array<Slot | undefined> = Array.from({ length: o.count }, () => undefined);
  let nextId = 0;
  let closed = false;

  /** receive(slot, message): hand on drawn normals, or settle the request a reply answers (by event, or by polling). */
  const receive = (slot: Slot, m: Message): void => {
    if ('kind' in m) return o.onNormals(m);
    const p = slot.pending.get(m.id);
    if (p === undefined) return;
    slot.pending.delete(m.id);
    clearTimeout(p.timer);
    if (slot.pending.size === 0) slot.port.unref();
    if (m.ok) p.resolve(m);
    else p.reject(new WorkerError(`parallel: worker ${slot.index} failed to evaluate the gradient: ${m.name}: ${m.error}`));
  };

  const spawn = (i: number, ref: ModelRef): Slot => {
    // The workers replace the same wasm kernels as this thread, and load the same wasm binary, so that both compute
    // alike (bit for bit). Requests and replies go through a channel of their own (which Node can also poll).
    const init: WorkerInit = { model: ref, backend: o.backend ?? (tf.getBackend() as BackendName), kernels: wasmKernelSettings(), spin: o.spin, ...(o.wasmPaths !== undefined ? { wasmPaths: o.wasmPaths } : {}) };
    let worker: Thread;
    try {
      worker = spawnThread({ init, script: o.script, nodeSource: (entry) => workerSource(ref, entry) });
    } catch (e) {
      // A misuse (TypeError, ModelRefError) is thrown as it is; a host that refuses the script (a page's SecurityError
      // for another origin, a bad URL) is a worker that could not start.
      if (e instanceof TypeError || !(e instanceof Error) || e instanceof OptimixError) throw e;
      throw new WorkerError(`parallel: worker ${i} could not start: ${e.name}: ${e.message}${o.script === undefined || typeof o.script === 'function' ? '' : ` (worker script ${String(o.script)})`}`);
    }
    const port = worker.port;
    // In a page, say which script did not start and how to serve it (under Node optimix finds its own worker).
    const hint = worker.startHint === '' ? '' : ` (worker script ${worker.script}; ${worker.startHint})`;
    const slot: Slot = {
      index: i,
      worker,
      port,
      pending: new Map(),
      dead: undefined,
      started: Promise.resolve(),
      settleStart: () => undefined,
      fail: (e) => {
        if (slot.dead !== undefined) return;
        slot.dead = e;
        slot.settleStart(e);
        port.close();
        void worker.terminate();
        for (const p of slot.pending.values()) {
          clearTimeout(p.timer);
          p.reject(e);
        }
        slot.pending.clear();
        if (slots[i] === slot) slots[i] = undefined;
      },
    };
    slot.started = new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const timer = o.startTimeout > 0 ? setTimeout(() => slot.fail(new WorkerError(`parallel: worker ${i} did not start within ${Math.round(performance.now() - t0)} ms (startTimeout ${o.startTimeout} ms); it was terminated${hint}`)), o.startTimeout) : undefined;
      slot.settleStart = (e) => {
        clearTimeout(timer);
        slot.settleStart = () => undefined;
        if (e === undefined) resolve();
        else reject(e);
      };
      worker.onceMessage((message) => {
        const m = (message ?? {}) as { ready?: boolean; error?: string };
        if (m.ready === true) slot.settleStart(undefined);
        else slot.fail(new WorkerError(`parallel: worker ${i} could not start: ${m.error ?? 'unknown error'}${hint}`));
      });
    });
    slot.started.catch(() => undefined);
    port.onMessage((m) => receive(slot, m as Message));
    worker.onError((e) => slot.fail(new WorkerError(`parallel: worker ${i} crashed: ${e.message}`)));
    worker.onExit((code) => {
      if (!closed) slot.fail(new WorkerError(`parallel: worker ${i} exited unexpectedly (code ${code})`));
    });
    return slot;
  };

  const refuseClosed = (): void => {
    if (closed) throw new WorkerError('parallel: the interpreter is closed (close() was called); make a new one with parallel()');
  };

  return {
    refuseClosed,

    /** start(i, ref): worker i, started (spawned on first use with the model `ref()` names; a worker that died is replaced). */
    start: async (i: number, ref: () => ModelRef): Promise<Slot> => {
      refuseClosed();
      const slot = slots[i] ?? (slots[i] = spawn(i, ref()));
      await slot.started;
      refuseClosed();
      return slot;
    },

    /** pollUntil(from, done): take messages off these workers' ports until done() or `spin` ms have passed, instead of sleeping. */
    pollUntil: (from: readonly Slot[], done: () => boolean): void => {
      const until = performance.now() + o.spin;
      while (canPoll && !done() && performance.now() < until && from.some((s) => s.dead === undefined)) {
        for (const slot of from) {
          if (slot.dead !== undefined) continue;
          const m = slot.port.poll()?.message as Message | undefined;
          if (m !== undefined) receive(slot, m);
        }
      }
    },

    /** post(slot, message): send now (the worker starts while this thread goes on); the request's id and its reply, which rejects after stepTimeout ms. */
    post: <R extends OkReply>(slot: Slot, message: Omit<EvalRequest, 'id'> | { readonly kind: 'memory' }, transfer: ArrayBuffer[] = []): { readonly id: number; readonly reply: Promise<R> } => {
      const id = nextId++;
      if (slot.dead !== undefined) return { id, reply: Promise.reject(slot.dead) };
      const reply = new Promise<R>((resolve, reject) => {
        const t0 = performance.now();
        const late = (): void => {
          // A reply may be waiting in the port (this thread was busy past the deadline): take it before judging.
          for (let m = slot.port.poll(); m !== undefined && slot.dead === undefined; m = slot.port.poll()) receive(slot, m.message as Message);
          if (slot.pending.has(id)) slot.fail(new WorkerError(`parallel: worker ${slot.index} did not answer within ${Math.round(performance.now() - t0)} ms (stepTimeout ${o.stepTimeout} ms); it was terminated and will be replaced`));
        };
        // Where a port cannot be polled (a page), a reply already queued is delivered by its event: judge after it (the
        // order of message and timer tasks is the browser's; Chromium 156 ran the message first even without this).
        const judge = canPoll ? late : (): void => void setTimeout(late, 0);
        slot.pending.set(id, { resolve: resolve as (r: OkReply) => void, reject, timer: o.stepTimeout > 0 ? setTimeout(judge, o.stepTimeout) : undefined });
        slot.port.ref();
        slot.port.post({ id, ...message }, transfer);
      });
      return { id, reply };
    },

    /** The workers started and alive. */
    live: (): Slot[] => slots.filter((s): s is Slot => s !== undefined && s.dead === undefined),

    /** close(): end every worker, rejecting what they were asked; later starts fail. */
    close: async (): Promise<void> => {
      closed = true;
      const live = slots.filter((s): s is Slot => s !== undefined);
      slots.fill(undefined);
      for (const s of live) s.fail(new WorkerError(`parallel: the interpreter was closed while worker ${s.index} was busy; its step was abandoned`));
      await Promise.all(live.map((s) => s.worker.terminate()));
    },
  };
}

export type WorkerPool = ReturnType<typeof workerPool>;
