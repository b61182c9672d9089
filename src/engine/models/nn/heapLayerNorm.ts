// LayerNorm over the last axis as two fused JS kernels over the wasm heap (backend/heapKernels.ts), for
// hand-written backward passes: the forward keeps x̂ and 1/σ, the backward gives dx and dγ in one pass each
// (tfjs-wasm takes ~9 kernels forward and ~8 backward, each a pass over memory).
// dx = (1/σ)·(γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂)), dγ = Σ_rows dy·x̂ (Ba et al. 2016).
import * as tf from '@tensorflow/tfjs-core';
import { registerHeapKernel } from '../../backend/heapKernels';

const forwardKernel = registerHeapKernel<{ eps: number }>({
  name: 'CwLayerNormForward',
  inputNames: ['x', 'gamma'],
  outputShapes: ([x]) => [x!, x!, [x![0]!]],
  body: ([x, gamma], [y, xhat, rstd], { eps }, [shape]) => {
    const [n, h] = shape as [number, number];
    for (let r = 0, o = 0; r < n; r++, o += h) {
      let mean = 0;
      for (let j = 0; j < h; j++) mean += x![o + j]!;
      mean /= h;
      let v = 0;
      for (let j = 0; j < h; j++) {
        const c = x![o + j]! - mean;
        v += c * c;
      }
      const s = 1 / Math.sqrt(v / h + eps);
      rstd![r] = s;
      for (let j = 0; j < h; j++) {
        const xh = (x![o + j]! - mean) * s;
        xhat![o + j] = xh;
        y![o + j] = xh * gamma![j]!;
      }
    }
  },
});

const backwardKernel = registerHeapKernel<Record<string, never>>({
  name: 'CwLayerNormBackward',
  inputNames: ['dy', 'xhat', 'rstd', 'gamma'],
  outputShapes: ([dy, , , gamma]) => [dy!, gamma!],
  body: ([dy, xhat, rstd, gamma], [dx, dgamma], _attrs, [shape]) => {
    const [n, h] = shape as [number, number];
    const dg = new Float64Array(h);
    for (let r = 0, o = 0; r < n; r++, o += h) {
      let m1 = 0;
      let m2 = 0;
      for (let j = 0; j < h; j++) {
        const d = dy![o + j]!;
        const gx = d * gamma![j]!;
        m1 += gx;
        m2 += gx * xhat![o + j]!;
        dg[j] += d * xhat![o + j]!;
      }
      m1 /= h;
      m2 /= h;
      const s = rstd![r]!;
      for (let j = 0; j < h; j++) dx![o + j] = s * (dy![o + j]! * gamma![j]! - m1 - xhat![o + j]! * m2);
    }
    for (let j = 0; j < h; j++) dgamma![j] = dg[j]!;
  },
});

/**
 * LayerNorm without its shift: `y = x̂·γ` for `x [n, h]`, `γ [h]` (add β outside when there is one).
 * @returns y, x̂ `[n, h]` and 1/σ `[n]` (what layerNormBackward needs)
 */
export function layerNormForward(x: tf.Tensor2D, gamma: tf.Tensor1D, eps: number): { y: tf.Tensor2D; xhat: tf.Tensor2D; rstd: tf.Tensor1D } {
  const [y, xhat, rstd] = forwardKernel([x, gamma], { eps });
  return { y: y as tf.Tensor2D, xhat: xhat as tf.Tensor2D, rstd: rstd as tf.Tensor1D };
}

/** The gradients of layerNormForward's `y` given `dy [n, h]`: dx `[n, h]` and dγ `[h]` (dβ, if any, is Σ_rows dy). */
export function layerNormBackward(dy: tf.Tensor2D, xhat: tf.Tensor2D, rstd: tf.Tensor1D, gamma: tf.Tensor1D): { dx: tf.Tensor2D; dgamma: tf.Tensor1D } {
  const [dx, dgamma] = backwardKernel([dy, xhat, rstd, gamma], {});
  return { dx: dx as tf.Tensor2D, dgamma: dgamma as tf.Tensor1D };
}
