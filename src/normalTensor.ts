import * as tf from '@tensorflow/tfjs-core';
import { normals } from './normal.js';

/** normalTensor(key, shape, std = 1): a float32 tensor of std·N(0, 1) values, element i = std × normals(key, size)[i] (Philox-4×32-10, src/normal.ts). */
export function normalTensor(k: readonly [number, number], shape: readonly number[], std = 1): tf.Tensor {
  const values = normals(k, shape.reduce((a, b) => a * b, 1));
  if (std !== 1) for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * std;
  return tf.tensor(values, [...shape], 'float32');
}
