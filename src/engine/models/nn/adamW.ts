// AdamW (Loshchilov & Hutter 2019, decoupled weight decay) and global-norm gradient clipping over the flat
// parameter buffer, restricted to the trainable tensors. Mirrors torch.optim.AdamW's update order.
import type { ParamSpec } from './paramStore';
import { AdamWKernel } from './adamWKernel';

export interface AdamWOptions {
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /**
   * Update through the WebAssembly SIMD kernel (adamWKernel.ts: float32 arithmetic, as torch's) where it can run;
   * default true. False keeps the JavaScript loop (float64 within a step).
   */
  simd?: boolean;
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
  /** The SIMD kernel holding `m` and `v`, when in use. */
  private readonly kernel?: AdamWKernel;

  /**
   * @param trainable the tensors it updates (offsets into the parameter and gradient buffers)
   */
  constructor(private readonly trainable: readonly ParamSpec[], private readonly options: AdamWOptions) {
    let size = 0;
    this.momentOffsets = trainable.map((s) => (size += s.size) - s.size);
    this.kernel = options.simd === false ? undefined : AdamWKernel.create(size);
    this.m = this.kernel?.m ?? new Float32Array(size);
    this.v = this.kernel?.v ?? new Float32Array(size);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  /** Whether updates run through the WebAssembly SIMD kernel. */
  get simd(): boolean {
    return this.kernel !== undefined;
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

  /**
   * Global L2 norm of the trainable gradients (the total norm of torch.nn.utils.clip_grad_norm_). Rows of a
   * row-sparse tensor that were never touched hold zero gradient (the same assumption `update` makes) and are
   * skipped: at RoBERTa-base that is most of the 38.6M-value word table.
   */
  gradientNorm(grads: Float32Array): number {
    let sq = 0;
    for (const spec of this.trainable) {
      const sparse = this.sparse.get(spec.name);
      if (!sparse) {
        sq += sumOfSquares(grads.subarray(spec.offset, spec.offset + spec.size));
        continue;
      }
      const { rowSize, touched } = sparse;
      for (let r = 0; r < touched.length; r++) {
        const start = spec.offset + r * rowSize;
        if (touched[r]) sq += sumOfSquares(grads.subarray(start, start + rowSize));
      }
    }
    return Math.sqrt(sq);
  }

  /**
   * One update of `params` from `grads` × `gradScale` with learning rate `lr`; weight decay only on `spec.decay`
   * tensors. `gradScale` is clipping's factor (`clipScale`), applied here rather than in a pass of its own: the
   * scaled gradient is rounded to float32 as a scaled-in-place buffer would be, so the result is the same.
   */
  update(params: Float32Array, grads: Float32Array, lr: number, gradScale = 1): void {
    this.step++;
    const c1 = 1 - Math.pow(this.beta1, this.step);
    const c2 = Math.sqrt(1 - Math.pow(this.beta2, this.step));
    // m̂ / (√v̂ + ε) with m̂ = m / c1, √v̂ = √v / c2, rearranged to one division: (c2 / c1) · m / (√v + ε · c2).
    const stepSize = (lr / c1) * c2;
    const epsC2 = this.eps * c2;
    const { beta1: b1, beta2: b2, m, v, kernel } = this;
    const js = (start: number, count: number, moments: number, decay: number): void =>
      adamWRange(params.subarray(start, start + count), grads.subarray(start, start + count), m.subarray(moments, moments + count), v.subarray(moments, moments + count),
        decay, stepSize, epsC2, b1, b2, gradScale);
    const range = (start: number, count: number, moments: number, decay: number): void => {
      if (!kernel) return js(start, count, moments, decay);
      // The kernel takes four values at a time; the last count mod 4 go through the JavaScript loop.
      const left = kernel.update(params, grads, start, count, moments, { decay, stepSize, epsC2, b1, b2, gradScale });
      if (left) js(start + count - left, left, moments + count - left, decay);
    };
    this.trainable.forEach((spec, t) => {
      const decay = spec.decay ? 1 - lr * this.options.weightDecay : 1;
      const moments = this.momentOffsets[t];
      const sparse = this.sparse.get(spec.name);
      if (!sparse) {
        range(spec.offset, spec.size, moments, decay);
        return;
      }
      const { rowSize, touched } = sparse;
      for (let r = 0; r < touched.length; r++) {
        const start = spec.offset + r * rowSize;
        if (touched[r]) range(start, rowSize, moments + r * rowSize, decay);
        else if (decay !== 1) scaleInPlace(params.subarray(start, start + rowSize), decay);
      }
    });
  }
}

/**
 * AdamW on one range, all arrays the same length and indexed from 0 (V8 then drops most bounds checks: ~1.5×
 * faster than one loop over offsets into the whole buffers). Moments are kept in float64 within the step, as
 * before; the parameter is rounded to float32 once.
 */
function adamWRange(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  decay: number, stepSize: number, epsC2: number, b1: number, b2: number, gradScale: number): void {
  const a1 = 1 - b1;
  const a2 = 1 - b2;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = Math.fround(g[i] * gradScale);
    const mi = b1 * m[i] + a1 * gi;
    const vi = b2 * v[i] + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] * decay - (stepSize * mi) / (Math.sqrt(vi) + epsC2);
  }
}

/** Σ x² in float64, four partial sums (one running sum is bound by the add's latency: ~1.7× slower). */
function sumOfSquares(x: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = x.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = x[i];
    const b = x[i + 1];
    const c = x[i + 2];
    const d = x[i + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; i < n; i++) s0 += x[i] * x[i];
  return s0 + s1 + s2 + s3;
}

function scaleInPlace(x: Float32Array, factor: number): void {
  const n = x.length;
  for (let i = 0; i < n; i++) x[i] = x[i] * factor;
}

/**
 * The factor torch.nn.utils.clip_grad_norm_ scales gradients by so their global norm is at most `maxNorm`
 * (1 when it already is, or when `maxNorm` ≤ 0 turns clipping off). Pass it to `AdamW.update`.
 */
export function clipScale(norm: number, maxNorm: number): number {
  return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}

/**
 * Linear warm-up from 0 then linear decay to 0 (HF `get_linear_schedule_with_warmup`). `step` is the 0-based
 * index of the optimiser update about to be applied.
 */
export function learningRateAt(step: number, totalSteps: number, warmupSteps: number, peak: number): number {
  if (step < warmupSteps) return (peak * step) / Math.max(1, warmupSteps);
  return peak * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}
