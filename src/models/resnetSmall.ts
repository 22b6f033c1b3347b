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
  sameOut,
  type ParamSpec,
  type ResnetSmallOptions,
  type ZooModel,
} from './spec.js';
import { checkKeys } from '../validate.js';

/** Small-ResNet options with every default filled in. */
export type ResolvedResnetSmallOptions = Required<ResnetSmallOptions>;

/** resolveResnetSmallOptions(o): defaults inputShape = [28, 28, 1], width = 16, blocks = 2, classes = 10, downsample = true. */
export function resolveResnetSmallOptions(o: ResnetSmallOptions = {}): ResolvedResnetSmallOptions {
  checkKeys('resnetSmall', o, ['inputShape', 'width', 'blocks', 'classes', 'downsample']);
  const downsample = o.downsample ?? true;
  if (typeof downsample !== 'boolean') throw new TypeError(`resnetSmall: downsample must be a boolean, got ${String(downsample)}`);
  const r = Object.freeze({
    inputShape: positiveInts(o.inputShape ?? [28, 28, 1], 'resnetSmall: inputShape', 3),
    width: positiveInt(o.width ?? 16, 'resnetSmall: width'),
    blocks: positiveInt(o.blocks ?? 2, 'resnetSmall: blocks'),
    classes: positiveInt(o.classes ?? 10, 'resnetSmall: classes'),
    downsample,
  });
  imageShape(r.inputShape, 'resnetSmall');
  return r;
}

/** Spatial size [h, w] seen by each block b = 1…blocks (stride-2 'same' convs between blocks halve it, rounding up). */
function blockSizes(o: ResolvedResnetSmallOptions): Array<readonly [number, number]> {
  let [h, w] = imageShape(o.inputShape, 'resnetSmall');
  const sizes: Array<readonly [number, number]> = [];
  for (let b = 1; b <= o.blocks; b++) {
    if (b > 1 && o.downsample) [h, w] = [sameOut(h, 2), sameOut(w, 2)];
    sizes.push([h, w]);
  }
  return sizes;
}

/**
 * resnetSmallLayout(o): `stem/kernel [3,3,c,W]`, `stem/bias`; per block b: `block{b}/conv_a/kernel [3,3,W,W]`,
 * `block{b}/norm_a/scale [W]`, `block{b}/norm_a/shift [W]`, `block{b}/conv_b/kernel`, `block{b}/norm_b/scale`,
 * `block{b}/norm_b/shift`, then (downsample, b < blocks) `down{b}/kernel [3,3,W,W]`, `down{b}/bias`; finally
 * `dense/kernel [W, classes]`, `dense/bias`.
 */
export function resnetSmallLayout(options: ResnetSmallOptions = {}): ParamSpec[] {
  const o = resolveResnetSmallOptions(options);
  const [, , c] = imageShape(o.inputShape, 'resnetSmall');
  const W = o.width;
  const he = (fanIn: number) => ({ kind: 'heNormal', fanIn }) as const;
  const layout: ParamSpec[] = [
    { name: 'stem/kernel', shape: [3, 3, c, W], init: he(9 * c) },
    { name: 'stem/bias', shape: [W], init: { kind: 'zeros' } },
  ];
  for (let b = 1; b <= o.blocks; b++) {
    for (const part of ['a', 'b'] as const) {
      layout.push({ name: `block${b}/conv_${part}/kernel`, shape: [3, 3, W, W], init: he(9 * W) });
      layout.push({ name: `block${b}/norm_${part}/scale`, shape: [W], init: { kind: 'ones' } });
      layout.push({ name: `block${b}/norm_${part}/shift`, shape: [W], init: { kind: 'zeros' } });
    }
    if (o.downsample && b < o.blocks) {
      layout.push({ name: `down${b}/kernel`, shape: [3, 3, W, W], init: he(9 * W) });
      layout.push({ name: `down${b}/bias`, shape: [W], init: { kind: 'zeros' } });
    }
  }
  layout.push({ name: 'dense/kernel', shape: [W, o.classes], init: he(W) });
  layout.push({ name: 'dense/bias', shape: [o.classes], init: { kind: 'zeros' } });
  return layout;
}

