import * as tf from '@tensorflow/tfjs-core';
import type { LossFn } from '../model.js';
import type { Tree } from '../tree.js';

type Scope = { track: tf.Tensor[] } | null | undefined;

/**
 * keepOnlyFirst(f, extras): f, except that from its second call on, the tensors it `tf.keep()`s are collected into `extras`,
 * for the caller to dispose later. tfjs-layers' loss closure keeps one metric value per compiled metric on every call and
 * reports the first call's; RWP and SAM call it more than once per step, and nothing would ever free the extra values.
 * They cannot be freed at once: `trainOnBatch` reads every value the closure kept. (Reads tfjs-core's engine scope list:
 * `tf.engine().state.activeScope.track`.)
 */
export function keepOnlyFirst(f: () => tf.Scalar, extras: tf.Tensor[]): () => tf.Scalar {
  let calls = 0;
  return () => {
    const scope = tf.engine().state.activeScope as Scope;
    const start = scope?.track.length ?? 0;
    const y = f();
    if (calls++ > 0 && scope != null) for (const t of scope.track.slice(start)) if (t.kept && t !== y) extras.push(t);
    return y;
  };
}

/** Which variables the loss reached: `calls` evaluations, and for each variable how many of them gave it no gradient. */
export interface Connected {
  /** Evaluations of the loss so far. */
  calls: number;
  /** Variable name → evaluations in which the loss did not depend on it. */
  readonly unconnected: Map<string, number>;
}

/** skipped(c): the variables no evaluation of the loss reached (tf.train skips them: no update, no state change). */
export const skipped = (c: Connected): Set<string> => new Set([...c.unconnected].filter(([, k]) => k === c.calls && c.calls > 0).map(([n]) => n));

/**
 * variableLoss(f, variables, names, original): an optimix LossFn over a tree named like the variables, for a closure f that
 * reads tf.Variables (tfjs-layers' `lossFn`). loss(params) assigns params into the variables, takes f's value and its gradient
 * with respect to the variables, assigns the `original` tensors back (exactly: the saved tensors, not a subtraction), and
 * returns a scalar whose gradient with respect to params is that gradient (tf.customGrad); a variable f does not reach gets zeros,
 * counted in `connected`. So `step`'s own evaluation —
 * clean, perturbed, mixed — runs unchanged on a layers model. First-order only: its gradient has no gradient.
 */
export function variableLoss(f: () => tf.Scalar, variables: readonly tf.Variable[], names: readonly string[], original: Tree, connected?: Connected): LossFn {
  return (params) => {
    const xs = names.map((n) => params[n] as tf.Tensor);
    let value: tf.Scalar;
    let grads: tf.Tensor[];
    try {
      variables.forEach((v, i) => v.assign(xs[i] as tf.Tensor));
      const r = tf.engine().gradients(f, variables as tf.Variable[], undefined, true);
      value = r.value as tf.Scalar;
      if (connected !== undefined) connected.calls++;
      grads = r.grads.map((g, i) => {
        if (g !== undefined && g !== null) return g;
        connected?.unconnected.set(names[i] as string, (connected.unconnected.get(names[i] as string) ?? 0) + 1);
        return tf.zerosLike(xs[i] as tf.Tensor);
      });
    } finally {
      variables.forEach((v, i) => v.assign(original[names[i] as string] as tf.Tensor));
    }
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      (args[args.length - 1] as tf.GradSaveFunc)(grads);
      return { value: tf.clone(value), gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => saved.map((g) => tf.mul(dy, g)) };
    });
    return op(...xs);
  };
}
