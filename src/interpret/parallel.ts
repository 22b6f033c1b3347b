import * as tf from '@tensorflow/tfjs-core';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { BackendName } from '../backend.js';
import { OptimixError } from '../errors.js';
import { wasmKernelSettings } from '../kernels/index.js';
import type { Batch, LossFn } from '../model.js';
import { finish, keepResult, prepare, type Optimizer, type OptimizerState, type StepResult } from '../optimizer.js';
import { drawNormals, drawsNoise, sourceDraws, type NormalDraw, type Normals } from '../perturbation/normals.js';
import { fold as foldKey, type Key } from '../random.js';
import type { ResolvedSource } from '../source/resolved.js';
import { cost as sourceCost } from '../source/cost.js';
import type { Branches } from '../source/node.js';
import { resolve } from '../source/resolve.js';
import { modulesOf, resolvedChildren, sourceDef } from '../source/walk.js';
import { disposeReplaced, disposeTree, type Tree } from '../tree.js';
import { evaluate, type Evaluation, type SourceState } from './evaluate.js';
import type { Interpreter } from './interpreter.js';
import type { ModelRef } from './modelRef.js';
import { transferList, treeFromWire, treeToWire, type WireTree } from './wire.js';
import type { EvalReply, EvalRequest, MemoryReply, NormalsMessage, WorkerMemory } from './worker.js';

/** A worker that failed: it threw while evaluating, crashed, or could not start. */
export class WorkerError extends OptimixError {}

/** Options of `parallel`. */
export interface ParallelOptions {
  /** Worker threads besides the main thread; default 1 (on 2 cores: main + 1 worker evaluate RWP's two gradients at once). */
  readonly workers?: number;
  /** The module the workers import their loss from; must compute the same loss as the `loss` passed to `step`. */
  readonly model: ModelRef;
  /** The workers' backend; default the main thread's (wasm). */
  readonly backend?: BackendName;
  /**
   * How long (ms) a thread that waits for the other keeps polling before it sleeps; default 20, 0 never polls. Waking a
   * sleeping thread takes 0.5–3 ms on a VM — a tenth of a small CNN's gradient — so this thread polls for the
   * workers' replies, and a worker polls for its next request, as OpenMP runtimes spin before they block.
   */
  readonly spin?: number;
}

/** The parallel interpreter: an Interpreter with a `close()` that ends its workers. */
export interface ParallelInterpreter extends Interpreter {
  readonly close: () => Promise<void>;
  /** The number of worker threads. */
  readonly workers: number;
  /** What each started worker holds: its tfjs tensors, its JS heap and its wasm heap (for leak checks). */
  readonly memory: () => Promise<WorkerMemory[]>;
  /** How this thread's noise was drawn so far: leaves whose normals a worker drew ahead, and leaves drawn here. */
  readonly noiseStats: () => NoiseStats;
}

/** Counts of the main thread's noise draws (one per perturbed leaf per step). */
export interface NoiseStats {
  /** Leaves whose standard normals a worker drew ahead of the step. */
  readonly drawnAhead: number;
  /** Leaves whose standard normals this thread drew itself (the first step; a step the worker could not foresee). */
  readonly drawnHere: number;
}

export type { WorkerMemory };

/** The independent pieces of a source: leaves (evaluated anywhere) joined by their nodes' `join` (on the main thread). */
type Plan = { readonly kind: 'leaf'; readonly node: ResolvedSource; readonly batch: Batch } | { readonly kind: 'join'; readonly join: Branches['join']; readonly parts: readonly Plan[] };

/** plan(node, batch): split a source at the nodes whose definition gives independent branches (mix), as `evaluate` walks it. */
function plan(node: ResolvedSource, batch: Batch, made: tf.Tensor[]): Plan {
  const b = sourceDef(node, 'parallel.step').branches?.(node, batch);
  if (b === undefined) return { kind: 'leaf', node, batch };
  made.push(...b.made);
  return { kind: 'join', join: b.join, parts: b.parts.map((q) => plan(q.node, q.batch, made)) };
}

type Leaf = Extract<Plan, { kind: 'leaf' }>;

const leaves = (p: Plan): Leaf[] => (p.kind === 'leaf' ? [p] : p.parts.flatMap(leaves));

