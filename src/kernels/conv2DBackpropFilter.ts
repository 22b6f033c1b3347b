import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { asTensor } from './asTensor.js';

/**
 * Gradient of conv2d with respect to its filter, computed as one forward convolution,
 * which the wasm backend runs natively (XNNPACK):
 *
 *   dW[i, j, c, o] = Σ_{n, p, q} xPadded[n, p·sh + i, q·sw + j, c] · dy[n, p, q, o]
 *
 * is a 'valid' convolution of the image x, laid out [c, h, w, n] (in-channels = batch),
 * with the "filter" dy, laid out [p, q, n, o], at stride 1 and dilation = the forward stride;
 * its output [c, i, j, o] is dW up to a transpose. The whole batch contraction is one GEMM,
 * with no im2col copies. Handles strides, 'same' / 'valid' / numeric / explicit padding,
 * dimRoundingMode, NHWC and NCHW.
 */
export const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const kernelBackend = backend as tf.KernelBackend;
  return tf.tidy(() => {
    const x = asTensor(inputs['x']!, kernelBackend) as tf.Tensor4D;
    const dy = asTensor(inputs['dy']!, kernelBackend) as tf.Tensor4D;
    const channelsLast = dataFormat !== 'NCHW';
    const info = backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, channelsLast ? 'channelsLast' : 'channelsFirst');
    const { padInfo, strideHeight, strideWidth, filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth } = info;
    // Pad the bottom/right exactly as far as the forward pass read (rows past the input are zeros).
    const bottom = Math.max(0, filterHeight - 1 + (outHeight - 1) * strideHeight + 1 - padInfo.top - inHeight);
    const right = Math.max(0, filterWidth - 1 + (outWidth - 1) * strideWidth + 1 - padInfo.left - inWidth);
    const image = tf.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
    const dyFilter = tf.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
    const explicit: backend_util.ExplicitPadding = [[0, 0], [padInfo.top, bottom], [padInfo.left, right], [0, 0]];
    const full = tf.conv2d(image, dyFilter, 1, explicit, 'NHWC', [strideHeight, strideWidth]);
    // If the input extends past what the forward pass read, the correlation has extra offsets.
    const cIJO = full.shape[1] === filterHeight && full.shape[2] === filterWidth
      ? full
      : tf.slice(full, [0, 0, 0, 0], [-1, filterHeight, filterWidth, -1]);
    return tf.transpose(cIJO, [1, 2, 0, 3]);
  });
};

/** Kernel config registering {@link conv2DBackpropFilter} for the wasm backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
