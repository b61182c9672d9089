// Rotary position embeddings (Su et al. 2021, "RoFormer"), in the half-split form of GPT-NeoX / Llama / ModernBERT:
// x' = x·cos + rotate_half(x)·sin, with rotate_half(x) = [−x₂, x₁] for the two halves of the head dimension and
// cos/sin of cat(freqs, freqs), freqs[p, i] = p / theta^(2i/d). Source: transformers' `apply_rotary_pos_emb` and the
// default `rope_init_fn` (modeling_rope_utils.py).
import * as tf from '@tensorflow/tfjs-core';

/**
 * cos and sin tables `[seqLen, dim]` for positions 0…seqLen−1, rounded to float32 as PyTorch computes them
 * (inverse frequencies and angles in float32).
 * @param dim the head dimension (even)
 * @param theta the rotary base (10,000 in RoFormer; ModernBERT: 160,000 global, 10,000 local)
 */
export function rotaryTables(seqLen: number, dim: number, theta: number): { cos: Float32Array; sin: Float32Array } {
  const half = dim / 2;
  const invFreq = rotaryInverseFrequencies(dim, theta);
  const cos = new Float32Array(seqLen * dim);
  const sin = new Float32Array(seqLen * dim);
  for (let p = 0; p < seqLen; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * invFreq[i]);
      cos[p * dim + i] = cos[p * dim + i + half] = Math.cos(angle);
      sin[p * dim + i] = sin[p * dim + i + half] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * The inverse frequencies `[dim / 2]`, 1 / theta^(2i/dim) rounded to float32 as PyTorch computes them; the angle of
 * position p is fround(p · invFreq[i]) (what rotaryTables and an ONNX graph's float32 Mul both compute).
 */
export function rotaryInverseFrequencies(dim: number, theta: number): Float32Array {
  const invFreq = new Float32Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) invFreq[i] = 1 / Math.fround(Math.pow(theta, Math.fround((2 * i) / dim)));
  return invFreq;
}

/** The `[dim, dim]` matrix R with x·R = rotate_half(x): one product instead of slices and a concat (and their gradients). */
export function rotateHalfMatrix(dim: number): Float32Array {
  const half = dim / 2;
  const r = new Float32Array(dim * dim);
  for (let i = 0; i < half; i++) {
    r[(i + half) * dim + i] = -1; // out[i] = −x[i + half]
    r[i * dim + i + half] = 1; // out[i + half] = x[i]
  }
  return r;
}

/**
 * Applies the rotation to `x [..., seqLen, dim]` (queries or keys, heads in the leading axes) with tfjs ops (the
 * fused kernel of nn/rotaryHeads.ts does this on wasm).
 * @param cos, sin `[seqLen, dim]` tensors from rotaryTables
 */
export function applyRotary(x: tf.Tensor, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor {
  const dim = x.shape[x.shape.length - 1]!;
  const rotate = tf.tensor2d(rotateHalfMatrix(dim), [dim, dim]);
  const rotated = tf.reshape(tf.matMul(tf.reshape(x, [-1, dim]) as tf.Tensor2D, rotate), x.shape);
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
}
