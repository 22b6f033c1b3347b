import * as tf from '@tensorflow/tfjs-core';
import { wasmPathsGiven, type BackendName } from '../backend.js';
import { wasmPathsProblem, type WasmPaths } from '../wasmPaths.js';
import type { WorkerScript } from '../host/threads.js';
import type { Batch, LossFn } from '../model.js';
import { finish, keepResult, prepare, type Optimizer, type OptimizerState, type StepResult } from '../optimizer.js';
import { drawNormals, type Normals } from '../perturbation/normals.js';
import type { Key } from '../random.js';
import { disposeReplaced, disposeTree, type Tree } from '../tree.js';
import { evaluate, type Evaluation, type SourceState } from './evaluate.js';
import type { Interpreter } from './interpreter.js';
import { toModelRef, type ModelRef } from './modelRef.js';
import { modulesOf } from '../source/walk.js';
import { cost, leaves, plan, shardable, upcoming, type Leaf, type Plan } from './parallelPlan.js';
import { shardBatch } from './shardBatch.js';
import { transferList, treeFromWire, treeToWire, type WireTree } from './wire.js';
import { WorkerError } from './workerError.js';
import { workerPool, type Slot } from './workerPool.js';
import { canPoll } from '#host/worker_threads';
import type { EvalReply, MemoryReply, WorkerMemory } from './workerMain.js';
import { checkKeys } from '../validate.js';

export { WorkerError };

/** Options of `parallel`. */
export interface ParallelOptions {
  /** Worker threads besides the main thread; default 1 (on 2 cores: main + 1 worker evaluate RWP's two gradients at once). */
  readonly workers?: number;
  /**
   * What the workers rebuild the loss from: a model-zoo model, a `fromModel` adapter, a `lossFrom` loss, or
   * `{ module, export?, args? }`; it must compute the same loss as the `loss` passed to `step`. Default: the first
   * step's `loss` (a `lossFrom` or `fromModel` loss carries its reference).
   */
  readonly model?:
    | ModelRef
    | {
        /** A model's or `fromModel` adapter's loss, which carries its worker reference (a `lossFrom` or `fromModel` loss). */
        readonly loss: LossFn;
      }
    | LossFn;
  /** The workers' backend; default the main thread's (wasm). */
  readonly backend?: BackendName;
  /**
   * In a page: the workers' script — the URL of optimix's browser worker (the package export 'optimix/worker', bundled
   * for the browser) as a `URL` or string, or a function returning a started `new Worker(url, { type: 'module' })`.
   * Default: `new URL('../interpret/browserWorker.js', import.meta.url)` from optimix's dist/host/, the pattern Vite,
   * webpack 5 and Parcel bundle workers from; esbuild leaves it as it is (docs/browser.md). Under Node: a file URL or
   * path of a worker_threads entry (default optimix's own).
   */
  readonly workerScript?: WorkerScript;
  /**
   * Where the workers load tfjs-backend-wasm's `.wasm` files from (a URL prefix, or a URL per file); default what was
   * given to `ready({ wasmPaths })`, else tfjs's own (beside the worker script). A page sets it as it set its own, so
   * that every thread loads the same binary.
   */
  readonly wasmPaths?: WasmPaths;
  /**
   * How long (ms) a thread that waits for the other keeps polling before it sleeps; default 20, 0 never polls (in a
   * page nothing polls: replies come by event, and `spin` only bounds a step's wait for drawAhead's normals). Waking a
   * sleeping thread takes 0.5–3 ms on a VM — a tenth of a small CNN's gradient — so this thread polls for the
   * workers' replies, and a worker polls for its next request, as OpenMP runtimes spin before they block.
   */
  readonly spin?: number;
  /**
   * How long (ms) a worker may take to start or to answer one request; default 60000, 0 = no limit. A worker that
   * does not answer in time is terminated (the step rejects with a WorkerError naming it) and replaced at the next step.
   */
  readonly stepTimeout?: number;
  /** How long (ms) a worker may take to start (load tfjs, its kernels and the loss); default 60000, 0 = no limit. */
  readonly startTimeout?: number;
  /**
   * Batch shards per gradient evaluation: a number, or 'auto' (enough to give every thread work: ⌈threads / branches⌉);
   * default 1. Per-shard gradients are combined in shard order, weighted by shard size: deterministic for a given
   * shard count, but a different count rounds differently (only 1 shard is bit-identical to `sequential`).
   */
  readonly shards?: number | 'auto';
  /**
   * Have the first worker draw this thread's next noise after replying (off this thread's critical path); default false:
   * with the counter-based generator a draw is ~6 % of an MLP pass, and on an idle machine RWP was faster without it
   * (docs/performance.md). In a page, where nothing polls, a step waits up to `spin` ms for those normals before it starts.
   */
  readonly drawAhead?: boolean;
}

