import * as tf from '@tensorflow/tfjs-core';

/**
 * A kernel input as a `tf.Tensor`, so a kernel can be written with tfjs-core ops.
 * Inputs that arrive through `engine.runKernel` already are tensors; a bare TensorInfo
 * (a kernel called by another kernel) is wrapped with its own backend reference, so
 * disposing the wrapper (e.g. at the end of the kernel's `tf.tidy`) never frees the caller's data.
 */
export function asTensor(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  if (info instanceof tf.Tensor) return info;
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}
