// One training run of one method, shared by the demo (demo/main.ts) and the reproduction (scripts/reproduce.ts):
// the optimizer recipe, the batch arrangement of each method, timing, per-epoch test evaluation and progress.
import {
  arwp,
  asam,
  cleanGrad,
  cosineDecay,
  describe,
  disposeReplaced,
  disposeTree,
  fold,
  key,
  mArwp,
  mRwp,
  optimizer,
  parallel,
  rwp,
  sam,
  sequential,
  sgd,
  train,
  type GradientSource,
  type Interpreter,
  type ParallelInterpreter,
  workerCount,
  type Tree,
} from '../src/index.js';
import { batches, epochBatches, type Dataset } from '../src/data/index.js';
import { evaluate, type ZooModel } from '../src/models/index.js';

/** The methods of the RWP papers' tables. */
export const METHODS = ['sgd', 'sam', 'asam', 'rwp', 'm-rwp', 'arwp', 'm-arwp'] as const;
export type Method = (typeof METHODS)[number];

/** Display names. */
export const LABEL: Readonly<Record<Method, string>> = {
  sgd: 'SGD',
  sam: 'SAM',
  asam: 'ASAM',
  rwp: 'RWP',
  'm-rwp': 'm-RWP',
  arwp: 'ARWP',
  'm-arwp': 'm-ARWP',
};

export function isMethod(s: string): s is Method {
  return (METHODS as readonly string[]).includes(s);
}

/** parseMethods('sgd,sam,rwp'): the listed methods, checked. */
export function parseMethods(list: string): Method[] {
  const out = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const bad = out.filter((s) => !isMethod(s));
  if (bad.length > 0) throw new RangeError(`unknown method(s) ${bad.join(', ')}; choose from ${METHODS.join(', ')}`);
  if (out.length === 0) throw new RangeError(`no method given; choose from ${METHODS.join(', ')}`);
  return out as Method[];
}

/**
 * The hyperparameters. The defaults are the authors' (REFERENCE.md) where they transfer unchanged — σ, λ, ρ, η, β,
 * momentum — and scaled to the budget where they do not: learning rate (batch 64, not 256), weight decay, epochs.
 */
export interface Hyperparameters {
  /** Peak learning rate of the cosine decay to 0 over all steps. */
  readonly lr: number;
  readonly momentum: number;
  /** Coupled L2 weight decay (added to the gradient before momentum, as torch.optim.SGD). */
  readonly weightDecay: number;
  /** RWP: σ (γ) and λ (α). */
  readonly rwpSigma: number;
  readonly rwpLambda: number;
  /** m-RWP: σ, λ. */
  readonly mrwpSigma: number;
  readonly mrwpLambda: number;
  /** SAM ρ; ASAM ρ and η. */
  readonly samRho: number;
  readonly asamRho: number;
  readonly asamEta: number;
  /** ARWP: σ₀, CosineInc's inc, η, β. */
  readonly arwpSigma: number;
  readonly arwpInc: number;
  readonly arwpEta: number;
  readonly arwpBeta: number;
  /** m-ARWP: σ, λ, η, β. */
  readonly marwpSigma: number;
  readonly marwpLambda: number;
  readonly marwpEta: number;
  readonly marwpBeta: number;
}

export const DEFAULT_HYPERPARAMETERS: Hyperparameters = Object.freeze({
  lr: 0.05,
  momentum: 0.9,
  weightDecay: 5e-4,
  rwpSigma: 0.01,
  rwpLambda: 0.5,
  mrwpSigma: 0.01,
  mrwpLambda: 0.5,
  samRho: 0.05,
  asamRho: 0.5,
  asamEta: 0.01,
  arwpSigma: 0.01,
  arwpInc: 15,
  arwpEta: 1,
  arwpBeta: 0.9,
  marwpSigma: 0.01,
  marwpLambda: 0.5,
  marwpEta: 1,
  marwpBeta: 0.9,
});

/** m-RWP and m-ARWP give each of their two gradients its own half of a double batch (the authors' two-GPU layout). */
export const isSplit = (m: Method): boolean => m === 'm-rwp' || m === 'm-arwp';

/** Methods whose two gradients are independent (a `mix`): the parallel interpreter evaluates them at once. */
export const isMix = (m: Method): boolean => m === 'rwp' || m === 'm-rwp' || m === 'm-arwp';