/** cost(leaf): [examples × forward+backward passes, draws noise] — compared in that order. */
const cost = ({ node, batch }: Leaf): readonly [number, number] =>
  [(Object.values(batch)[0]?.shape[0] ?? 0) * sourceCost(node).gradients, drawsNoise(node) ? 1 : 0];

/**
 * localFirst(parts): the leaves, the costliest first — it runs on this thread, the others in workers. This thread
 * takes the longest branch (RWP: the noisy one), so that the workers' replies arrive while it is still busy.
 */
function localFirst(parts: readonly Leaf[]): Leaf[] {
  const costs = parts.map(cost);
  let best = 0;
  costs.forEach(([e, n], i) => {
    const [be, bn] = costs[best] as readonly [number, number];
    if (e > be || (e === be && n > bn)) best = i;
  });
  return [parts[best] as Leaf, ...parts.filter((_, i) => i !== best)];
}

/** find(node, path): the node at `path` in a resolved source, if there is one. */
const find = (node: ResolvedSource, path: string): ResolvedSource | undefined =>
  node.path === path ? node : resolvedChildren(node).reduce<ResolvedSource | undefined>((hit, c) => hit ?? find(c, path), undefined);

/**
 * upcoming(opt, params, state, path): the normals the node at `path` will draw at the next step (state.count + 1), if
 * the source there is a noise perturbation; none when it cannot be told (e.g. a schedule that ends at this step).
 */
function upcoming(opt: Optimizer, params: Tree, state: OptimizerState, path: string): NormalDraw[] {
  try {
    const node = find(resolve(opt.source, state.count + 1, params), path);
    return node === undefined ? [] : sourceDraws(node, foldKey(state.key, state.count + 1), params);
  } catch {
    return [];
  }
}

const drawKey = (d: NormalDraw): string => `${d.seed}:${d.shape.join('x')}`;

