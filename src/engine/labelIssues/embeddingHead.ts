// The fold model of the encoder judge: a linear classifier (multinomial logistic regression, or one logistic
// regression per label for multi-label data) on pooled encoder vectors that were computed once for the whole
// file. This is the cleanlab recipe for text ("embeddings of a pretrained model + LogisticRegression"): the encoder
// never sees a label, so only the head can memorise them, and k heads cost seconds where k encoder passes cost minutes.
import { exampleLabels, type Example } from '../data/example';
import type { ModelDescription, TrainableClassifier } from '../classifier/trainableClassifier';
import { exampleLossAndGrad, lossCoefficients, logitsToProbs, singleLabelObjective, type ClassificationObjective } from '../models/nn/classificationObjective';
import { epochOrder } from '../seededRandom';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/**
 * Training settings of the head. Full-batch L-BFGS is what scikit-learn would use; mini-batch Adam on
 * standardised features reaches the same convex optimum closely enough in a few epochs and streams progress.
 */
export interface EmbeddingHeadSettings {
  /** Passes over the fold's training lines. Default 20. */
  epochs: number;
  /** Lines per step. Default 32. */
  batchSize: number;
  /** Adam's step size at the start, decayed linearly to 0. Default 0.01 (features are standardised). */
  learningRate: number;
  /**
   * L2 penalty per line: the mean loss gets + (l2 / 2n)·‖W‖² — scikit-learn's LogisticRegression default (C = 1,
   * penalty ½‖W‖² against the summed loss), so heads on different fold sizes are regularised alike. Default 1.
   */
  l2: number;
  /**
   * Steps per epoch at least, cycling through the fold's lines more than once when they are few: Adam needs a few
   * hundred steps to reach the optimum whatever the fold size (150 lines at 32 per step would give 5). Default 20.
   */
  minStepsPerEpoch: number;
}

export const defaultEmbeddingHeadSettings: EmbeddingHeadSettings = { epochs: 20, batchSize: 32, learningRate: 0.02, l2: 1, minStepsPerEpoch: 20 };

/** Pooled vectors of a file's texts, looked up by text: `rowOf(text)` is the row of `vectors [rows × dim]`. */
export interface TextVectors {
  vectors: Float32Array;
  dim: number;
  rowOf: ReadonlyMap<string, number>;
  /** The encoder (folder or hub id), for `describe()`. */
  encoder: string;
}

const adamBeta1 = 0.9;
const adamBeta2 = 0.999;
const adamEpsilon = 1e-8;

/**
 * A linear classifier over `TextVectors`, behind the TrainableClassifier contract so `computeOutOfFoldProbs` trains
 * one per fold. It predicts only texts that have a vector; it has no checkpoint or export (fold models are thrown away).
 */
export class EmbeddingHeadClassifier implements TrainableClassifier {
  private readonly k: number;
  private readonly objective: ClassificationObjective;
  /** `[dim × K]` and `[K]`, on standardised features. */
  private readonly weight: Float32Array;
  private readonly bias: Float32Array;
  private readonly mean: Float32Array;
  private readonly scale: Float32Array;
  private moments?: { m: Float32Array; v: Float32Array; step: number };
  private trainRows: number[] = [];
  private targets = new Float32Array(0);
  private seed = 0;
  private epochs = 0;
  private stepsPerEpoch = 0;
  private order?: { epoch: number; order: Uint32Array };

  constructor(readonly labels: readonly string[], private readonly source: TextVectors, objective: ClassificationObjective = singleLabelObjective, private readonly settings: EmbeddingHeadSettings = defaultEmbeddingHeadSettings) {
    this.k = labels.length;
    this.objective = objective;
    this.weight = new Float32Array(source.dim * this.k);
    this.bias = new Float32Array(this.k);
    this.mean = new Float32Array(source.dim);
    this.scale = new Float32Array(source.dim).fill(1);
  }

  describe(): ModelDescription {
    const p = this.weight.length + this.bias.length;
    return { kind: 'linear-head', source: this.source.encoder, mode: 'feature-extraction', parameters: p, trainableParameters: p, backend: 'js' };
  }

  async beginTraining(train: readonly Example[], plan: { epochs: number; seed: number }): Promise<{ stepsPerEpoch: number }> {
    const { dim } = this.source;
    const index = new Map(this.labels.map((l, i) => [l, i]));
    this.trainRows = train.map((e) => this.rowOf(e.text));
    this.targets = new Float32Array(train.length * this.k);
    train.forEach((e, r) => {
      for (const label of exampleLabels(e)) {
        const id = index.get(label);
        if (id === undefined) throw new EngineError(EngineErrorCodes.invalidDataset, `label "${label}" is not one of ${this.labels.join(', ')}`, { file: e.file, line: e.line });
        this.targets[r * this.k + id] = 1;
      }
    });
    // Standardise with the training fold's statistics only: the held-out fold must not shape its own model.
    this.mean.fill(0);
    const sq = new Float64Array(dim);
    for (const row of this.trainRows) {
      const x = this.source.vectors.subarray(row * dim, (row + 1) * dim);
      for (let i = 0; i < dim; i++) this.mean[i] += x[i]! / this.trainRows.length;
    }
    for (const row of this.trainRows) {
      const x = this.source.vectors.subarray(row * dim, (row + 1) * dim);
      for (let i = 0; i < dim; i++) sq[i] += (x[i]! - this.mean[i]!) ** 2;
    }
    for (let i = 0; i < dim; i++) this.scale[i] = 1 / Math.max(Math.sqrt(sq[i]! / Math.max(1, this.trainRows.length)), 1e-6);
    this.weight.fill(0);
    this.bias.fill(0);
    const size = this.weight.length + this.bias.length;
    this.moments = { m: new Float32Array(size), v: new Float32Array(size), step: 0 };
    this.seed = plan.seed;
    this.epochs = plan.epochs;
    this.stepsPerEpoch = Math.max(this.settings.minStepsPerEpoch, Math.ceil(train.length / this.settings.batchSize));
    this.order = undefined;
    return { stepsPerEpoch: this.stepsPerEpoch };
  }

