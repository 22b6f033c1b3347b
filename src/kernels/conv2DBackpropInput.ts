import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelFunc } from '@tensorflow/tfjs-core';
import { asTensor } from './asTensor.js';

/**
 * Gradient of conv2d with respect to its input, as one forward convolution (XNNPACK on wasm) instead of the
 * wasm backend's own direct loop, which is 5–7× slower on a small CNN's layers:
 *
 *   dx[n, t, u, c] = Σ_{p, q, o} dy[n, p, q, o] · W[t + padTop − p·sh, u + padLeft − q·sw, c, o]
 *
 * is a stride-1 correlation of dy — dilated by the forward stride (sh − 1 zero rows between rows, sw − 1 zero
 * columns between columns) — with the filter flipped spatially and its in/out channels swapped, [kh, kw, out, in],
 * padded by kh − 1 − padTop rows above (kw − 1 − padLeft columns left) and as many below/right as it takes to
 * give the input's size. The summation order differs from wasm's loop, so values agree to float32 rounding
 * (relative error ~1e-7), not bit for bit.
 *
 * Handles NHWC with strides ≥ 1 and 'same' / 'valid' / numeric / explicit padding and dimRoundingMode. Cases it
 * does not handle — NCHW, or a pad above/left larger than kernel − 1 — go to `fallback` (wasm's own kernel).
 */
export function makeConv2DBackpropInput(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const dyInfo = inputs['dy']!;
    const filterInfo = inputs['filter']!;
    const filterShape = filterInfo.shape as [number, number, number, number];
    const channelsLast = dataFormat !== 'NCHW';
    const info = backend_util.computeConv2DInfo(
      inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, channelsLast ? 'channelsLast' : 'channelsFirst');
    const { padInfo, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
    const top = kh - 1 - padInfo.top;
    const left = kw - 1 - padInfo.left;
    if (!channelsLast || top < 0 || left < 0) {
      if (fallback === undefined) throw new Error('Conv2DBackpropInput (wasm): unsupported case and no fallback kernel');
      return fallback(args);
    }
    const kernelBackend = backend as tf.KernelBackend;
    return tf.tidy(() => {
      const dy = asTensor(dyInfo, kernelBackend) as tf.Tensor4D;
      const filter = asTensor(filterInfo, kernelBackend) as tf.Tensor4D;
      const [n, , , outC] = dy.shape;
      // dy dilated by the stride: each row/column followed by (stride − 1) zeros (trailing zeros are harmless:
      // they only pad the bottom/right, whose amount is computed from the dilated length below).
      let dyd: tf.Tensor4D = dy;
      if (sh > 1 || sw > 1) {
        const spread = tf.pad(tf.reshape(dy, [n, outHeight, 1, outWidth, 1, outC]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
        dyd = tf.reshape(spread, [n, outHeight * sh, outWidth * sw, outC]);
      }
      const [, dh, dw] = dyd.shape;
      // Output length = top + dh + bottom − kh + 1 must be inHeight; a negative remainder means dyd reaches past
      // what the input needs (the forward pass skipped the input's last rows), so pad 0 and crop the result.
      const bottom = inHeight + kh - 1 - top - dh;
      const right = inWidth + kw - 1 - left - dw;
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
      const explicit: backend_util.ExplicitPadding = [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]];
      const dx = tf.conv2d(dyd, flipped, 1, explicit, 'NHWC');
      return bottom < 0 || right < 0 ? tf.slice(dx, [0, 0, 0, 0], [-1, inHeight, inWidth, -1]) : dx;
    });
  };
}
