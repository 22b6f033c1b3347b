// One method's training run in the page: the zoo model from a fixed init key, SGD with momentum and cosine decay (the
// reproduction's update rule, docs/results.md), test accuracy before training (epoch 0) and after every epoch, the
// wall time of the training steps only. The page stays responsive: after every epoch the run yields to the event loop
// (and can be stopped there); every tensor it makes is freed when it ends, stopped or failed.
import { cosineDecay, describe, disposeTree, fold, key, optimizer, sgd, train, type Interpreter } from 'optimix';
import { batches, epochBatches, type Dataset } from 'optimix/data';
import { evaluate, type ZooModel } from 'optimix/models';
import { isSplit, sourceOf, type Method, type Radii } from './methods.ts';

/** The knobs of a run (the view's controls). */
export interface RunSettings extends Radii {
  readonly epochs: number;
  /** Peak learning rate of the cosine decay to 0. */
  readonly lr: number;
  /** Examples per gradient (m-RWP draws twice as many per step, half for each gradient). */
  readonly batchSize: number;
  /** Seeds the initialization, the batch order and the noise (the same for every method). */
  readonly seed: number;
}

/** One point of a test-accuracy curve. */
export interface EpochPoint {
  readonly epoch: number;
  readonly accuracy: number;
  /** Mean test cross-entropy. */
  readonly loss: number;
  /** Training seconds so far (steps only). */
  readonly seconds: number;
}

/** What a finished run reports. */
export interface RunReport {
  readonly method: Method;
  readonly formula: string;
  /** Epoch 0 (the initialization) first. */
  readonly curve: readonly EpochPoint[];
  readonly seconds: number;
  readonly steps: number;
  readonly gradEvals: number;
  /** Where the two gradients of a mix ran: 'sequential' or e.g. 'workers: 1'. */
  readonly interpreter: string;
}

/** Thrown by a run the user stopped. */
export class Stopped extends Error {
  override readonly name = 'Stopped';
}

/** The event loop gets a turn (a message-channel task: not clamped like setTimeout, so an idle page loses nothing). */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

/** How the run asks for its interpreter (made and closed by the caller), its progress, and whether to stop. */
export interface RunHooks {
  readonly interpreter?: { readonly value: Interpreter; readonly label: string };
  readonly onEpoch?: (p: EpochPoint) => void;
  readonly shouldStop?: () => boolean;
}

/**
 * runMethod(method, model, train, test, settings, hooks): train from model.init(fold(key(seed), 1)) with
 * sgd(cosineDecay(lr, steps), { momentum: 0.9, weightDecay: 5e-4 }) and the method's source; batch order
 * fold(key(seed), 2), optimizer key fold(key(seed), 3). One warm-up step (discarded) first, so that kernel set-up
 * counts against no method.
 */
export async function runMethod(method: Method, model: ZooModel, trainSet: Dataset, test: Dataset, s: RunSettings, hooks: RunHooks = {}): Promise<RunReport> {
  const perStep = isSplit(method) ? 2 * s.batchSize : s.batchSize;
  const passes = isSplit(method) ? 2 : 1;
  const stepsPerPass = epochBatches(trainSet, perStep);
  if (stepsPerPass < 1) throw new RangeError(`${method}: ${trainSet.n} training images is less than one batch of ${perStep}`);
  const steps = stepsPerPass * passes * s.epochs;
  const source = sourceOf(method, s);
  const opt = optimizer(source, sgd(cosineDecay(s.lr, steps), { momentum: 0.9, weightDecay: 5e-4 }));
  const root = key(s.seed);
  const [initKey, dataKey, optKey] = [fold(root, 1), fold(root, 2), fold(root, 3)];
  const interp = hooks.interpreter === undefined ? {} : { interpreter: hooks.interpreter.value };
  const init = model.init(initKey);
  try {
    {
      const first = batches(trainSet, perStep, fold(dataKey, 1_000_003)).next().value;
      if (first !== undefined) {
        const w = await train(opt, model.loss, init, [first], { epochs: 1, key: optKey, ...interp });
        disposeTree([w.params, w.state, first]);
      }
    }
    const e0 = evaluate(model, init, test);
    const curve: EpochPoint[] = [{ epoch: 0, accuracy: e0.accuracy, loss: e0.loss, seconds: 0 }];
    hooks.onEpoch?.(curve[0]!);
    await yieldToPage();
    let seconds = 0;
    let segment = performance.now();
    const result = await train(opt, model.loss, init, (pass) => batches(trainSet, perStep, fold(dataKey, pass)), {
      epochs: s.epochs * passes,
      key: optKey,
      ...interp,
      onEpoch: async (pass, params) => {
        if ((pass + 1) % passes !== 0) return;
        seconds += (performance.now() - segment) / 1000;
        const ev = evaluate(model, params, test);
        const point = { epoch: (pass + 1) / passes, accuracy: ev.accuracy, loss: ev.loss, seconds };
        curve.push(point);
        hooks.onEpoch?.(point);
        await yieldToPage();
        if (hooks.shouldStop?.() === true) throw new Stopped(`${method} stopped after epoch ${point.epoch}`);
        segment = performance.now();
      },
    });
    disposeTree([result.params, result.state]);
    return { method, formula: describe(source), curve, seconds, steps, gradEvals: result.gradEvals, interpreter: hooks.interpreter?.label ?? 'sequential' };
  } finally {
    disposeTree(init);
  }
}
