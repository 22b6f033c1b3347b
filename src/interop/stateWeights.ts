import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../checkpoint/errors.js';
import type { Json } from '../checkpoint/format.js';
import { decode, encode, newContext } from '../checkpoint/structure.js';
import type { OptimizerState } from '../optimizer.js';

/** A named tensor, as tf.Optimizer's getWeights/setWeights exchange them. */
export interface NamedTensor {
  /** The weight's name: `optimix/state` for the JSON skeleton, `optimix/<path>` for each state tensor. */
  readonly name: string;
  /** The weight's value. */
  readonly tensor: tf.Tensor;
}

/** The name of the weight holding the state's JSON skeleton in `getWeights()`. */
export const STATE_WEIGHT = 'optimix/state';

/**
 * stateToWeights(state, names): an optimizer state as tf.Optimizer weights — one string scalar with the state's JSON skeleton
 * (and the parameter names), then every state tensor named `optimix<path>` (the state's own tensors, not copies).
 */
export function stateToWeights(state: OptimizerState, names: readonly string[]): NamedTensor[] {
  const ctx = newContext();
  const skeleton = encode(state, ['state'], ctx);
  if (ctx.problems.length > 0) throw new CheckpointError('getWeights', ctx.problems);
  const head = tf.scalar(JSON.stringify({ names, skeleton }), 'string');
  return [{ name: STATE_WEIGHT, tensor: head }, ...ctx.tensors.map((r) => ({ name: `optimix${r.name}`, tensor: r.tensor }))];
}

/** weightsToState(weights): the state and parameter names `stateToWeights` wrote, with copies of the tensors (yours). */
export function weightsToState(weights: readonly NamedTensor[]): { state: OptimizerState; names: string[] } {
  const head = weights.find((w) => w.name === STATE_WEIGHT);
  if (head === undefined) throw new CheckpointError('setWeights', [`no '${STATE_WEIGHT}' weight: these weights were not written by an optimix optimizer`]);
  const { names, skeleton } = JSON.parse(String(head.tensor.dataSync()[0])) as { names: string[]; skeleton: Json };
  const byName = new Map(weights.map((w) => [w.name, w.tensor]));
  const problems: string[] = [];
  const made = new Map<string, tf.Tensor>();
  const state = decode(
    skeleton,
    (name) => {
      const t = byName.get(`optimix${name}`);
      if (t === undefined) {
        problems.push(`no weight 'optimix${name}'`);
        return null;
      }
      let c = made.get(name);
      if (c === undefined) made.set(name, (c = tf.clone(t)));
      return c;
    },
    ['state'],
    problems,
  ) as OptimizerState;
  if (problems.length > 0) {
    for (const t of made.values()) t.dispose();
    throw new CheckpointError('setWeights', problems);
  }
  return { state, names };
}