  async trainStep(epoch: number, step: number): Promise<{ loss: number; samples: number; learningRate: number }> {
    if (!this.moments) throw new Error('beginTraining must be called before trainStep');
    if (this.order?.epoch !== epoch) this.order = { epoch, order: epochOrder(this.trainRows.length, this.seed, epoch) };
    const { dim } = this.source;
    const k = this.k;
    // A step's lines follow the epoch's order, wrapping around when an epoch passes over the lines more than once.
    const n0 = this.trainRows.length;
    const picks = Array.from({ length: Math.min(this.settings.batchSize, n0) }, (_, j) => this.order!.order[(step * this.settings.batchSize + j) % n0]!);
    const n = picks.length;
    const gradW = new Float32Array(this.weight.length);
    const gradB = new Float32Array(k);
    const x = this.standardised(picks.map((p) => this.trainRows[p]!));
    const probs = logitsToProbs(this.logits(x, n), k, this.objective.problemType);
    const targets = new Float32Array(n * k);
    picks.forEach((p, r) => targets.set(this.targets.subarray(p * k, (p + 1) * k), r * k));
    const { a, b } = lossCoefficients(targets, k, this.objective, 1 / n);
    const g = new Float32Array(k);
    let loss = 0;
    for (let r = 0; r < n; r++) {
      loss += exampleLossAndGrad(probs.subarray(r * k, (r + 1) * k), a, b, r * k, k, g);
      for (let j = 0; j < k; j++) gradB[j] += g[j]!;
      for (let i = 0; i < dim; i++) {
        const xi = x[r * dim + i]!;
        const wo = i * k;
        for (let j = 0; j < k; j++) gradW[wo + j] += xi * g[j]!;
      }
    }
    // L2 on the weights (not the bias), per line of the fold: see EmbeddingHeadSettings.l2.
    const l2 = this.settings.l2 / Math.max(1, this.trainRows.length);
    for (let i = 0; i < gradW.length; i++) gradW[i] += l2 * this.weight[i]!;
    const total = this.stepsPerEpoch * this.epochs;
    const t = epoch * this.stepsPerEpoch + step;
    const lr = this.settings.learningRate * Math.max(0, 1 - t / Math.max(1, total));
    this.adam(gradW, gradB, lr);
    return { loss, samples: n, learningRate: lr };
  }

  async predictProbs(texts: readonly string[]): Promise<Float32Array> {
    const x = this.standardised(texts.map((t) => this.rowOf(t)));
    return logitsToProbs(this.logits(x, texts.length), this.k, this.objective.problemType);
  }

  async saveCheckpoint(): Promise<void> {
    throw new EngineError(EngineErrorCodes.internal, 'A label-issue fold head has no checkpoint.');
  }

  async loadCheckpoint(): Promise<void> {
    throw new EngineError(EngineErrorCodes.internal, 'A label-issue fold head has no checkpoint.');
  }

  async exportModel(): Promise<void> {
    throw new EngineError(EngineErrorCodes.internal, 'A label-issue fold head cannot be exported.');
  }

  dispose(): void {
    this.moments = undefined;
  }

  private rowOf(text: string): number {
    const row = this.source.rowOf.get(text);
    if (row === undefined) throw new EngineError(EngineErrorCodes.internal, `No encoder vector for the text "${text.slice(0, 60)}": the encoder judge predicts only the lines it embedded.`);
    return row;
  }

  /** `[rows.length × dim]` standardised copies of the vectors of `rows`. */
  private standardised(rows: readonly number[]): Float32Array {
    const { dim, vectors } = this.source;
    const out = new Float32Array(rows.length * dim);
    rows.forEach((row, r) => {
      for (let i = 0; i < dim; i++) out[r * dim + i] = (vectors[row * dim + i]! - this.mean[i]!) * this.scale[i]!;
    });
    return out;
  }

  /** `[n × K]` logits of standardised features `x [n × dim]`. */
  private logits(x: Float32Array, n: number): Float32Array {
    const { dim } = this.source;
    const k = this.k;
    const out = new Float32Array(n * k);
    for (let r = 0; r < n; r++) {
      out.set(this.bias, r * k);
      for (let i = 0; i < dim; i++) {
        const xi = x[r * dim + i]!;
        if (xi === 0) continue;
        const wo = i * k;
        for (let j = 0; j < k; j++) out[r * k + j] += xi * this.weight[wo + j]!;
      }
    }
    return out;
  }

  /** One Adam step (Kingma & Ba 2015) over [weight, bias] laid end to end in the moment buffers. */
  private adam(gradW: Float32Array, gradB: Float32Array, lr: number): void {
    const state = this.moments!;
    state.step++;
    const c1 = 1 - adamBeta1 ** state.step;
    const c2 = 1 - adamBeta2 ** state.step;
    const update = (params: Float32Array, grads: Float32Array, offset: number) => {
      for (let i = 0; i < params.length; i++) {
        const g = grads[i]!;
        const m = (state.m[offset + i] = adamBeta1 * state.m[offset + i]! + (1 - adamBeta1) * g);
        const v = (state.v[offset + i] = adamBeta2 * state.v[offset + i]! + (1 - adamBeta2) * g * g);
        params[i] -= (lr * (m / c1)) / (Math.sqrt(v / c2) + adamEpsilon);
      }
    };
    update(this.weight, gradW, 0);
    update(this.bias, gradB, this.weight.length);
  }
}