/**
 * resnetSmallForwardFlops(o): one example's forward FLOPs. Stem: 2·h·w·9·c·W + 2·h·w·W (bias, relu). Block at h×w:
 * 2 × (2·h·w·9·W² + 2·h·w·W (scale, shift)) + 3·h·w·W (inner relu, residual add, outer relu). Down conv to h'×w':
 * 2·h'·w'·9·W² + 2·h'·w'·W. Global average pool: h·w·W. Dense: 2·W·classes + classes.
 */
export function resnetSmallForwardFlops(options: ResnetSmallOptions = {}): number {
  const o = resolveResnetSmallOptions(options);
  const [h0, w0, c] = imageShape(o.inputShape, 'resnetSmall');
  const W = o.width;
  let total = convFlops(h0, w0, 3, c, W, true) + h0 * w0 * W;
  const sizes = blockSizes(o);
  sizes.forEach(([h, w], idx) => {
    if (idx > 0 && o.downsample) total += convFlops(h, w, 3, W, W, true) + h * w * W;
    total += 2 * (convFlops(h, w, 3, W, W, false) + 2 * h * w * W) + 3 * h * w * W;
  });
  const [hl, wl] = sizes.at(-1) ?? [h0, w0];
  return total + hl * wl * W + denseFlops(W, o.classes);
}

/**
 * resnetSmall({ inputShape = [28,28,1], width = 16, blocks = 2, classes = 10, downsample = true }):
 * stem conv 3×3 + bias → relu; per block x ↦ relu(x + n_b(conv_b(relu(n_a(conv_a(x)))))) with the per-channel
 * affine n(z) = z·scale + shift (no batch statistics: a pure function of params); a stride-2 conv 3×3 + bias → relu
 * between blocks when downsample; global average pool → dense → logits.
 */
export function resnetSmall(options: ResnetSmallOptions = {}): ZooModel {
  const o = resolveResnetSmallOptions(options);
  const layout = resnetSmallLayout(o);
  const P = (params: Params, name: string): tf.Tensor => param(params, name, 'resnetSmall');
  const logits = (params: Params, x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      checkInput(x, o.inputShape, 'resnetSmall');
      let h = tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: P(params, 'stem/kernel') as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: P(params, 'stem/bias'),
        activation: 'relu',
      });
      const affine = (z: tf.Tensor4D, b: number, part: 'a' | 'b'): tf.Tensor4D =>
        tf.add(tf.mul(z, P(params, `block${b}/norm_${part}/scale`)), P(params, `block${b}/norm_${part}/shift`));
      for (let b = 1; b <= o.blocks; b++) {
        const a = tf.relu(affine(tf.conv2d(h, P(params, `block${b}/conv_a/kernel`) as tf.Tensor4D, 1, 'same'), b, 'a'));
        const r = affine(tf.conv2d(a, P(params, `block${b}/conv_b/kernel`) as tf.Tensor4D, 1, 'same'), b, 'b');
        h = tf.relu(tf.add(h, r)) as tf.Tensor4D;
        if (o.downsample && b < o.blocks) {
          h = tf.fused.conv2d({
            x: h,
            filter: P(params, `down${b}/kernel`) as tf.Tensor4D,
            strides: 2,
            pad: 'same',
            bias: P(params, `down${b}/bias`),
            activation: 'relu',
          });
        }
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      return tf.fused.matMul({ a: pooled, b: P(params, 'dense/kernel') as tf.Tensor2D, bias: P(params, 'dense/bias') });
    });
  return Object.freeze({
    name: 'resnetSmall',
    spec: Object.freeze({ kind: 'resnetSmall' as const, options: o }),
    init: (k: Key): Params => initParams(k, layout),
    logits,
    loss: (params: Params, batch: Batch): tf.Scalar =>
      tf.tidy(() => {
        const { x, y } = batchXY(batch, 'resnetSmall');
        return crossEntropy(logits(params, x), y);
      }),
  });
}