/** stateFor(state, path): the source state a node at `path` may read: its own, its descendants' and its ancestors' (SAMPa's branches read their parent's). */
const stateFor = (state: SourceState, path: string): Record<string, WireTree> =>
  Object.fromEntries(Object.entries(state).filter(([p]) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`)).map(([p, t]) => [p, treeToWire(t)]));

type OkReply = (EvalReply & { ok: true }) | MemoryReply;

interface Slot {
  worker: Worker;
  port: MessagePort;
  started: Promise<void>;
  pending: Map<number, { resolve: (r: OkReply) => void; reject: (e: Error) => void }>;
  dead: Error | undefined;
}

/**
 * parallel({ workers = 1, model, spin = 20 }): an interpreter that evaluates the independent branches of a gradient
 * source — both sides of `mix`, nested mixes — at the same time, the costliest on this thread and the others in
 * worker_threads, each with its own tfjs backend. Same numbers as `sequential`, bit for bit, for the same key. Call
 * `close()` when done.
 */
export function parallel(options: ParallelOptions): ParallelInterpreter {
  const count = options.workers ?? 1;
  const spin = options.spin ?? 20;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`parallel: workers must be an integer ≥ 1, got ${String(count)}`);
  if (!(spin >= 0 && spin <= 1000)) throw new RangeError(`parallel: spin must be a number of milliseconds in [0, 1000], got ${String(spin)}`);
  if (typeof options.model?.module !== 'string') throw new TypeError('parallel: model must be { module, export?, args? }: the module workers import their loss from');
  const here = import.meta.url;
  const workerUrl = new URL(here.endsWith('.ts') ? './worker.ts' : './worker.js', here);
  const slots: Array<Slot | undefined> = Array.from({ length: count }, () => undefined);
  let nextId = 0;
  let closed = false;

  const spawn = (i: number): Slot => {
    // The workers replace the same wasm kernels as this thread, so that both compute alike (bit for bit).
    // Requests and replies go through a channel of their own, which both sides can also poll (receiveMessageOnPort).
    const { port1: port, port2 } = new MessageChannel();
    const workerData = { model: options.model, backend: options.backend ?? (tf.getBackend() as BackendName), kernels: wasmKernelSettings(), port: port2, spin };
    const transferList = [port2];
    // From TypeScript sources (tests, examples under tsx) the worker registers tsx's loader before importing its
    // entry (a worker does not inherit the loader); the built dist/ runs worker.js directly.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(workerUrl.href)});`, { eval: true, workerData, transferList })
      : new Worker(workerUrl, { workerData, transferList });
    worker.unref();
    const slot: Slot = { worker, port, pending: new Map(), dead: undefined, started: Promise.resolve() };
    const fail = (e: Error): void => {
      slot.dead = e;
      port.close();
      void worker.terminate();
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
      if (slots[i] === slot) slots[i] = undefined;
    };
    slot.started = new Promise<void>((resolve, reject) => {
      const onFirst = (m: { ready?: boolean; error?: string }): void => {
        if (m.ready === true) resolve();
        else {
          const e = new WorkerError(`parallel: worker ${i} could not start: ${m.error ?? 'unknown error'}`);
          fail(e);
          reject(e);
        }
      };
      worker.once('message', onFirst);
      worker.once('error', (e) => reject(new WorkerError(`parallel: worker ${i} crashed while starting: ${e.message}`)));
    });
    slot.started.catch(() => undefined);
    port.on('message', (m: EvalReply | MemoryReply | NormalsMessage) => receive(slot, i, m));
    port.unref();
    worker.on('error', (e) => fail(new WorkerError(`parallel: worker ${i} crashed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!closed) fail(new WorkerError(`parallel: worker ${i} exited unexpectedly (code ${code})`));
    });
    return slot;
  };

  // Normals a worker drew ahead for this thread's next noisy branch (by drawKey), and those still on their way.
  const drawn = new Map<string, Float32Array>();
  let coming: { readonly slot: Slot; readonly keys: Set<string> } | undefined;
  const noise = { drawnAhead: 0, drawnHere: 0 };

  /** receive(slot, i, message): store drawn normals, or settle the request a reply answers (by event, or by polling). */
  const receive = (slot: Slot, i: number, m: EvalReply | MemoryReply | NormalsMessage): void => {
    if ('kind' in m) {
      drawn.clear(); // one step's draws at a time: older ones were for a step that did not come
      for (const d of m.draws) drawn.set(drawKey(d), d.data);
      return;
    }
    const p = slot.pending.get(m.id);
    if (p === undefined) return;
    slot.pending.delete(m.id);
    if (slot.pending.size === 0) slot.port.unref();
    if (m.ok) p.resolve(m);
    else p.reject(new WorkerError(`parallel: worker ${i} failed to evaluate the gradient: ${m.name}: ${m.error}`));
  };

  /** pollUntil(from, done): take messages off these workers' ports until done() or `spin` ms have passed, instead of sleeping. */
  const pollUntil = (from: readonly Slot[], done: () => boolean): void => {
    const until = performance.now() + spin;
    while (!done() && performance.now() < until && from.some((s) => s.dead === undefined)) {
      for (const slot of from) {
        const m = receiveMessageOnPort(slot.port)?.message as EvalReply | MemoryReply | NormalsMessage | undefined;
        if (m !== undefined) receive(slot, slots.indexOf(slot), m);
      }
    }
  };

  /** normals(seed, shape): a worker's advance draw when it made one (waiting up to `spin` ms for one on its way), else drawn here. */
  const normals: Normals = (seed, shape) => {
    const k = drawKey({ seed, shape });
    const on = coming;
    if (!drawn.has(k) && on !== undefined && on.keys.has(k)) pollUntil([on.slot], () => drawn.has(k));
    on?.keys.delete(k);
    const data = drawn.get(k);
    if (data === undefined) {
      noise.drawnHere++;
      return drawNormals(seed, shape);
    }
    noise.drawnAhead++;
    drawn.delete(k);
    return tf.tensor(data, [...shape], 'float32');
  };

  /** start(i): worker i, started (spawned on first use; a worker that died is replaced). */
  const start = async (i: number): Promise<Slot> => {
    if (closed) throw new WorkerError('parallel: the interpreter is closed');
    const slot = slots[i] ?? (slots[i] = spawn(i));
    await slot.started;
    return slot;
  };

  /** post(slot, message): send now (synchronously: the worker starts while this thread goes on); the request's id and its reply. */
  const post = <R extends OkReply>(slot: Slot, message: Omit<EvalRequest, 'id'> | { readonly kind: 'memory' }, transfer: ArrayBuffer[] = []): { readonly id: number; readonly reply: Promise<R> } => {
    const id = nextId++;
    if (slot.dead !== undefined) return { id, reply: Promise.reject(slot.dead) };
    const reply = new Promise<R>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (r: OkReply) => void, reject });
      slot.port.ref();
      slot.port.postMessage({ id, ...message }, transfer);
    });
    return { id, reply };
  };

  const step = async (opt: Optimizer, loss: LossFn, params: Tree, batch: Batch, state: OptimizerState): Promise<StepResult> => {
    const { resolved, stepKey } = prepare('parallel.step', opt, params, state);
    const made: tf.Tensor[] = [];
    const p = plan(resolved, batch, made);
    const parts = localFirst(leaves(p));
    try {
      if (parts.length === 1) {
        return keepResult(() => finish('parallel.step', opt, params, state, evaluate(resolved, params, batch, { loss, stepKey, state: state.source })));
      }
      // Send every leaf but the first to a worker (round robin), then evaluate the first here while they run. The
      // workers are started first (only the first step waits for them), so that every request is posted before
      // this thread starts its own evaluation: an `await` between posting and evaluating would hold the message
      // back until this thread is done, and run the two evaluations one after the other.
      // The first worker, once it has replied, also draws the normals of this thread's next step (they depend only on
      // the key, the step and the shapes), so that this thread does not draw them on its critical path.
      const words: readonly [number, number] = [stepKey[0], stepKey[1]];
      const first = parts[0] as Leaf;
      const ahead = upcoming(opt, params, state, first.node.path);
      const workers = await Promise.all(parts.slice(1).map((_, j) => (j < count ? start(j) : undefined)));
      const remote = parts.slice(1).map((leaf, j) => {
        const modules = [...modulesOf(leaf.node)];
        const req = { node: leaf.node, ...(modules.length > 0 ? { modules } : {}), params: treeToWire(params), batch: treeToWire(leaf.batch), stepKey: words, state: stateFor(state.source, leaf.node.path), ...(j === 0 && ahead.length > 0 ? { prefetch: ahead } : {}) };
        const slot = workers[j % count] as Slot;
        return [slot, post<EvalReply & { ok: true }>(slot, req, transferList(req.params, req.batch, ...Object.values(req.state)))] as const;
      });
      remote.forEach(([, r]) => r.reply.catch(() => undefined));
      const local = tf.tidy(() => evaluate(first.node, params, first.batch, { loss, stepKey: stepKey as Key, state: state.source, normals }) as unknown as tf.TensorContainer) as unknown as Evaluation;
      coming = ahead.length > 0 ? { slot: workers[0] as Slot, keys: new Set(ahead.map(drawKey)) } : undefined;
      let replies: Array<EvalReply & { ok: true }>;
      try {
        const asked = remote.map(([slot, r]) => [slot, r.id] as const);
        pollUntil([...new Set(asked.map(([slot]) => slot))], () => asked.every(([slot, id]) => !slot.pending.has(id)));
        replies = await Promise.all(remote.map(([, r]) => r.reply));
      } catch (e) {
        disposeTree(local);
        throw e;
      }
      const result = keepResult(() => {
        const evals = new Map<Plan, Evaluation>([[first, local]]);
        parts.slice(1).forEach((leaf, j) => {
          const r = replies[j] as EvalReply & { ok: true };
          evals.set(leaf, { grads: treeFromWire(r.grads), loss: tf.scalar(r.loss), at: r.at, gradEvals: r.gradEvals, state: Object.fromEntries(Object.entries(r.state).map(([path, t]) => [path, treeFromWire(t)])) });
        });
        const fold = (q: Plan): Evaluation => (q.kind === 'leaf' ? (evals.get(q) as Evaluation) : q.join(q.parts.map(fold)));
        return finish('parallel.step', opt, params, state, fold(p));
      });
      disposeReplaced(local, result);
      return result;
    } finally {
      for (const t of made) t.dispose();
    }
  };

  return {
    name: `parallel(${count})`,
    workers: count,
    step,
    noiseStats: () => ({ ...noise }),
    memory: async () => {
      const live = slots.filter((s): s is Slot => s !== undefined && s.dead === undefined);
      await Promise.all(live.map((s) => s.started));
      return (await Promise.all(live.map((s) => post<MemoryReply>(s, { kind: 'memory' }).reply))).map((r) => r.memory);
    },
    close: async () => {
      closed = true;
      for (const s of slots) s?.port.close();
      await Promise.all(slots.map((s) => s?.worker.terminate()));
      slots.fill(undefined);
    },
  };
}
