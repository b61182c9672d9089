// AdamW (Loshchilov & Hutter 2019, decoupled weight decay) and global-norm gradient clipping over the flat
// parameter buffer, restricted to the trainable tensors. Mirrors torch.optim.AdamW's update order.
import type { ParamSpec } from './paramStore';

export interface AdamWOptions {
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** AdamW's moment buffers (trainable tensors only, packed) and where each trainable tensor's moments start. */
export interface MomentBuffers {
  m: Float32Array;
  v: Float32Array;
  trainable: readonly ParamSpec[];
  offsets: readonly number[];
}

export class AdamW {
  /**
   * First and second moments of the trainable tensors only, back to back in the order given (`momentOffsets`):
   * a LoRA or feature-extraction run of a 110M-parameter model then holds moments for its ~0.3M trained values,
   * not 2 × 440 MB of zeros.
   */
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Where each trainable tensor's moments start in `m` and `v` (index = position in `trainable`). */
  readonly momentOffsets: readonly number[];
  /** Number of updates applied so far (bias correction uses it). */
  step = 0;
  /**
   * Row-sparse tensors (the word-embedding table): rows that never had a gradient have m = v = 0, for which the
   * AdamW update reduces exactly to the weight-decay multiply, so only touched rows pay for the full update.
   */
  private readonly sparse = new Map<string, { rowSize: number; touched: Uint8Array }>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  /**
   * @param trainable the tensors it updates (offsets into the parameter and gradient buffers)
   */
  constructor(private readonly trainable: readonly ParamSpec[], private readonly options: AdamWOptions) {
    let size = 0;
    this.momentOffsets = trainable.map((s) => (size += s.size) - s.size);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  /** The moments with their layout (for checkpoints). */
  moments(): MomentBuffers {
    return { m: this.m, v: this.v, trainable: this.trainable, offsets: this.momentOffsets };
  }

  /** Declares `name` row-sparse (rows of `rowSize` values); see `touchRows`. */
  setRowSparse(name: string, rows: number, rowSize: number): void {
    this.sparse.set(name, { rowSize, touched: new Uint8Array(rows) });
  }

  /** Marks rows of a row-sparse tensor as having (had) a gradient; call before `update` with this step's rows. */
  touchRows(name: string, rows: ArrayLike<number>): void {
    const s = this.sparse.get(name);
    if (s) for (let i = 0; i < rows.length; i++) s.touched[rows[i]] = 1;
  }

  /** Rows ever touched, per row-sparse tensor (saved in checkpoints so a resumed run skips the same rows). */
  touchedRows(): Record<string, Uint8Array> {
    return Object.fromEntries([...this.sparse].map(([k, s]) => [k, s.touched]));
  }

  /** One update of `params` from `grads` with learning rate `lr`; weight decay only on `spec.decay` tensors. */
  update(params: Float32Array, grads: Float32Array, lr: number): void {
    this.step++;
    const c1 = 1 - Math.pow(this.beta1, this.step);
    const c2 = Math.sqrt(1 - Math.pow(this.beta2, this.step));
    const stepSize = lr / c1;
    this.trainable.forEach((spec, t) => {
      const decay = spec.decay ? 1 - lr * this.options.weightDecay : 1;
      const moments = this.momentOffsets[t];
      const sparse = this.sparse.get(spec.name);
      if (!sparse) {
        this.updateRange(params, grads, spec.offset, spec.size, moments, decay, stepSize, c2);
        return;
      }
      const { rowSize, touched } = sparse;
      for (let r = 0; r < touched.length; r++) {
        const start = spec.offset + r * rowSize;
        if (touched[r]) this.updateRange(params, grads, start, rowSize, moments + r * rowSize, decay, stepSize, c2);
        else if (decay !== 1) for (let i = start; i < start + rowSize; i++) params[i] = params[i] * decay;
      }
    });
  }

  /** Updates `count` values from `start` of params/grads, whose moments start at `moments`. */
  private updateRange(params: Float32Array, grads: Float32Array, start: number, count: number, moments: number, decay: number, stepSize: number, c2: number): void {
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    const shift = moments - start;
    for (let i = start; i < start + count; i++) {
      const g = grads[i];
      const k = i + shift;
      const mi = (m[k] = b1 * m[k] + (1 - b1) * g);
      const vi = (v[k] = b2 * v[k] + (1 - b2) * g * g);
      params[i] = params[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / c2 + eps);
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
