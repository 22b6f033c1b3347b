import * as tf from '@tensorflow/tfjs-core';

/**
 * crossEntropy(logits, y) = mean_i −Σ_c y_ic · logSoftmax(logits_i)_c, for logits `[n, classes]` and one-hot
 * (or any probability) targets y `[n, classes]`. Stable: logSoftmax subtracts the row max before exp.
 */
export function crossEntropy(logits: tf.Tensor, yOneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(crossEntropyPerExample(logits, yOneHot))) as tf.Scalar);
}

/** crossEntropyPerExample(logits, y) = Σ_c y_ic · logSoftmax(logits_i)_c, shape `[n]` (note: the NEGATED loss, −ℓ_i). */
function crossEntropyPerExample(logits: tf.Tensor, yOneHot: tf.Tensor): tf.Tensor {
  if (logits.rank !== 2 || yOneHot.rank !== 2 || logits.shape[0] !== yOneHot.shape[0] || logits.shape[1] !== yOneHot.shape[1]) {
    throw new Error(`crossEntropy: logits [${logits.shape.join(', ')}] and one-hot targets [${yOneHot.shape.join(', ')}] must both be [n, classes]`);
  }
  const y = yOneHot.dtype === 'float32' ? yOneHot : tf.cast(yOneHot, 'float32');
  return tf.sum(tf.mul(y, tf.logSoftmax(logits, -1)), -1);
}

/** crossEntropySum(logits, y) = Σ_i −Σ_c y_ic · logSoftmax(logits_i)_c, the summed (not averaged) loss, a scalar. */
export function crossEntropySum(logits: tf.Tensor, yOneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(crossEntropyPerExample(logits, yOneHot))) as tf.Scalar);
}