/** sourceOf(method, hp, steps): the gradient source of a method; `steps` is T of ARWP's CosineInc schedule. */
export function sourceOf(m: Method, hp: Hyperparameters, steps: number): GradientSource {
  switch (m) {
    case 'sgd':
      return cleanGrad;
    case 'sam':
      return sam({ ρ: hp.samRho });
    case 'asam':
      return asam({ ρ: hp.asamRho, η: hp.asamEta });
    case 'rwp':
      return rwp({ σ: hp.rwpSigma, λ: hp.rwpLambda });
    case 'm-rwp':
      return mRwp({ σ: hp.mrwpSigma, λ: hp.mrwpLambda });
    case 'arwp':
      return arwp({ σ: hp.arwpSigma, inc: hp.arwpInc, steps, η: hp.arwpEta, β: hp.arwpBeta });
    case 'm-arwp':
      return mArwp({ σ: hp.marwpSigma, λ: hp.marwpLambda, η: hp.marwpEta, β: hp.marwpBeta });
  }
}

/** What a run reports at the end of each (SGD-equivalent) epoch. */
export interface EpochRecord {
  readonly epoch: number;
  /** Training wall time so far, seconds (evaluation excluded). */
  readonly seconds: number;
  /** Mean step loss over the epoch (the value each step reports: L(w) or, for SAM/ARWP, the loss at w + ε). */
  readonly trainLoss: number;
  /** Test loss and accuracy; NaN at epochs skipped by `evalEvery`. */
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly gradEvals: number;
  readonly samplesPerSecond: number;
}

/** Progress events a run emits (the demo draws a bar from them). */
export type ProgressEvent =
  | { readonly kind: 'start'; readonly method: Method; readonly epochs: number; readonly stepsPerEpoch: number; readonly formula: string }
  | { readonly kind: 'step'; readonly method: Method; readonly epoch: number; readonly stepInEpoch: number; readonly stepsPerEpoch: number; readonly loss: number; readonly samplesPerSecond: number }
  | { readonly kind: 'epoch'; readonly method: Method; readonly record: EpochRecord; readonly epochs: number; readonly stepsPerEpoch: number }
  | { readonly kind: 'end'; readonly method: Method };

export interface RunOptions {
  readonly method: Method;
  readonly model: ZooModel;
  readonly train: Dataset;
  readonly test: Dataset;
  /** SGD-equivalent epochs: every method makes the same number of updates (split methods pass over the data twice as often). */
  readonly epochs: number;
  /** The batch each gradient sees (split methods draw twice as many examples per step). */
  readonly batchSize: number;
  /** Seeds the initialization, the batch order and the noise. */
  readonly seed: number;
  readonly hp?: Hyperparameters;
  /** Evaluate on the test set after every `evalEvery`-th epoch and after the last (default 1: every epoch). */
  readonly evalEvery?: number;
  /** Evaluate the mixes with the parallel interpreter (a worker thread); default true. */
  readonly parallel?: boolean;
  /** Module URL and export the parallel worker imports the model from; default this repository's model zoo. */
  readonly modelModule?: string;
  readonly onProgress?: (e: ProgressEvent) => void;
}

export interface RunResult {
  readonly method: Method;
  readonly seed: number;
  readonly formula: string;
  readonly history: readonly EpochRecord[];
  /** Final test accuracy and loss. */
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Training wall time, seconds (evaluation excluded, one warm-up step excluded). */
  readonly seconds: number;
  readonly gradEvals: number;
  readonly steps: number;
  readonly interpreter: string;
  /** Final parameters (the caller owns and disposes them). */
  readonly params: Tree;
}

export const MODEL_MODULE = new URL('../src/models/index.ts', import.meta.url).href;

/**
 * runMethod(options): train `model` with one method from init key(seed), evaluating on the test set after every epoch.
 * The clock covers the training steps only; one warm-up step (discarded) is taken first so that one-time costs —
 * starting the worker thread, first-call kernel setup — do not count against any method.
 */
