import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelFunc, MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import { asTensor } from './asTensor.js';

/**
 * Gradient of a max pool whose windows tile the input (stride = window, no padding: the usual 2×2 / 2 pool), with
 * a handful of fast whole-tensor ops instead of the wasm backend's per-pixel loop (3–5× faster on a small CNN):
 *
 *   dx = dy (spread over its window) at the window's *first* maximum in row-major order, 0 elsewhere,
 *
 * the rule of the cpu backend. The input is viewed as [n, oh, kh, ow, kw, c] (a reshape, no copy), so every op
 * is a broadcasting elementwise op or a max pool. No data values are summed, so the result equals cpu's bit for
 * bit for finite inputs. (A window holding NaN or ±∞ is not specified: cpu skips NaN; this kernel may give NaN.)
 *
 * wasm's own kernel (tfjs 4.22) starts its running maximum at FLT_MIN, the smallest *positive* float, and takes
 * the *last* maximum: a window whose values are all ≤ 0 sends its gradient to the wrong place (or nowhere), and
 * ties go elsewhere than on cpu. This kernel fixes both. Other cases (overlapping or padded windows, non-float32)
 * go to `fallback`, wasm's own kernel.
 */
export function makeMaxPoolGrad(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    const xInfo = inputs['input']!;
    const info = backend_util.computePool2DInfo(xInfo.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { filterHeight: kh, filterWidth: kw, strideHeight, strideWidth, outHeight: oh, outWidth: ow, inHeight, inWidth, padInfo } = info;
    const tiles = strideHeight === kh && strideWidth === kw && padInfo.top === 0 && padInfo.left === 0 && oh * kh <= inHeight && ow * kw <= inWidth;
    if (!tiles || xInfo.dtype !== 'float32') {
      if (fallback === undefined) throw new Error('MaxPoolGrad (wasm): unsupported case and no fallback kernel');
      return fallback(args);
    }
    const kernelBackend = backend as tf.KernelBackend;
    return tf.tidy(() => {
      const x = asTensor(xInfo, kernelBackend) as tf.Tensor4D;
      const dy = asTensor(inputs['dy']!, kernelBackend) as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      const used = oh * kh === h && ow * kw === w ? x : tf.slice(x, [0, 0, 0, 0], [n, oh * kh, ow * kw, c]);
      // The window maxima, recomputed from x as cpu does (the `output` input is not trusted to be maxPool(x)).
      const y = tf.maxPool(used, [kh, kw], [kh, kw], 'valid');
      // Every window as axes 2 and 4 of [n, oh, kh, ow, kw, c] (a reshape, no copy); pooled values broadcast over them.
      const windows = tf.reshape(used, [n, oh, kh, ow, kw, c]);
      const perWindow = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [n, oh, 1, ow, 1, c]);
      // x ≤ the window's max m, and x − m = 0 exactly when x = m (IEEE subtraction with subnormals: x ≠ m ⇒ |x − m| ≥
      // 2⁻¹⁴⁹), so isMax = relu(1 + (x − m)·2¹²⁷·2¹²⁷) is 1 at a maximum and 0 elsewhere (−2¹⁰⁵ or −∞ before the
      // relu). Fast XNNPACK ops only; wasm's Equal is a slow scalar loop.
      const scale = 2 ** 127;
      const isMax = tf.relu(tf.add(tf.mul(tf.mul(tf.sub(windows, perWindow(y)), scale), scale), 1));
      // Rank the maxima by position, k·k for the first down to 1 for the last; the window's largest rank is its
      // first maximum, found with a max pool. Small integers: exact.
      const order = tf.tensor(Array.from({ length: kh * kw }, (_, i) => kh * kw - i), [1, 1, kh, 1, kw, 1]);
      const ranked = tf.mul(isMax, order);
      const best = tf.maxPool(tf.reshape(ranked, [n, oh * kh, ow * kw, c]) as tf.Tensor4D, [kh, kw], [kh, kw], 'valid');
      // ranked ≤ best, both integers: ranked = best ⇔ ranked − best + 1 = 1 > 0, else ≤ 0.
      const first = tf.relu(tf.add(tf.sub(ranked, perWindow(best)), 1));
      const dx = tf.reshape(tf.mul(first, perWindow(dy)), [n, oh * kh, ow * kw, c]);
      return dx.shape[1] === h && dx.shape[2] === w ? dx : tf.pad(dx, [[0, 0], [0, h - oh * kh], [0, w - ow * kw], [0, 0]]);
    });
  };
}
