// Attention inputs of a fused-QKV encoder with rotary positions (ModernBERT): the Wqkv product `[batch·seq, 3·hidden]`
// (per token [3, heads, headDim], as HF views it) becomes per-head queries (rotated, times the score scale), keys
// (rotated, laid out transposed for the score product) and values. On wasm one fused kernel (backend/heapKernels.ts)
// and its hand-written gradient replace three slices, four transposes, the rotate-half products, the multiplies and
// adds of the rotation and the pads and adds of their gradients; elsewhere the same is composed of tfjs ops.
import * as tf from '@tensorflow/tfjs-core';
import { heapKernelsActive, registerHeapKernel } from '../../backend/heapKernels';
import { applyRotary } from './rotary';

/** Rotary tables of one sequence length: `[seqLen, headDim]` row-major (nn/rotary.ts rotaryTables). */
export interface RotaryTables {
  cos: Float32Array;
  sin: Float32Array;
}

interface HeadsAttrs {
  batch: number;
  seqLen: number;
  heads: number;
  /** Factor on the queries (the score scale 1/√headDim). */
  scale: number;
  cos: Float32Array;
  sin: Float32Array;
}

/** qkv `[B·T, 3h]` → q `[B·heads, T, d]` (rotated, × scale), kᵀ `[B·heads, d, T]` (rotated), v `[B·heads, T, d]`. */
const headsKernel = registerHeapKernel<HeadsAttrs>({
  name: 'CwRotaryHeads',
  inputNames: ['qkv'],
  outputShapes: ([qkv], { batch, seqLen, heads }) => {
    const d = qkv![1]! / 3 / heads;
    return [[batch * heads, seqLen, d], [batch * heads, d, seqLen], [batch * heads, seqLen, d]];
  },
  body: ([x], [q, kT, v], { batch: B, seqLen: T, heads, scale, cos, sin }, [shape]) => {
    const h = shape![1]! / 3;
    const d = h / heads;
    const half = d / 2;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = (b * T + t) * 3 * h;
        const tab = t * d;
        for (let hd = 0; hd < heads; hd++) {
          const qi = row + hd * d;
          const ki = qi + h;
          const vi = ki + h;
          const out = ((b * heads + hd) * T + t) * d;
          const outK = (b * heads + hd) * d * T + t;
          // Pairs (i, i + d/2): rotate_half gives −x[i + d/2] at i and x[i] at i + d/2.
          for (let i = 0; i < half; i++) {
            const j = i + half;
            const q1 = x![qi + i]!;
            const q2 = x![qi + j]!;
            const k1 = x![ki + i]!;
            const k2 = x![ki + j]!;
            q![out + i] = (q1 * cos[tab + i]! - q2 * sin[tab + i]!) * scale;
            q![out + j] = (q2 * cos[tab + j]! + q1 * sin[tab + j]!) * scale;
            kT![outK + i * T] = k1 * cos[tab + i]! - k2 * sin[tab + i]!;
            kT![outK + j * T] = k2 * cos[tab + j]! + k1 * sin[tab + j]!;
          }
          v!.set(x!.subarray(vi, vi + d), out);
        }
      }
    }
  },
});

/**
 * The gradient of headsKernel (a linear map): dq, dkᵀ, dv → dqkv `[B·T, 3h]`. The rotation y = x·c + R(x)·s has
 * the transpose dx_j = dy_j·c_j + dy_{j+d/2}·s_{j+d/2} (j < d/2), dy_j·c_j − dy_{j−d/2}·s_{j−d/2} (j ≥ d/2).
 */