export async function runMethod(o: RunOptions): Promise<RunResult> {
  const hp = o.hp ?? DEFAULT_HYPERPARAMETERS;
  const evalEvery = o.evalEvery ?? 1;
  if (!Number.isInteger(evalEvery) || evalEvery < 1) throw new RangeError(`runMethod: evalEvery must be a positive integer, got ${String(evalEvery)}`);
  const split = isSplit(o.method);
  const perStep = split ? 2 * o.batchSize : o.batchSize;
  const passesPerEpoch = split ? 2 : 1;
  const stepsPerPass = epochBatches(o.train, perStep);
  if (stepsPerPass < 1) throw new RangeError(`${o.method}: train set of ${o.train.n} is smaller than one batch of ${perStep}`);
  const stepsPerEpoch = stepsPerPass * passesPerEpoch;
  const steps = stepsPerEpoch * o.epochs;
  const source = sourceOf(o.method, hp, steps);
  const opt = optimizer(source, sgd(cosineDecay(hp.lr, steps), { momentum: hp.momentum, weightDecay: hp.weightDecay }));
  const formula = describe(source);
  const root = key(o.seed);
  const [initKey, dataKey, optKey] = [fold(root, 1), fold(root, 2), fold(root, 3)];
  const init = o.model.init(initKey);

  let interp: ParallelInterpreter | undefined;
  if ((o.parallel ?? true) && isMix(o.method)) {
    // The path the README gives: the zoo model itself (workers rebuild it from its spec), on the free cores.
    interp = parallel({ workers: workerCount('auto'), model: o.modelModule === undefined ? o.model : { module: o.modelModule, export: 'modelFromSpec', args: [o.model.spec] } });
  }
  const interpreter: Interpreter | undefined = interp;
  try {
    // Warm-up: one step on one batch, thrown away.
    {
      const gen = batches(o.train, perStep, fold(dataKey, 1_000_003));
      const first = gen.next().value;
      if (first !== undefined) {
        const w = await train(opt, o.model.loss, init, [first], { epochs: 1, key: optKey, ...(interpreter ? { interpreter } : {}) });
        disposeTree([w.params, w.state, first]);
      }
    }
    o.onProgress?.({ kind: 'start', method: o.method, epochs: o.epochs, stepsPerEpoch, formula });
    const history: EpochRecord[] = [];
    let trainSeconds = 0;
    let segment = performance.now();
    let epochLoss = 0;
    let epochSteps = 0;
    let gradEvals = 0;
    let samples = 0;
    let stepsDone = 0;
    let stepInEpoch = 0;
    let lastDraw = 0;
    const result = await train(opt, o.model.loss, init, (pass) => batches(o.train, perStep, fold(dataKey, pass)), {
      epochs: o.epochs * passesPerEpoch,
      key: optKey,
      ...(interpreter ? { interpreter } : {}),
      onStep: (s) => {
        epochLoss += s.value;
        epochSteps++;
        gradEvals += s.gradEvals;
        samples += s.batchSize;
        stepsDone++;
        stepInEpoch++;
        const now = performance.now();
        if (o.onProgress !== undefined && (now - lastDraw > 100 || stepInEpoch === stepsPerEpoch)) {
          lastDraw = now;
          const secs = trainSeconds + (now - segment) / 1000;
          o.onProgress({ kind: 'step', method: o.method, epoch: Math.floor(s.epoch / passesPerEpoch), stepInEpoch, stepsPerEpoch, loss: epochLoss / epochSteps, samplesPerSecond: samples / secs });
        }
      },
      onEpoch: (pass, params) => {
        if ((pass + 1) % passesPerEpoch !== 0) return;
        trainSeconds += (performance.now() - segment) / 1000;
        const epoch = (pass + 1) / passesPerEpoch;
        const ev = epoch % evalEvery === 0 || epoch === o.epochs ? evaluate(o.model, params, o.test) : { loss: Number.NaN, accuracy: Number.NaN };
        const record: EpochRecord = {
          epoch,
          seconds: trainSeconds,
          trainLoss: epochLoss / Math.max(1, epochSteps),
          testLoss: ev.loss,
          testAccuracy: ev.accuracy,
          gradEvals,
          samplesPerSecond: samples / trainSeconds,
        };
        history.push(record);
        o.onProgress?.({ kind: 'epoch', method: o.method, record, epochs: o.epochs, stepsPerEpoch });
        epochLoss = 0;
        epochSteps = 0;
        stepInEpoch = 0;
        segment = performance.now();
      },
    });
    disposeTree([init, result.state]);
    o.onProgress?.({ kind: 'end', method: o.method });
    const last = history.at(-1);
    return {
      method: o.method,
      seed: o.seed,
      formula,
      history,
      testAccuracy: last?.testAccuracy ?? Number.NaN,
      testLoss: last?.testLoss ?? Number.NaN,
      seconds: trainSeconds,
      gradEvals: result.gradEvals,
      steps: stepsDone,
      interpreter: interp?.name ?? 'sequential',
      params: result.params,
    };
  } finally {
    await interp?.close();
  }
}

