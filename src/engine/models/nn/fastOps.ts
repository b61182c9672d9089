// Matrix products whose gradients transpose explicitly instead of using matMul's transpose flags:
// on wasm the flagged forms run at 0.4–1.6 GFLOP/s versus ~17 GFLOP/s (../shared/notes/tfjs-wasm-performance.md).
import * as tf from '@tensorflow/tfjs-core';
import { nativeMatMulStatus } from '../../backend/nativeMatMul';
import { nativeGeluErf, nativeGeluErfGrad } from '../../backend/nativeElementwise';

/** tfjs types customGrad's callback loosely (`...Array<Tensor | GradSaveFunc>`); ours are precise. */
type GradFn = Parameters<typeof tf.customGrad>[0];

/**
 * `a · bᵀ` for 2-D operands. Native products (backend/nativeMatMul.ts) take the transpose as a Gemm flag at full
 * speed, so no transposed copy is made; on plain wasm the flagged form is slow and an explicit transpose is used.
 */
function matMulBT(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return (nativeMatMulStatus() ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true) : tf.matMul(a as tf.Tensor2D, tf.transpose(b) as tf.Tensor2D)) as tf.Tensor2D;
}

/** `aᵀ · b` for 2-D operands (see matMulBT). */
function matMulAT(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return (nativeMatMulStatus() ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false) : tf.matMul(tf.transpose(a) as tf.Tensor2D, b as tf.Tensor2D)) as tf.Tensor2D;
}

/**
 * Column sums of `g [n, m]` → `[m]` (bias and LayerNorm gradients). The wasm Sum kernel reduces only the innermost
 * axis, so `tf.sum(g, 0)` transposes `g` first and then sums on one thread; with native products `1ᵀ · g` is one
 * threaded Gemm over `g` as it is.
 */
export function columnSums(g: tf.Tensor): tf.Tensor1D {
  const [n, m] = g.shape as [number, number];
  if (!nativeMatMulStatus()) return tf.sum(g, 0);
  return tf.reshape(tf.matMul(tf.ones([1, n]) as tf.Tensor2D, g as tf.Tensor2D), [m]) as tf.Tensor1D;
}

/** `x · w + b` for 2-D `x [n, in]`, `w [in, out]`, `b [out]`, with gradients for all three. */
const denseTrainableOp = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return { value: tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }), gradFunc: denseGradients };
}) as unknown as GradFn) as unknown as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

function denseGradients(dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] {
  const g = dy as tf.Tensor2D;
  const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
  return [matMulBT(g, sw), matMulAT(sx, g), columnSums(g)];
}

/**
 * `x · w + b` for 2-D `x [n, in]`, `w [in, out]`, `b [out]`, with gradients for all three.
 * @param value that product when it is already known (nn/productCache.ts: kept from an earlier pass over the same
 *   `x`, `w`, `b`): it is returned (a copy-free clone on wasm) instead of multiplying again; gradients are the same
 */
export function denseTrainable(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, value?: tf.Tensor): tf.Tensor2D {
  if (!value) return denseTrainableOp(x, w, b);
  const known = tf.customGrad(((xi: tf.Tensor, wi: tf.Tensor, _b: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, wi]);
    return { value: tf.clone(value), gradFunc: denseGradients };
  }) as unknown as GradFn) as unknown as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;
  return known(x, w, b);
}

/** `x · w + b` where `w` and `b` are frozen: the backward pass computes only the input gradient. `value`: see denseTrainable. */
export function denseFrozen(x: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D, value?: tf.Tensor): tf.Tensor2D {
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return {
      value: value ? tf.clone(value) : tf.fused.matMul({ a: xi as tf.Tensor2D, b: w, bias: b }),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [matMulBT(dy as tf.Tensor2D, w)],
    };
  }) as unknown as GradFn) as unknown as (xi: tf.Tensor) => tf.Tensor2D;
  return f(x);
}

/** Batched `a [n, p, q] · b [n, q, r]`, with explicit-transpose gradients. */
export const batchMatMul = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor3D;
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      return [tf.matMul(g, tf.transpose(sb, [0, 2, 1])), tf.matMul(tf.transpose(sa, [0, 2, 1]), g)];
    },
  };
}) as unknown as GradFn) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor3D;

/**
 * LayerNorm over the last axis of `x [n, h]` with a hand-written backward (one pass of reductions instead of
 * autograd's chain of broadcasts): dx = rstd · (g·dy − mean(g·dy) − x̂ · mean(g·dy · x̂)).
 */
export const layerNormTrainable = tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: tf.Tensor, save: tf.GradSaveFunc) => {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps));
  const xhat = tf.mul(xc, rstd);
  save([xhat, rstd, gamma]);
  return {
    value: tf.add(tf.mul(xhat, gamma), beta),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor;
      const [sxhat, srstd, sgamma] = saved;
      const gx = tf.mul(g, sgamma);
      const m1 = tf.mean(gx, -1, true);
      const m2 = tf.mean(tf.mul(gx, sxhat), -1, true);
      const dx = tf.mul(srstd, tf.sub(tf.sub(gx, m1), tf.mul(sxhat, m2)));
      return [dx, columnSums(tf.mul(g, sxhat)), columnSums(g), tf.zerosLike(eps)];
    },
  };
}) as unknown as GradFn) as unknown as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: tf.Tensor) => tf.Tensor2D;

/** `x [n, p] · w [p, q]` (no bias) with explicit-transpose gradients; used by LoRA adapters. */
export const matMulTrainable = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [matMulBT(g, sw), matMulAT(sx, g)];
    },
  };
}) as unknown as GradFn) as unknown as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

/**
 * GELU, erf form (HF "gelu"): 0.5·x·(1 + erf(x/√2)), with a hand-written gradient dy·(Φ(x) + x·φ(x)) (Φ, φ: the
 * standard normal's CDF and density) — autograd's chain through erf, its exp and the products takes about twice the
 * kernels and keeps more tensors. With native kernels (backend/nativeElementwise.ts) forward and gradient are one
 * native call each on big tensors, and only `x` is saved. Shapes: any; the output has x's.
 */
export const geluErf = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const fast = nativeGeluErf(x);
  if (fast) {
    save([x]);
    return {
      value: fast,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [nativeGeluErfGrad(saved[0], dy as tf.Tensor) ?? geluErfGrad(saved[0], null, dy as tf.Tensor)],
    };
  }
  const onePlusErf = tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1);
  save([x, onePlusErf]);
  return {
    value: tf.mul(tf.mul(x, 0.5), onePlusErf),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [geluErfGrad(saved[0], saved[1], dy as tf.Tensor)],
  };
}) as unknown as GradFn) as unknown as (x: tf.Tensor) => tf.Tensor2D;

/** dy·GELU'(x) on tfjs ops; `onePlusErf` = 1 + erf(x/√2) when the forward kept it. */
function geluErfGrad(x: tf.Tensor, onePlusErf: tf.Tensor | null, dy: tf.Tensor): tf.Tensor {
  const s1 = onePlusErf ?? tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1);
  // φ(x) = exp(−x²/2) / √(2π)
  const xPdf = tf.mul(x, tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI)));
  return tf.mul(dy, tf.add(tf.mul(s1, 0.5), xPdf));
}
