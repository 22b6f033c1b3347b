import * as tf from '@tensorflow/tfjs-core';
import { UnsortedSegmentSum } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { asTensor } from './asTensor.js';

/**
 * out[s] = Σ_{i : ids[i] = s} x[i] for s < numSegments (the gradient of gather), as one
 * scatterND (which sums duplicate indices). Ids outside [0, numSegments) are dropped, as
 * on cpu, by sending them to an extra row that is sliced off. `segmentIds` must be 1-D.
 * The output keeps x's dtype (the op's declared type; cpu casts int32 inputs to float32).
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const kernelBackend = backend as tf.KernelBackend;
  return tf.tidy(() => {
    const x = asTensor(inputs['x']!, kernelBackend);
    const ids = asTensor(inputs['segmentIds']!, kernelBackend);
    if (ids.rank !== 1 || ids.shape[0] !== x.shape[0]) {
      throw new Error(`UnsortedSegmentSum (wasm): segmentIds must be 1-D of length x.shape[0] = ${x.shape[0]}, got shape [${ids.shape}]`);
    }
    const inner = x.shape.slice(1);
    if (ids.size === 0) return tf.zeros([numSegments, ...inner], x.dtype);
    const idValues = ids.dataSync();
    let inRange = true;
    for (let i = 0; i < idValues.length && inRange; i++) inRange = idValues[i]! >= 0 && idValues[i]! < numSegments;
    const int32Ids = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
    if (inRange) return tf.scatterND(tf.reshape(int32Ids, [-1, 1]), x, [numSegments, ...inner]);
    const valid = tf.logicalAnd(tf.greaterEqual(int32Ids, 0), tf.less(int32Ids, numSegments));
    const routed = tf.where(valid, int32Ids, tf.fill(int32Ids.shape, numSegments, 'int32'));
    const withSpare = tf.scatterND(tf.reshape(routed, [-1, 1]), x, [numSegments + 1, ...inner]);
    return tf.slice(withSpare, 0, numSegments);
  });
};

/** Kernel config registering {@link unsortedSegmentSum} for the wasm backend. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