/** One method's per-step cost, measured interleaved with the others. */
export interface StepTiming {
  /** e.g. 'rwp' or 'rwp (sequential)'. */
  readonly name: string;
  readonly method: Method;
  readonly interpreter: string;
  /** Median over rounds of the mean seconds per step in that round. */
  readonly median: number;
  /** Every round's mean seconds per step. */
  readonly rounds: readonly number[];
}

/**
 * stepTimings({ model, train, methods, batchSize, rounds, steps }): the wall time per optimizer step of each method,
 * measured in `rounds` rounds; in each round every method takes `steps` steps (from the same weights and state, on
 * the same batch), in an order that rotates between rounds. Interleaving makes the ratios robust to a machine whose
 * load changes over minutes, which one-run-after-another timings are not. The mixes are measured both with the
 * parallel interpreter and sequentially (`<method> (sequential)`).
 */
export async function stepTimings(o: {
  readonly model: ZooModel;
  readonly train: Dataset;
  readonly methods: readonly Method[];
  readonly batchSize: number;
  readonly rounds: number;
  readonly steps: number;
  readonly hp?: Hyperparameters;
  readonly modelModule?: string;
}): Promise<StepTiming[]> {
  const hp = o.hp ?? DEFAULT_HYPERPARAMETERS;
  const params = o.model.init(key(0));
  const interps: ParallelInterpreter[] = [];
  type Entry = { name: string; method: Method; interpreter: Interpreter; opt: ReturnType<typeof optimizer>; state: ReturnType<ReturnType<typeof optimizer>['init']>; batch: Tree; times: number[] };
  const entries: Entry[] = [];
  try {
    for (const m of o.methods) {
      const perStep = isSplit(m) ? 2 * o.batchSize : o.batchSize;
      const batch = batches(o.train, perStep, key(9)).next().value;
      if (batch === undefined) throw new RangeError(`stepTimings: no batch of ${perStep}`);
      const opt = optimizer(sourceOf(m, hp, 1000), sgd(hp.lr, { momentum: hp.momentum, weightDecay: hp.weightDecay }));
      const variants: Array<[string, Interpreter]> = [];
      if (isMix(m)) {
        const p = parallel({ workers: 1, model: { module: o.modelModule ?? MODEL_MODULE, export: 'modelFromSpec', args: [o.model.spec] } });
        interps.push(p);
        variants.push([m, p], [`${m} (sequential)`, sequential]);
      } else variants.push([m, sequential]);
      for (const [name, interpreter] of variants) entries.push({ name, method: m, interpreter, opt, state: opt.init(params, key(1)), batch, times: [] });
    }
    const once = async (e: Entry): Promise<void> => {
      const r = await e.interpreter.step(e.opt, o.model.loss, params, e.batch, e.state);
      disposeReplaced([r.params, r.state], [params, e.state, e.batch]);
    };
    for (const e of entries) await once(e); // warm-up (starts the workers)
    for (let round = 0; round < o.rounds; round++) {
      for (let j = 0; j < entries.length; j++) {
        const e = entries[(j + round) % entries.length] as Entry;
        const t0 = performance.now();
        for (let s = 0; s < o.steps; s++) await once(e);
        e.times.push((performance.now() - t0) / 1000 / o.steps);
      }
    }
    const median = (xs: readonly number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      const k = Math.floor(s.length / 2);
      return s.length % 2 === 1 ? (s[k] as number) : ((s[k - 1] as number) + (s[k] as number)) / 2;
    };
    return entries.map((e) => ({ name: e.name, method: e.method, interpreter: e.interpreter.name, median: median(e.times), rounds: e.times }));
  } finally {
    const seen = new Set<Tree>();
    for (const e of entries) {
      disposeTree(e.state);
      if (!seen.has(e.batch)) disposeTree(e.batch);
      seen.add(e.batch);
    }
    disposeTree(params);
    await Promise.all(interps.map((p) => p.close()));
  }
}