/** The parallel interpreter: an Interpreter with a `close()` that ends its workers. */
export interface ParallelInterpreter extends Interpreter {
  readonly close: () => Promise<void>;
  /** The number of worker threads. */
  readonly workers: number;
  /** Start every worker now (needs `model`), resolving when all are ready to evaluate; else the first step starts them. */
  readonly ready: () => Promise<void>;
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

/** One piece of work: a leaf of the plan on one shard of its batch, weighted by the shard's share of the examples. */
interface Task {
  readonly leaf: Leaf;
  readonly batch: Batch;
  readonly weight: number;
}

/** localFirst(tasks): the tasks, the costliest first — it runs on this thread (so the workers' replies arrive while it is busy). */
function localFirst(tasks: readonly Task[]): Task[] {
  const costs = tasks.map((t) => cost(t.leaf.node, t.batch));
  let best = 0;
  costs.forEach(([e, n], i) => {
    const [be, bn] = costs[best] as readonly [number, number];
    if (e > be || (e === be && n > bn)) best = i;
  });
  return [tasks[best] as Task, ...tasks.filter((_, i) => i !== best)];
}

/** weighted(evals, weights): Σ wᵢ·evalᵢ in order (grads and loss); one evaluation is returned as it is (bit for bit). */
function weighted(evals: readonly Evaluation[], weights: readonly number[]): Evaluation {
  const first = evals[0] as Evaluation;
  if (evals.length === 1) return first;
  const sum = (part: (e: Evaluation) => tf.Tensor): tf.Tensor => evals.map((e, i) => tf.mul(part(e), weights[i] as number)).reduce((acc, t) => tf.add(acc, t));
  const grads: Record<string, tf.Tensor> = {};
  for (const n of Object.keys(first.grads)) grads[n] = sum((e) => e.grads[n] as tf.Tensor);
  const loss = sum((e) => e.loss) as tf.Scalar;
  return { grads, loss, at: first.at, state: {}, gradEvals: first.gradEvals };
}

/** stateFor(state, path): the source state a node at `path` may read: its own, its descendants' and its ancestors' (SAMPa's branches read their parent's). */
const stateFor = (state: SourceState, path: string): Record<string, WireTree> =>
  Object.fromEntries(Object.entries(state).filter(([p]) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`)).map(([p, t]) => [p, treeToWire(t)]));

const drawKey = (d: { readonly seed: number; readonly shape: readonly number[] }): string => `${d.seed}:${d.shape.join('x')}`;

/**
 * parallel({ workers = 1, model, workerScript, wasmPaths, spin = 20, stepTimeout = 60000, startTimeout = 60000, shards = 1, drawAhead = false }):
 * an interpreter that evaluates the independent work of a gradient source — both sides of `mix`, nested mixes, and batch shards — at the same time, the
 * costliest piece on this thread and the others in worker threads (Node worker_threads, or module Web Workers in a page), each with its own tfjs backend. With one shard,
 * the same numbers as `sequential`, bit for bit, for the same key. This thread evaluates only a loss that a worker has
 * evaluated once (so a loss that never returns hangs a worker, which the timeout ends, never this thread). Call
 * `close()` when done.
 */
export function parallel(options: ParallelOptions = {}): ParallelInterpreter {
  checkKeys('parallel', options, ['workers', 'model', 'backend', 'workerScript', 'wasmPaths', 'spin', 'stepTimeout', 'startTimeout', 'shards', 'drawAhead']);
  const count = options.workers ?? 1;
  const spin = options.spin ?? 20;
  const stepTimeout = options.stepTimeout ?? 60_000;
  const startTimeout = options.startTimeout ?? 60_000;
  const shardOption = options.shards ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`parallel: workers must be an integer ≥ 1, got ${String(count)}`);
  if (!(spin >= 0 && spin <= 1000)) throw new RangeError(`parallel: spin must be a number of milliseconds in [0, 1000], got ${String(spin)}`);
  if (!(stepTimeout >= 0 && stepTimeout < 2 ** 31)) throw new RangeError(`parallel: stepTimeout must be a number of milliseconds ≥ 0 (0 = no limit), got ${String(stepTimeout)}`);
  if (!(startTimeout >= 0 && startTimeout < 2 ** 31)) throw new RangeError(`parallel: startTimeout must be a number of milliseconds ≥ 0 (0 = no limit), got ${String(startTimeout)}`);
  if (shardOption !== 'auto' && !(Number.isInteger(shardOption) && shardOption >= 1)) throw new RangeError(`parallel: shards must be an integer ≥ 1 or 'auto', got ${String(shardOption)}`);
  const script = options.workerScript;
  if (script !== undefined && !(script instanceof URL) && typeof script !== 'function' && !(typeof script === 'string' && script !== '')) throw new TypeError(`parallel: workerScript must be a URL, a non-empty string or a function returning a Worker, got ${String(script)}`);
  const wasmPaths = options.wasmPaths ?? wasmPathsGiven();
  const wasmProblem = wasmPaths === undefined ? undefined : wasmPathsProblem(wasmPaths);
  if (wasmProblem !== undefined) throw new TypeError(`parallel: ${wasmProblem}`);
  let model: ModelRef | undefined = options.model === undefined ? undefined : toModelRef(options.model, 'parallel');
  // Losses a worker has evaluated: only those does this thread evaluate too (a hanging loss must hang a worker).
  const proven = new WeakSet<LossFn>();
  const pool = workerPool({ count, spin, stepTimeout, startTimeout, backend: options.backend, script, wasmPaths, onNormals: (m) => {
    drawn.clear(); // one step's draws at a time: older ones were for a step that did not come
    for (const d of m.draws) drawn.set(drawKey(d), d.data);
    arrived?.();
  } });
  // Where replies come by event only (a page), a step waits up to `spin` ms, before it posts anything, for the normals
  // a worker is drawing ahead for it: this thread cannot take them off the port while it evaluates.
  let arrived: (() => void) | undefined;
  const awaitNormals = async (): Promise<void> => {
    const on = coming;
    if (on === undefined || on.slot.dead !== undefined || [...on.keys].every((k) => drawn.has(k))) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (arrived = undefined, resolve()), spin);
      arrived = () => (clearTimeout(timer), (arrived = undefined), resolve());
    });
  };

  // Normals a worker drew ahead for this thread's next noisy branch (by drawKey), and those still on their way.
  const drawn = new Map<string, Float32Array>();
  let coming: { readonly slot: Slot; readonly keys: Set<string> } | undefined;
  const noise = { drawnAhead: 0, drawnHere: 0 };

  /** normals(seed, shape): a worker's advance draw when it made one (waiting up to `spin` ms for one on its way), else drawn here. */
  const normals: Normals = (seed, shape) => {
    const k = drawKey({ seed, shape });
    const on = coming;
    if (!drawn.has(k) && on !== undefined && on.keys.has(k)) pool.pollUntil([on.slot], () => drawn.has(k));
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

  /** modelOf(loss): the workers' model — the option, else the one the step's loss names (the first time it is needed). */
  const modelOf = (loss?: LossFn) => (): ModelRef => {
    if (model === undefined && loss === undefined) throw new TypeError('parallel: ready() needs the model option (without it, the first step tells the workers the loss)');
    return (model ??= toModelRef(loss, 'parallel'));
  };

  /** tasksOf(leaves, threads): every leaf on its shards (shardable leaves only), in plan order. */
  const tasksOf = (parts: readonly Leaf[], threads: number, made: tf.Tensor[]): Map<Leaf, Task[]> => {
    const k = shardOption === 'auto' ? Math.ceil(threads / parts.length) : shardOption;
    return new Map(
      parts.map((leaf) => {
        if (k === 1 || !shardable(leaf.node)) return [leaf, [{ leaf, batch: leaf.batch, weight: 1 }]];
        const shards = shardBatch(leaf.batch, k);
        for (const s of shards) made.push(...Object.values(s.batch));
        return [leaf, shards.map((s) => ({ leaf, batch: s.batch, weight: s.weight }))];
      }),
    );
  };

  const step = async (opt: Optimizer, loss: LossFn, params: Tree, batch: Batch, state: OptimizerState): Promise<StepResult> => {
    pool.refuseClosed();
    if (!canPoll && coming !== undefined) {
      await awaitNormals();
      pool.refuseClosed();
    }
    const { resolved, stepKey } = prepare('parallel.step', opt, params, state);
    const made: tf.Tensor[] = [];
    try {
      const p = plan(resolved, batch, made);
      const byLeaf = tasksOf(leaves(p), count + 1, made);
      const all = localFirst([...byLeaf.values()].flat());
      const here = proven.has(loss);
      if (here && all.length === 1) {
        return keepResult(() => finish('parallel.step', opt, params, state, evaluate(resolved, params, batch, { loss, stepKey, state: state.source })));
      }
      // Send every task but the first to a worker (round robin), then evaluate the first here while they run (once
      // this loss has been evaluated by a worker; until then every task goes to the workers). The workers are started
      // first (only the first step waits for them), so that every request is posted before this thread starts its own
      // evaluation: an `await` between posting and evaluating would hold the messages back until this thread is done.
      // The first worker, once it has replied, also draws the normals of this thread's next step (they depend only on
      // the key, the step and the shapes), so that this thread does not draw them on its critical path.
      const words: readonly [number, number] = [stepKey[0], stepKey[1]];
      const first = here ? (all[0] as Task) : undefined;
      const remoteTasks = here ? all.slice(1) : all;
      const lead = all[0] as Task; // this thread's task from the next step on
      const ahead = options.drawAhead === true && byLeaf.get(lead.leaf)?.length === 1 ? upcoming(opt, params, state, lead.leaf.node.path) : [];
      const used = Math.min(count, remoteTasks.length);
      const workers = await Promise.all(Array.from({ length: used }, (_, j) => pool.start(j, modelOf(loss))));
      const remote = remoteTasks.map((task, j) => {
        const modules = [...modulesOf(task.leaf.node)];
        const req = { node: task.leaf.node, ...(modules.length > 0 ? { modules } : {}), params: treeToWire(params), batch: treeToWire(task.batch), stepKey: words, state: stateFor(state.source, task.leaf.node.path), ...(j === 0 && ahead.length > 0 ? { prefetch: ahead } : {}) };
        const slot = workers[j % used] as Slot;
        return [slot, pool.post<EvalReply & { ok: true }>(slot, req, transferList(req.params, req.batch, ...Object.values(req.state)))] as const;
      });
      remote.forEach(([, r]) => r.reply.catch(() => undefined));
      const local = first === undefined ? undefined : (tf.tidy(() => evaluate(first.leaf.node, params, first.batch, { loss, stepKey: stepKey as Key, state: state.source, normals }) as unknown as tf.TensorContainer) as unknown as Evaluation);
      coming = ahead.length > 0 && workers[0] !== undefined ? { slot: workers[0] as Slot, keys: new Set(ahead.map(drawKey)) } : undefined;
      let replies: Array<EvalReply & { ok: true }>;
      try {
        const asked = remote.map(([slot, r]) => [slot, r.id] as const);
        pool.pollUntil([...new Set(asked.map(([slot]) => slot))], () => asked.every(([slot, id]) => !slot.pending.has(id)));
        replies = await Promise.all(remote.map(([, r]) => r.reply));
      } catch (e) {
        if (local !== undefined) disposeTree(local);
        throw e;
      }
      proven.add(loss);
      const result = keepResult(() => {
        const evals = new Map<Task, Evaluation>(first !== undefined && local !== undefined ? [[first, local]] : []);
        remoteTasks.forEach((task, j) => {
          const r = replies[j] as EvalReply & { ok: true };
          evals.set(task, { grads: treeFromWire(r.grads), loss: tf.scalar(r.loss), at: r.at, gradEvals: r.gradEvals, state: Object.fromEntries(Object.entries(r.state).map(([path, t]) => [path, treeFromWire(t)])) });
        });
        // Only stateless leaves are sharded (parallelPlan.shardable), so a sharded leaf has no state to combine.
        const ofLeaf = (leaf: Leaf): Evaluation => {
          const tasks = byLeaf.get(leaf) as Task[];
          return weighted(tasks.map((t) => evals.get(t) as Evaluation), tasks.map((t) => t.weight));
        };
        const fold = (q: Plan): Evaluation => (q.kind === 'leaf' ? ofLeaf(q) : q.join(q.parts.map(fold)));
        return finish('parallel.step', opt, params, state, fold(p));
      });
      if (local !== undefined) disposeReplaced(local, result);
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
    ready: async () => {
      await Promise.all(Array.from({ length: count }, (_, i) => pool.start(i, modelOf())));
    },
    memory: async () => {
      const live = pool.live();
      await Promise.all(live.map((s) => s.started));
      return (await Promise.all(live.map((s) => pool.post<MemoryReply>(s, { kind: 'memory' }).reply))).map((r) => r.memory);
    },
    close: pool.close,
  };
}
