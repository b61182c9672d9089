// The tfjs form of the classification loss in classificationObjective.ts, for models whose logits are tensors:
// the same coefficients (a, b) from `lossCoefficients`, so weighting and the single/multi-label choice stay there.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Summed loss of logits `[n, K]` with coefficients `a`, `b` (`[n, K]`, from `lossCoefficients`, already scaled):
 * single-label (`b` null) −Σ a ⊙ log softmax(z); multi-label Σ a ⊙ softplus(−z) + b ⊙ softplus(z)
 * (−log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z): stable for large |z|).
 * Call inside `tf.tidy`/a gradient function.
 */
export function tfClassificationLoss(logits: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D | null): tf.Scalar {
  if (b === null) return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), a))) as tf.Scalar;
  return tf.add(tf.sum(tf.mul(tf.softplus(tf.neg(logits)), a)), tf.sum(tf.mul(tf.softplus(logits), b))) as tf.Scalar;
}
