// A gradient worker's logic, on any host: its own tfjs WASM backend; evaluates resolved gradient-source nodes on the
// tensors it is sent. Its entries, which only find their init data and port: worker.ts (Node) and browserWorker.ts (a page).
import * as tf from '@tensorflow/tfjs-core';
import { describeWasmPaths, type WasmPaths } from '../wasmPaths.js';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { canPoll } from '#host/worker_threads';
import type { ThreadSide } from '../host/threads.js';
import { ready, type BackendName } from '../backend.js';
import { registerWasmGradientKernels, type WasmKernelOptions } from '../kernels/index.js';
import type { LossFn } from '../model.js';
import { drawNormals, type NormalDraw } from '../perturbation/normals.js';
import { fromWords } from '../random.js';
import type { ResolvedSource } from '../source/resolved.js';
import { modulesOf } from '../source/walk.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { loadLoss, type ModelRef } from './modelRef.js';
import { transferList, treeFromWire, treeToWire, type WireTree } from './wire.js';

/** A request to evaluate one node. */
export interface EvalRequest {
  readonly id: number;
  readonly node: ResolvedSource;
  readonly params: WireTree;
  readonly batch: WireTree;
  readonly stepKey: readonly [number, number];
  readonly state: Readonly<Record<string, WireTree>>;
  /** Modules that define the node's kinds outside optimix (definePerturbation, defineSource), imported before evaluating. */
  readonly modules?: readonly string[];
  /** Normals to draw after replying, for the main thread's next step (its noise, drawn while this worker would idle). */
  readonly prefetch?: readonly NormalDraw[];
}

/** Normals drawn ahead for the main thread: each draw's seed, shape and values (drawNormals(seed, shape)). */
export interface NormalsMessage {
  readonly kind: 'normals';
  readonly draws: ReadonlyArray<NormalDraw & { readonly data: Float32Array }>;
}

/** A request for the worker's memory use. */
export interface MemoryRequest {
  readonly id: number;
  readonly kind: 'memory';
}

/** What a worker holds: tfjs tensors (count, bytes), its JS heap, and its wasm backend's linear memory (never shrinks). */
export interface WorkerMemory {
  /** Tensors the worker's tfjs engine holds (0 between steps). */
  readonly numTensors: number;
  /** Bytes those tensors hold. */
  readonly numBytes: number;
  /** The worker's JS heap in use, in bytes (Node: v8's used_heap_size; a page: performance.memory where the browser has it in a worker, else undefined). */
  readonly heapUsed: number | undefined;
  /** The size of the worker's WASM heap in bytes (undefined on another backend). */
  readonly wasmHeapBytes: number | undefined;
}

export interface MemoryReply {
  readonly id: number;
  readonly ok: true;
  readonly memory: WorkerMemory;
}

/** The answer: the node's gradient, loss, where it was taken, new node state, and the gradient evaluations made. */
export type EvalReply =
  | { readonly id: number; readonly ok: true; readonly grads: WireTree; readonly loss: number; readonly at: 'w' | 'w+ε'; readonly state: Record<string, WireTree>; readonly gradEvals: number }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly name: string };

// The defining modules imported (a kind registers itself when its module is imported), and the imports under way.
const loaded = new Set<string>();
const loading = new Map<string, Promise<void>>();
/** known(node): whether every kind in the node is defined in this worker already (e.g. a page's own worker entry imported them). */
const known = (node: ResolvedSource): boolean => {
  try {
    modulesOf(node);
    return true;
  } catch {
    return false;
  }
};
/** toImport(req, always): the node's defining modules not imported yet; with `always` false, none when its kinds are all defined. */
const toImport = (req: EvalRequest | MemoryRequest, always: boolean): string[] => {
  const missing = 'modules' in req && req.modules !== undefined ? req.modules.filter((m) => !loaded.has(m)) : [];
  return missing.length > 0 && (always || !('node' in req && known(req.node))) ? missing : [];
};
const load = (m: string): Promise<void> => {
  // A kind's defining module, by the URL it registered with: bundlers are told to leave the import alone.
  const p = loading.get(m) ?? import(/* @vite-ignore */ /* webpackIgnore: true */ m).then(() => void loaded.add(m));
  loading.set(m, p);
  return p;
};

/** What a worker is started with (a host entry adds its request port). */
export interface WorkerInit {
  readonly model: ModelRef;
  readonly backend: BackendName;
  readonly kernels?: WasmKernelOptions;
  /** How long (ms) to poll the port for the next request before sleeping (only where the host can poll). */
  readonly spin: number;
  /** The wasm files' prefix or URLs the main thread set (setWasmPaths), so that this worker loads the same binary. */
  readonly wasmPaths?: WasmPaths;
}

/** What differs between the hosts' workers. */
export interface WorkerHost {
  /** The JS heap in use, in bytes, if the host tells it. */
  readonly heapUsed: () => number | undefined;
  /**
   * Whether to import a kind's defining module even when the kind is defined here already. Node: yes (the module is the
   * defining file). A page: no — in a bundled page a kind's `import.meta.url` is the page's bundle, and a worker entry
   * of the page's own imports the kinds' module instead.
   */
  readonly importDefinedKinds: boolean;
}

