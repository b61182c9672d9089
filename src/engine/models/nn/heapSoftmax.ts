// Attention softmax with its additive mask, and the softmax's backward, as fused JS kernels over the wasm heap
// (backend/heapKernels.ts), for hand-written backward passes. The mask is HF's: −1e9 added to the scores of padding
// keys and, with a sliding window, of keys further than `half` from the query (float32 sums, so masked weights are
// exactly 0 as with transformers' finfo.min).
import * as tf from '@tensorflow/tfjs-core';
import { registerHeapKernel } from '../../backend/heapKernels';
import { expNonPositive } from './fastMath';

interface SoftmaxAttrs {
  batch: number;
  heads: number;
  /** `[batch, seqLen]`, 1 on tokens, 0 on padding. */
  attentionMask: Int32Array;
  /** Keys with |q − k| > half are masked; Infinity for global attention. */
  half: number;
}

const masked = -1e9;

const softmaxKernel = registerHeapKernel<SoftmaxAttrs>({
  name: 'CwMaskedSoftmax',
  inputNames: ['scores'],
  outputShapes: ([s]) => [s!],
  body: ([s], [p], { batch, heads, attentionMask, half }, [shape]) => {
    const T = shape![2]!;
    const row = new Float64Array(T);
    for (let b = 0; b < batch; b++) {
      for (let hd = 0; hd < heads; hd++) {
        for (let q = 0; q < T; q++) {
          const o = ((b * heads + hd) * T + q) * T;
          let max = -Infinity;
          for (let k = 0; k < T; k++) {
            const v = attentionMask[b * T + k] && Math.abs(q - k) <= half ? s![o + k]! : Math.fround(s![o + k]! + masked);
            row[k] = v;
            if (v > max) max = v;
          }
          let sum = 0;
          for (let k = 0; k < T; k++) {
            const e = expNonPositive(row[k]! - max);
            row[k] = e;
            sum += e;
          }
          for (let k = 0; k < T; k++) p![o + k] = row[k]! / sum;
        }
      }
    }
  },
});

const softmaxBackwardKernel = registerHeapKernel<Record<string, never>>({
  name: 'CwSoftmaxBackward',
  inputNames: ['p', 'dp'],
  outputShapes: ([p]) => [p!],
  body: ([p, dp], [ds], _attrs, [shape]) => {
    const T = shape![shape!.length - 1]!;
    for (let o = 0; o < p!.length; o += T) {
      let dot = 0;
      for (let k = 0; k < T; k++) dot += dp![o + k]! * p![o + k]!;
      for (let k = 0; k < T; k++) ds![o + k] = p![o + k]! * (dp![o + k]! - dot);
    }
  },
});

/**
 * softmax(scores + mask) over the last axis of `scores [batch·heads, T, T]`.
 * @param half the sliding window's half width (keys with |q − k| > half masked), or Infinity (global)
 */
export function maskedSoftmax(scores: tf.Tensor3D, attentionMask: Int32Array, batch: number, heads: number, half: number): tf.Tensor3D {
  return softmaxKernel([scores], { batch, heads, attentionMask, half })[0] as tf.Tensor3D;
}

/** The softmax's vector-Jacobian product: ds = p ⊙ (dp − Σ_k dp ⊙ p), rows over the last axis. */
export function softmaxBackward(p: tf.Tensor, dp: tf.Tensor): tf.Tensor {
  return softmaxBackwardKernel([p, dp], {})[0]!;
}