const headsGradKernel = registerHeapKernel<HeadsAttrs>({
  name: 'CwRotaryHeadsGrad',
  inputNames: ['dq', 'dkT', 'dv'],
  outputShapes: ([dq], { batch, seqLen, heads }) => [[batch * seqLen, 3 * heads * dq![2]!]],
  body: ([dq, dkT, dv], [dx], { batch: B, seqLen: T, heads, scale, cos, sin }, [shape]) => {
    const d = shape![2]!;
    const h = heads * d;
    const half = d / 2;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = (b * T + t) * 3 * h;
        const tab = t * d;
        for (let hd = 0; hd < heads; hd++) {
          const qi = row + hd * d;
          const ki = qi + h;
          const vi = ki + h;
          const src = ((b * heads + hd) * T + t) * d;
          const srcK = (b * heads + hd) * d * T + t;
          for (let i = 0; i < half; i++) {
            const j = i + half;
            const ci = cos[tab + i]!;
            const si = sin[tab + i]!;
            const cj = cos[tab + j]!;
            const sj = sin[tab + j]!;
            const q1 = dq![src + i]!;
            const q2 = dq![src + j]!;
            const k1 = dkT![srcK + i * T]!;
            const k2 = dkT![srcK + j * T]!;
            dx![qi + i] = (q1 * ci + q2 * sj) * scale;
            dx![qi + j] = (q2 * cj - q1 * si) * scale;
            dx![ki + i] = k1 * ci + k2 * sj;
            dx![ki + j] = k2 * cj - k1 * si;
          }
          dx!.set(dv!.subarray(src, src + d), vi);
        }
      }
    }
  },
});

tf.registerGradient({
  kernelName: 'CwRotaryHeads',
  gradFunc: (dy, _saved, attrs) => {
    const [dq, dkT, dv] = dy as tf.Tensor[];
    return { qkv: () => headsGradKernel([dq!, dkT!, dv!], attrs as unknown as HeadsAttrs)[0]! };
  },
});

/**
 * Per-head attention inputs from a fused QKV projection.
 * @param qkv `[batch·seqLen, 3·hidden]`, per token [3, heads, headDim]
 * @param rope cos/sin `[seqLen, headDim]`
 * @param scale factor on the queries (1/√headDim: the scores need no further scaling)
 * @returns q `[batch·heads, seqLen, headDim]`, kT `[batch·heads, headDim, seqLen]`, v `[batch·heads, seqLen, headDim]`
 */
export function rotaryHeads(qkv: tf.Tensor2D, rope: RotaryTables, batch: number, seqLen: number, heads: number, scale: number): { q: tf.Tensor3D; kT: tf.Tensor3D; v: tf.Tensor3D } {
  const h = qkv.shape[1] / 3;
  const d = h / heads;
  if (!Number.isInteger(d) || d % 2 || qkv.shape[0] !== batch * seqLen || rope.cos.length !== seqLen * d) {
    throw new Error(`rotaryHeads: qkv [${qkv.shape}] does not match batch ${batch}, seqLen ${seqLen}, ${heads} heads and tables of ${rope.cos.length}`);
  }
  if (heapKernelsActive()) {
    const [q, kT, v] = headsKernel([qkv], { batch, seqLen, heads, scale, cos: rope.cos, sin: rope.sin }) as tf.Tensor3D[];
    return { q: q!, kT: kT!, v: v! };
  }
  const cos = tf.tensor2d(rope.cos, [seqLen, d]);
  const sin = tf.tensor2d(rope.sin, [seqLen, d]);
  const split = (k: number): tf.Tensor4D => tf.transpose(tf.reshape(tf.slice(qkv, [0, k * h], [batch * seqLen, h]), [batch, seqLen, heads, d]), [0, 2, 1, 3]);
  const q = tf.reshape(tf.mul(applyRotary(split(0), cos, sin), scale), [batch * heads, seqLen, d]) as tf.Tensor3D;
  const kT = tf.reshape(tf.transpose(applyRotary(split(1), cos, sin), [0, 1, 3, 2]), [batch * heads, d, seqLen]) as tf.Tensor3D;
  const v = tf.reshape(split(2), [batch * heads, seqLen, d]) as tf.Tensor3D;
  return { q, kT, v };
}

/**
 * rotaryHeads' vector-Jacobian product, for hand-written backward passes (wasm only): dq, dkT, dv (shapes of its
 * outputs) → dqkv `[batch·seqLen, 3·hidden]`.
 */
export function rotaryHeadsBackward(dq: tf.Tensor3D, dkT: tf.Tensor3D, dv: tf.Tensor3D, rope: RotaryTables, batch: number, seqLen: number, heads: number, scale: number): tf.Tensor2D {
  return headsGradKernel([dq, dkT, dv], { batch, seqLen, heads, scale, cos: rope.cos, sin: rope.sin })[0] as tf.Tensor2D;
}
