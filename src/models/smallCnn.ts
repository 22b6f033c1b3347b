import * as tf from '@tensorflow/tfjs-core';
import type { Key } from '../random.js';
import type { Params } from '../tree.js';
import type { Batch } from '../model.js';
import { crossEntropy } from './crossEntropy.js';
import {
  batchXY,
  checkInput,
  convFlops,
  denseFlops,
  imageShape,
  initParams,
  param,
  positiveInt,
  positiveInts,
  type ParamSpec,
  type SmallCnnOptions,
  type ZooModel,
} from './spec.js';
import { checkKeys } from '../validate.js';

/** Small-CNN options with every default filled in. */
export type ResolvedSmallCnnOptions = Required<SmallCnnOptions>;

/** resolveSmallCnnOptions(o): defaults inputShape = [28, 28, 1], channels = [16, 32], classes = 10; validated and frozen. */
export function resolveSmallCnnOptions(o: SmallCnnOptions = {}): ResolvedSmallCnnOptions {
  checkKeys('smallCnn', o, ['inputShape', 'channels', 'classes']);
  const r = Object.freeze({
    inputShape: positiveInts(o.inputShape ?? [28, 28, 1], 'smallCnn: inputShape', 3),
    channels: positiveInts(o.channels ?? [16, 32], 'smallCnn: channels', 1),
    classes: positiveInt(o.classes ?? 10, 'smallCnn: classes'),
  });
  stages(r); // validates that every pool keeps at least one pixel
  return r;
}

interface Stage {
  /** 1-based index: the conv is `conv{i}`. */
  readonly i: number;
  /** Conv input (= output, 'same') height, width; channels in and out. */
  readonly h: number;
  readonly w: number;
  readonly cin: number;
  readonly cout: number;
  /** Size after the 2×2 stride-2 'valid' max pool: ⌊h/2⌋ × ⌊w/2⌋. */
  readonly ph: number;
  readonly pw: number;
}

function stages(o: ResolvedSmallCnnOptions): Stage[] {
  let [h, w, cin] = imageShape(o.inputShape, 'smallCnn');
  return o.channels.map((cout, idx) => {
    const ph = Math.floor(h / 2);
    const pw = Math.floor(w / 2);
    if (ph < 1 || pw < 1) {
      throw new RangeError(`smallCnn: input ${JSON.stringify(o.inputShape)} is too small for ${o.channels.length} 2×2 pools`);
    }
    const s: Stage = { i: idx + 1, h, w, cin, cout, ph, pw };
    [h, w, cin] = [ph, pw, cout];
    return s;
  });
}

/** Flattened size after the last pool: ph·pw·cout. */
function flatSize(o: ResolvedSmallCnnOptions): number {
  const last = stages(o).at(-1);
  if (last === undefined) throw new RangeError('smallCnn: channels must not be empty');
  return last.ph * last.pw * last.cout;
}

/** smallCnnLayout(o): `conv{i}/kernel [3, 3, in, out]`, `conv{i}/bias [out]` (i = 1…), then `dense/kernel [flat, classes]`, `dense/bias`. */
export function smallCnnLayout(options: SmallCnnOptions = {}): ParamSpec[] {
  const o = resolveSmallCnnOptions(options);
  const layout: ParamSpec[] = [];
  for (const s of stages(o)) {
    layout.push({ name: `conv${s.i}/kernel`, shape: [3, 3, s.cin, s.cout], init: { kind: 'heNormal', fanIn: 9 * s.cin } });
    layout.push({ name: `conv${s.i}/bias`, shape: [s.cout], init: { kind: 'zeros' } });
  }
  const flat = flatSize(o);
  layout.push({ name: 'dense/kernel', shape: [flat, o.classes], init: { kind: 'heNormal', fanIn: flat } });
  layout.push({ name: 'dense/bias', shape: [o.classes], init: { kind: 'zeros' } });
  return layout;
}

/**
 * smallCnnForwardFlops(o): one example's forward FLOPs = Σ_stages [2·h·w·9·cin·cout + h·w·cout (bias) + h·w·cout (relu)
 * + 3·⌊h/2⌋·⌊w/2⌋·cout (max pool: 3 comparisons per output)] + 2·flat·classes + classes.
 */
export function smallCnnForwardFlops(options: SmallCnnOptions = {}): number {
  const o = resolveSmallCnnOptions(options);
  let total = 0;
  for (const s of stages(o)) {
    total += convFlops(s.h, s.w, 3, s.cin, s.cout, true) + s.h * s.w * s.cout + 3 * s.ph * s.pw * s.cout;
  }
  return total + denseFlops(flatSize(o), o.classes);
}

/**
 * smallCnn({ inputShape = [28,28,1], channels = [16, 32], classes = 10 }): per channel count c_i,
 * conv 3×3 'same' + bias → relu → maxPool 2×2 stride 2 ('valid'); then flatten → dense → logits.
 */
export function smallCnn(options: SmallCnnOptions = {}): ZooModel {
  const o = resolveSmallCnnOptions(options);
  const layout = smallCnnLayout(o);
  const nStages = o.channels.length;
  const logits = (params: Params, x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      checkInput(x, o.inputShape, 'smallCnn');
      let h = x as tf.Tensor4D;
      for (let i = 1; i <= nStages; i++) {
        h = tf.fused.conv2d({
          x: h,
          filter: param(params, `conv${i}/kernel`, 'smallCnn') as tf.Tensor4D,
          strides: 1,
          pad: 'same',
          bias: param(params, `conv${i}/bias`, 'smallCnn'),
          activation: 'relu',
        });
        h = tf.maxPool(h, 2, 2, 'valid');
      }
      const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
      return tf.fused.matMul({
        a: flat,
        b: param(params, 'dense/kernel', 'smallCnn') as tf.Tensor2D,
        bias: param(params, 'dense/bias', 'smallCnn'),
      });
    });
  return Object.freeze({
    name: 'smallCnn',
    spec: Object.freeze({ kind: 'smallCnn' as const, options: o }),
    init: (k: Key): Params => initParams(k, layout),
    logits,
    loss: (params: Params, batch: Batch): tf.Scalar =>
      tf.tidy(() => {
        const { x, y } = batchXY(batch, 'smallCnn');
        return crossEntropy(logits(params, x), y);
      }),
  });
}
