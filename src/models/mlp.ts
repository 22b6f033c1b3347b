import * as tf from '@tensorflow/tfjs-core';
import type { Key } from '../random.js';
import type { Params } from '../tree.js';
import type { Batch } from '../model.js';
import { crossEntropy } from './crossEntropy.js';
import {
  batchXY,
  checkInput,
  denseFlops,
  initParams,
  param,
  positiveInt,
  positiveInts,
  type MlpOptions,
  type ParamSpec,
  type ZooModel,
} from './spec.js';
import { checkKeys } from '../validate.js';

/** MLP options with every default filled in. */
export type ResolvedMlpOptions = Required<MlpOptions>;

/** resolveMlpOptions(o): defaults inputShape = [28, 28, 1], hidden = [128], classes = 10; validated and frozen. */
export function resolveMlpOptions(o: MlpOptions = {}): ResolvedMlpOptions {
  checkKeys('mlp', o, ['inputShape', 'hidden', 'classes']);
  return Object.freeze({
    inputShape: positiveInts(o.inputShape ?? [28, 28, 1], 'mlp: inputShape', 1),
    hidden: positiveInts(o.hidden ?? [128], 'mlp: hidden'),
    classes: positiveInt(o.classes ?? 10, 'mlp: classes'),
  });
}

/** mlpLayout(o): parameters `hidden{i}/kernel [in, out]`, `hidden{i}/bias [out]` (i = 1…), then `dense/kernel`, `dense/bias`. */
export function mlpLayout(options: MlpOptions = {}): ParamSpec[] {
  const o = resolveMlpOptions(options);
  const layout: ParamSpec[] = [];
  let fanIn = o.inputShape.reduce((a, b) => a * b, 1);
  o.hidden.forEach((width, i) => {
    layout.push({ name: `hidden${i + 1}/kernel`, shape: [fanIn, width], init: { kind: 'heNormal', fanIn } });
    layout.push({ name: `hidden${i + 1}/bias`, shape: [width], init: { kind: 'zeros' } });
    fanIn = width;
  });
  layout.push({ name: 'dense/kernel', shape: [fanIn, o.classes], init: { kind: 'heNormal', fanIn } });
  layout.push({ name: 'dense/bias', shape: [o.classes], init: { kind: 'zeros' } });
  return layout;
}

/** mlpForwardFlops(o): FLOPs of one example's forward pass = Σ_layers (2·in·out + out) + Σ_hidden width (relu). */
export function mlpForwardFlops(options: MlpOptions = {}): number {
  const o = resolveMlpOptions(options);
  let fanIn = o.inputShape.reduce((a, b) => a * b, 1);
  let total = 0;
  for (const width of o.hidden) {
    total += denseFlops(fanIn, width) + width;
    fanIn = width;
  }
  return total + denseFlops(fanIn, o.classes);
}

/** mlp({ inputShape = [28,28,1], hidden = [128], classes = 10 }): flatten → (x·W + b → relu) per hidden width → x·W + b. */
export function mlp(options: MlpOptions = {}): ZooModel {
  const o = resolveMlpOptions(options);
  const layout = mlpLayout(o);
  const inputSize = o.inputShape.reduce((a, b) => a * b, 1);
  const logits = (params: Params, x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      checkInput(x, o.inputShape, 'mlp');
      let h = tf.reshape(x, [x.shape[0] ?? 0, inputSize]) as tf.Tensor2D;
      for (let i = 1; i <= o.hidden.length; i++) {
        h = tf.fused.matMul({
          a: h,
          b: param(params, `hidden${i}/kernel`, 'mlp') as tf.Tensor2D,
          bias: param(params, `hidden${i}/bias`, 'mlp'),
          activation: 'relu',
        }) as tf.Tensor2D;
      }
      return tf.fused.matMul({
        a: h,
        b: param(params, 'dense/kernel', 'mlp') as tf.Tensor2D,
        bias: param(params, 'dense/bias', 'mlp'),
      });
    });
  return Object.freeze({
    name: 'mlp',
    spec: Object.freeze({ kind: 'mlp' as const, options: o }),
    init: (k: Key): Params => initParams(k, layout),
    logits,
    loss: (params: Params, batch: Batch): tf.Scalar =>
      tf.tidy(() => {
        const { x, y } = batchXY(batch, 'mlp');
        return crossEntropy(logits(params, x), y);
      }),
  });
}
