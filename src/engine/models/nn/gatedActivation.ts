// The gated linear unit of ModernBERT's MLP (GeGLU, Shazeer 2020, "GLU Variants Improve Transformer"): the input
// projection's output `[a, g]` (two halves of the last axis) becomes act(a) ⊙ g. On wasm one fused kernel and its
// hand-written gradient replace the two slices, the activation's kernels (erf, exp, multiplies) and the pads
// that are the slices' gradients (backend/heapKernels.ts); elsewhere it is the plain composition.
import * as tf from '@tensorflow/tfjs-core';
import { heapKernelsActive, registerHeapKernel } from '../../backend/heapKernels';
import { expNonPositive } from './fastMath';

/** transformers' ACT2FN names as parsed by the configs: "gelu" (erf form), "gelu_tanh", "silu", "relu". */
export type GateActivation = 'gelu' | 'gelu_tanh' | 'silu' | 'relu';

interface GateAttrs {
  activation: GateActivation;
}

const invSqrt2 = Math.SQRT1_2;
const invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
const tanhScale = Math.sqrt(2 / Math.PI);

// erf(z) = 1 − t·(a1 + t·(a2 + …))·e^(−z²), t = 1/(1 + p·z), z ≥ 0: absolute error below 1.5e-7 (Abramowitz and
// Stegun 7.1.26), one exp; e^(−z²) at z = a/√2 is also what the derivative's density needs.
const p = 0.3275911;
const a1 = 0.254829592;
const a2 = -0.284496736;
const a3 = 1.421413741;
const a4 = -1.453152027;
const a5 = 1.061405429;

/** act(a) for one value. */
function activation(kind: GateActivation, a: number): number {
  switch (kind) {
    case 'gelu': {
      const z = Math.abs(a) * invSqrt2;
      const t = 1 / (1 + p * z);
      const tail = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * Math.exp(-z * z);
      // 0.5·a·(1 + erf(a/√2)), erf odd
      return 0.5 * a * (a >= 0 ? 2 - tail : tail);
    }
    case 'gelu_tanh':
      return 0.5 * a * (1 + Math.tanh(tanhScale * (a + 0.044715 * a * a * a)));
    case 'silu':
      return a / (1 + Math.exp(-a));
    case 'relu':
      return a > 0 ? a : 0;
  }
}

/** act'(a) for one value. */
function derivative(kind: GateActivation, a: number): number {
  switch (kind) {
    case 'gelu': {
      const z = Math.abs(a) * invSqrt2;
      const t = 1 / (1 + p * z);
      const e = Math.exp(-z * z);
      const tail = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * e;
      // Φ(a) + a·φ(a)
      return 0.5 * (a >= 0 ? 2 - tail : tail) + a * invSqrt2Pi * e;
    }
    case 'gelu_tanh': {
      const th = Math.tanh(tanhScale * (a + 0.044715 * a * a * a));
      return 0.5 * (1 + th) + 0.5 * a * (1 - th * th) * tanhScale * (1 + 3 * 0.044715 * a * a);
    }
    case 'silu': {
      const s = 1 / (1 + Math.exp(-a));
      return s * (1 + a * (1 - s));
    }
    case 'relu':
      return a > 0 ? 1 : 0;
  }
}

/** GELU (erf form) of x[i] into value[i] and its derivative into slope[i], i < n: one exp per element. */
function geluWithSlope(x: Float32Array, from: number, n: number, value: Float64Array, slope: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const a = x[from + i]!;
    const z = Math.abs(a) * invSqrt2;
    const t = 1 / (1 + p * z);
    const e = expNonPositive(-z * z);
    const tail = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * e;
    const cdf = 0.5 * (a >= 0 ? 2 - tail : tail);
    value[i] = a * cdf;
    slope[i] = cdf + a * invSqrt2Pi * e;
  }
}

/** `x [n, 2m]` → `[n, m]`: out[r, j] = act(x[r, j]) · x[r, m + j]. */
const gateKernel = registerHeapKernel<GateAttrs>({
  name: 'CwGatedActivation',
  inputNames: ['x'],
  outputShapes: ([x]) => [[x![0]!, x![1]! / 2]],
  body: ([x], [out], { activation: kind }, [shape]) => {
    const m = shape![1]! / 2;
    if (kind === 'gelu') {
      const value = new Float64Array(m);
      const slope = new Float64Array(m);
      for (let o = 0, i = 0; o < out.length; i += 2 * m, o += m) {
        geluWithSlope(x!, i, m, value, slope);
        for (let j = 0; j < m; j++) out[o + j] = value[j]! * x![i + m + j]!;
      }
      return;
    }
    for (let o = 0, i = 0; o < out.length; i += m) {
      for (let j = 0; j < m; j++, i++, o++) out[o] = activation(kind, x![i]!) * x![i + m]!;
    }
  },
});

