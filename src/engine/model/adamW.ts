// AdamW (Loshchilov & Hutter 2019, decoupled weight decay) and global-norm gradient clipping over the flat
// parameter buffer, restricted to the trainable tensors. Mirrors torch.optim.AdamW's update order.
import type { ParamSpec } from './paramStore';

export interface AdamWOptions {
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class AdamW {
  /** First and second moments, same layout as the parameter buffer (zero outside trainable tensors). */
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Number of updates applied so far (bias correction uses it). */
  step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(size: number, private readonly trainable: readonly ParamSpec[], private readonly options: AdamWOptions) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  /** One update of `params` from `grads` with learning rate `lr`; weight decay only on `spec.decay` tensors. */
  update(params: Float32Array, grads: Float32Array, lr: number): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    const c1 = 1 - Math.pow(b1, this.step);
    const c2 = Math.sqrt(1 - Math.pow(b2, this.step));
    const stepSize = lr / c1;
    for (const spec of this.trainable) {
      const decay = spec.decay ? 1 - lr * this.options.weightDecay : 1;
      const end = spec.offset + spec.size;
      for (let i = spec.offset; i < end; i++) {
        const g = grads[i];
        const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
        const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
        params[i] = params[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / c2 + eps);
      }
    }
  }
}

/**
 * Scales `grads` in place so their global L2 norm over the trainable tensors is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
 */
export function clipGradients(grads: Float32Array, trainable: readonly ParamSpec[], maxNorm: number): number {
  let sq = 0;
  for (const spec of trainable) {
    const end = spec.offset + spec.size;
    for (let i = spec.offset; i < end; i++) sq += grads[i] * grads[i];
  }
  const norm = Math.sqrt(sq);
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const spec of trainable) {
      const end = spec.offset + spec.size;
      for (let i = spec.offset; i < end; i++) grads[i] *= scale;
    }
  }
  return norm;
}

/**
 * Linear warm-up from 0 then linear decay to 0 (HF `get_linear_schedule_with_warmup`). `step` is the 0-based
 * index of the optimiser update about to be applied.
 */
export function learningRateAt(step: number, totalSteps: number, warmupSteps: number, peak: number): number {
  if (step < warmupSteps) return (peak * step) / Math.max(1, warmupSteps);
  return peak * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}