/**
 * serveWorker(side, host): start tfjs (the backend, the kernels and the wasm files the main thread uses) and the
 * loss, tell the parent `{ ready }` (or why not), then answer requests on the port: by event, and by polling for `spin`
 * ms after each answer where the host can poll.
 */
export function serveWorker({ init, port, toParent }: ThreadSide, { heapUsed, importDefinedKinds }: WorkerHost): void {
  const { model, backend, kernels, spin, wasmPaths } = init as unknown as WorkerInit;
  const start = (async (): Promise<LossFn> => {
    if (wasmPaths !== undefined) setWasmPaths(wasmPaths);
    registerWasmGradientKernels(kernels ?? {});
    let fellBack = '';
    await ready({ backend, onFallback: (m) => void (fellBack = m) });
    // A worker on another backend than the one asked for would not compute the same numbers: refuse to start.
    if (fellBack !== '') throw new Error(`the '${backend}' backend could not start in the worker (${wasmPaths === undefined ? 'no wasm paths were given: in a page, pass ready({ wasmPaths }) or parallel({ wasmPaths }) with the prefix (or the URL of each file) the page serves the .wasm files from' : describeWasmPaths(wasmPaths)})`);
    return loadLoss(model);
  })();
  start.then(
    () => toParent({ ready: true, backend: tf.getBackend() }),
    (e: unknown) => toParent({ ready: false, error: e instanceof Error ? e.message : String(e) }),
  );
  const memory = (): WorkerMemory => {
    const m = tf.memory();
    const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
    return { numTensors: m.numTensors, numBytes: m.numBytes, heapUsed: heapUsed(), wasmHeapBytes: wasm?.HEAPU8?.byteLength };
  };

  /** answer(loss, req): evaluate the node (or read the memory) and post the reply. */
  function answer(loss: LossFn, req: EvalRequest | MemoryRequest): void {
    if ('kind' in req) {
      port.post({ id: req.id, ok: true, memory: memory() } satisfies MemoryReply);
      return;
    }
    try {
      // The tidy returns tensors only: given typed arrays, tf.tidy walks them element by element looking for
      // tensors to keep (tens of ms for a 100k-parameter model). They are copied out after it, then freed.
      const ev = tf.tidy(() => {
        const params = treeFromWire(req.params);
        const batch = treeFromWire(req.batch);
        const state = Object.fromEntries(Object.entries(req.state).map(([p, t]) => [p, treeFromWire(t)]));
        return evaluate(req.node, params, batch, { loss, stepKey: fromWords(req.stepKey), state }) as unknown as tf.TensorContainer;
      }) as unknown as Evaluation;
      let reply: EvalReply;
      try {
        const newState = Object.fromEntries(Object.entries(ev.state).map(([p, t]) => [p, treeToWire(t)]));
        reply = { id: req.id, ok: true, grads: treeToWire(ev.grads), loss: ev.loss.dataSync()[0] as number, at: ev.at, state: newState, gradEvals: ev.gradEvals };
      } finally {
        tf.dispose([ev.loss, ...Object.values(ev.grads), ...Object.values(ev.state).flatMap((t) => Object.values(t))]);
      }
      port.post(reply, transferList(reply.grads, ...Object.values(reply.state)));
    } catch (e) {
      const reply: EvalReply = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' };
      port.post(reply);
      return;
    }
    if (req.prefetch !== undefined && req.prefetch.length > 0) drawAhead(req.prefetch);
  }

  /** drawAhead(draws): draw the main thread's next normals and send them (if this fails, the main thread draws them). */
  function drawAhead(wanted: readonly NormalDraw[]): void {
    try {
      const draws = wanted.map(({ seed, shape }) => {
        const t = drawNormals(seed, shape);
        const data = t.dataSync().slice() as Float32Array;
        t.dispose();
        return { seed, shape, data };
      });
      port.post({ kind: 'normals', draws } satisfies NormalsMessage, draws.map((d) => d.data.buffer as ArrayBuffer));
    } catch {
      // Nothing to report: the main thread waits at most `spin` ms for these, then draws them itself.
    }
  }

  /** serve(loss, req): answer it, then poll for the next request for up to `spin` ms (a loop, not recursion), then sleep. */
  function serve(loss: LossFn, first: EvalRequest | MemoryRequest): void {
    let req: EvalRequest | MemoryRequest | undefined = first;
    while (req !== undefined) {
      const missing = toImport(req, importDefinedKinds);
      if (missing.length > 0) {
        // Import the node's defining modules first; an import that fails is reported as this request's error.
        const waiting: EvalRequest | MemoryRequest = req;
        void Promise.all(missing.map(load)).then(
          () => serve(loss, waiting),
          (e: unknown) => {
            for (const m of missing) loading.delete(m);
            port.post({ id: waiting.id, ok: false, error: `could not import ${missing.join(', ')}: ${e instanceof Error ? e.message : String(e)}`, name: 'ImportError' } satisfies EvalReply);
          },
        );
        return;
      }
      answer(loss, req);
      req = undefined;
      const until = performance.now() + spin;
      while (canPoll && req === undefined && performance.now() < until) req = port.poll()?.message as EvalRequest | MemoryRequest | undefined;
    }
  }

  port.onMessage((req) => {
    void start.then((loss) => serve(loss, req as EvalRequest | MemoryRequest));
  });
}