/** The gradient of gateKernel: `x [n, 2m]`, `dy [n, m]` → dx `[n, 2m]` = [dy · g · act'(a), dy · act(a)]. */
const gateGradKernel = registerHeapKernel<GateAttrs>({
  name: 'CwGatedActivationGrad',
  inputNames: ['x', 'dy'],
  outputShapes: ([x]) => [x!],
  body: ([x, dy], [dx], { activation: kind }, [shape]) => {
    const m = shape![1]! / 2;
    if (kind === 'gelu') {
      const value = new Float64Array(m);
      const slope = new Float64Array(m);
      for (let o = 0, i = 0; o < dy!.length; i += 2 * m, o += m) {
        geluWithSlope(x!, i, m, value, slope);
        for (let j = 0; j < m; j++) {
          const d = dy![o + j]!;
          dx![i + j] = d * x![i + m + j]! * slope[j]!;
          dx![i + m + j] = d * value[j]!;
        }
      }
      return;
    }
    for (let i = 0, o = 0; o < dy!.length; i += m) {
      for (let j = 0; j < m; j++, i++, o++) {
        const a = x![i]!;
        const d = dy![o]!;
        dx![i] = d * x![i + m]! * derivative(kind, a);
        dx![i + m] = d * activation(kind, a);
      }
    }
  },
});

tf.registerGradient({
  kernelName: 'CwGatedActivation',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => ({ x: () => gateGradKernel([saved[0]!, dy as tf.Tensor], attrs as unknown as GateAttrs)[0]! }),
});

/**
 * act(a) ⊙ g for `x [n, 2m]` = [a, g] along the last axis (HF ModernBertMLP: `input, gate = Wi(x).chunk(2, dim=-1)`,
 * `act(input) * gate`).
 * @param fallback the activation as tfjs ops (used off wasm)
 * @returns `[n, m]`
 */
export function gatedActivation(kind: GateActivation, x: tf.Tensor2D, fallback: (a: tf.Tensor) => tf.Tensor): tf.Tensor2D {
  const [n, twoM] = x.shape;
  if (twoM % 2) throw new Error(`gatedActivation: the last axis (${twoM}) must be even`);
  if (heapKernelsActive()) return gateKernel([x], { activation: kind })[0] as tf.Tensor2D;
  const m = twoM / 2;
  return tf.mul(fallback(tf.slice(x, [0, 0], [n, m])), tf.slice(x, [0, m], [n, m])) as tf.Tensor2D;
}

/** Forward for hand-written backward passes: also returns act(a) and act'(a) `[n, m]`, so the backward needs no activation. */
const gateSavedKernel = registerHeapKernel<GateAttrs>({
  name: 'CwGatedActivationSaved',
  inputNames: ['x'],
  outputShapes: ([x]) => {
    const half = [x![0]!, x![1]! / 2];
    return [half, half, half];
  },
  body: ([x], [out, act, slope], { activation: kind }, [shape]) => {
    const m = shape![1]! / 2;
    const value = new Float64Array(m);
    const d = new Float64Array(m);
    for (let o = 0, i = 0; o < out!.length; i += 2 * m, o += m) {
      if (kind === 'gelu') geluWithSlope(x!, i, m, value, d);
      else for (let j = 0; j < m; j++) [value[j], d[j]] = [activation(kind, x![i + j]!), derivative(kind, x![i + j]!)];
      for (let j = 0; j < m; j++) {
        out![o + j] = value[j]! * x![i + m + j]!;
        act![o + j] = value[j]!;
        slope![o + j] = d[j]!;
      }
    }
  },
});

const gateSavedBackwardKernel = registerHeapKernel<Record<string, never>>({
  name: 'CwGatedActivationSavedBackward',
  inputNames: ['x', 'act', 'slope', 'dy'],
  outputShapes: ([x]) => [x!],
  body: ([x, act, slope, dy], [dx], _attrs, [shape]) => {
    const m = shape![1]! / 2;
    for (let o = 0, i = 0; o < dy!.length; i += 2 * m, o += m) {
      for (let j = 0; j < m; j++) {
        const d = dy![o + j]!;
        dx![i + j] = d * x![i + m + j]! * slope![o + j]!;
        dx![i + m + j] = d * act![o + j]!;
      }
    }
  },
});

/**
 * gatedActivation for hand-written backward passes (wasm only): `x [n, 2m]` → out = act(a) ⊙ g, with act(a) and
 * act'(a) `[n, m]` for gatedActivationBackward.
 */
export function gatedActivationSaved(kind: GateActivation, x: tf.Tensor2D): { out: tf.Tensor2D; act: tf.Tensor2D; slope: tf.Tensor2D } {
  const [out, act, slope] = gateSavedKernel([x], { activation: kind }) as tf.Tensor2D[];
  return { out: out!, act: act!, slope: slope! };
}

/** dx `[n, 2m]` = [dy ⊙ g ⊙ act'(a), dy ⊙ act(a)] from gatedActivationSaved's outputs and `dy [n, m]`. */
export function gatedActivationBackward(x: tf.Tensor2D, act: tf.Tensor2D, slope: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  return gateSavedBackwardKernel([x, act, slope, dy], {})[0] as tf.Tensor2D;
}
