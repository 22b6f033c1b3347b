import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { key } from '../random.js';
import { tensorsOf } from '../tree.js';
import { arbParamsAndGrads, arbSeed, type ParamsAndGrads } from './arbitraries.js';
import { compareArrays } from './compare.js';
import type { StreamOptions } from './equivalent.js';
import { law, violated, type Law } from './law.js';
import { leastSquares, type Problem, type ProblemKit } from './problem.js';
import { runOptimizer, runTransform } from './run.js';
import { isOptimizer, type Subject } from './subject.js';
import { lawOptions, STREAM_KEYS } from './options.js';

/** Options of `inputsUntouched`. */
export interface InputsUntouchedOptions extends StreamOptions {
  /** Steps per run (each step's inputs are checked); default 3. */
  readonly steps?: number;
  /** For optimizers: the loss and random problems; default least squares. */
  readonly problem?: ProblemKit;
}

interface Held {
  readonly where: string;
  readonly tensor: tf.Tensor;
  readonly values: Float32Array;
}

/** hold(inputs): every tensor reachable from each named input, with a copy of its values. */
function hold(inputs: Readonly<Record<string, unknown>>): Held[] {
  const out: Held[] = [];
  for (const [where, value] of Object.entries(inputs)) {
    for (const t of tensorsOf(value)) {
      if (t.isDisposed) violated(`${where} holds a tensor that was already disposed before the call`);
      out.push({ where, tensor: t, values: Float32Array.from(t.dataSync() as Float32Array) });
    }
  }
  return out;
}

/** untouched(held, call): every held tensor is still alive and holds the same bits after the call. */
function untouched(held: readonly Held[], call: string, i: number): void {
  for (const h of held) {
    if (h.tensor.isDisposed) violated(`step ${i}: ${call} disposed a tensor of its input ${h.where} (shape [${h.tensor.shape.join(',')}])`);
    const d = compareArrays(Float32Array.from(h.tensor.dataSync() as Float32Array), h.values, 'bitwise');
    if (d !== null) violated(`step ${i}: ${call} changed a tensor of its input ${h.where} in place: ${d}`);
  }
}

/** guarded(held, call, i, run): run the call, then check its inputs — also when it threw (a disposed input is the likelier story). */
function guarded<R>(held: readonly Held[], call: string, i: number, run: () => R): R {
  let r: R;
  try {
    r = run();
  } catch (e) {
    untouched(held, call, i);
    throw e;
  }
  untouched(held, call, i);
  return r;
}

/**
 * inputsUntouched(subject): `step(opt, loss, params, batch, state)` (or a transform's `update(updates, state, params)`)
 * neither disposes nor changes any tensor it is given — params, batch, state, gradients — checked bitwise over k steps.
 */
export function inputsUntouched(subject: Subject, options: InputsUntouchedOptions = {}): Law<[unknown]> {
  lawOptions('inputsUntouched', options, [...STREAM_KEYS, 'steps', 'problem']);
  const steps = options.steps ?? 3;
  if (isOptimizer(subject)) {
    const { loss, problem } = options.problem ?? leastSquares();
    return law('inputs untouched by step', fc.tuple(problem, arbSeed()), ([p, seed]: [Problem, number]) => {
      runOptimizer(subject, loss, p, key(seed), steps, {
        record: false,
        around: (i, inputs, run) => {
          const held = hold({ params: inputs.params, batch: inputs.batch, state: inputs.state });
          return guarded(held, 'step', i, run);
        },
      });
    }) as Law<[unknown]>;
  }
  return law('inputs untouched by update', arbParamsAndGrads({ length: steps, ...options }), (input: ParamsAndGrads) => {
    runTransform(subject, input.params, input.stream, {
      apply: options.apply ?? true,
      record: false,
      around: (i, inputs, run) => {
        const held = hold({ updates: inputs.grads, state: inputs.state, params: inputs.params });
        return guarded(held, 'update', i, run);
      },
    });
  }) as Law<[unknown]>;
}
