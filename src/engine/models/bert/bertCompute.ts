// One backend's view of a BERT classifier: uploads parameters from the flat store as tfjs tensors, and runs
// training steps (loss + gradients into a flat buffer) and inference. Used on the main thread and in workers.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; training needs them (the full @tensorflow/tfjs does this import).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { embedTokens, type TokenBatch } from './embeddingLookup';
import { attentionBias, classifierForward, encoderForward, poolerForward, type ForwardOptions, type TensorSource } from './encoder';
import { DropoutMasks } from '../nn/dropoutMasks';

/** Gathered in JS (embeddingLookup.ts), never uploaded as tensors; their gradients are scattered by the caller. */
export const jsEmbeddings = new Set(['embeddings.word_embeddings.weight', 'embeddings.position_embeddings.weight', 'embeddings.token_type_embeddings.weight']);

export interface ComputeOptions {
  /** Names of the parameters that get gradients; all others are constants. */
  trainable: ReadonlySet<string>;
  /** LoRA scale alpha/rank and adapter dropout, when the store has adapters. */
  lora?: { scale: number; dropout: number };
}

export class BertCompute {
  private readonly tensors = new Map<string, tf.Tensor>();
  private readonly trainableTensorNames: string[];
  private readonly embeddingsTrainable: boolean;

  constructor(readonly cfg: BertConfig, readonly store: ParamStore, readonly options: ComputeOptions) {
    this.trainableTensorNames = store.specs.map((s) => s.name).filter((n) => options.trainable.has(n) && !jsEmbeddings.has(n));
    this.embeddingsTrainable = [...jsEmbeddings].some((n) => options.trainable.has(n));
  }

  /** Drops uploaded copies of the trainable tensors: call after the store's values changed. */
  invalidateTrainable(): void {
    for (const name of this.trainableTensorNames) {
      this.tensors.get(name)?.dispose();
      this.tensors.delete(name);
    }
  }

  /** Drops every uploaded tensor (e.g. after loading other weights into the store). */
  invalidateAll(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }

  private tensor(name: string): tf.Tensor {
    let t = this.tensors.get(name);
    if (!t) {
      // Kept across tidy scopes: the cache outlives the step that first uploads a tensor.
      t = tf.keep(tf.tensor(this.store.get(name), this.store.spec(name).shape));
      this.tensors.set(name, t);
    }
    return t;
  }

  private source(overrides?: Map<string, tf.Tensor>): TensorSource {
    return {
      get: (name) => overrides?.get(name) ?? this.tensor(name),
      has: (name) => this.store.has(name),
      trainable: (name) => overrides !== undefined && overrides.has(name),
    };
  }

  /**
   * Forward + backward on one shard. Adds `lossScale ×` the gradient of the summed cross-entropy into `grads`
   * (same layout as the store) for the tfjs-side tensors, and returns `lossScale ×` the summed loss plus the
   * gradient of the summed embeddings (`dEmb`, when embeddings train) for the caller to scatter with
   * `scatterEmbeddingGrad` — done by the main thread in shard order, so results do not depend on worker count.
   * @param labels label id per row `[batch]`
   * @param dropoutSeed seeds this shard's dropout masks
   */
  lossAndGrads(batch: TokenBatch, labels: Int32Array, dropoutSeed: number, lossScale: number, grads: Float32Array): { loss: number; dEmb?: Float32Array } {
    const { cfg, store } = this;
    const emb = embedTokens(cfg, store, batch);
    const names = this.trainableTensorNames;
    const numLabels = store.spec('classifier.bias').size;
    const oneHot = new Float32Array(batch.batchSize * numLabels);
    for (let i = 0; i < batch.batchSize; i++) oneHot[i * numLabels + labels[i]] = -lossScale;
    // tidy() walks whatever its callback returns, element by element for typed arrays: return nothing from it.
    let loss = 0;
    let dEmb: Float32Array | undefined;
    tf.tidy(() => {
      const embT = tf.tensor2d(emb, [batch.batchSize * batch.seqLen, cfg.hiddenSize]);
      const bias = attentionBias(batch.attentionMask, batch.batchSize, batch.seqLen);
      const target = tf.tensor2d(oneHot, [batch.batchSize, numLabels]);
      const dropout = new DropoutMasks(dropoutSeed);
      const inputs = names.map((n) => this.tensor(n));
      const f = (...xs: tf.Tensor[]): tf.Scalar => {
        const overrides = new Map<string, tf.Tensor>();
        names.forEach((n, i) => overrides.set(n, xs[i + 1]));
        const opts: ForwardOptions = { dropout, lora: this.options.lora, clsOnlyLastLayer: true };
        const src = this.source(overrides);
        const { cls } = encoderForward(cfg, src, xs[0] as tf.Tensor2D, bias, batch.batchSize, batch.seqLen, opts);
        const logits = classifierForward(cfg, src, poolerForward(cfg, src, cls, opts), opts);
        return tf.sum(tf.mul(tf.logSoftmax(logits), target));
      };
      const { value, grads: g } = tf.valueAndGrads(f)([embT, ...inputs]);
      loss = value.dataSync()[0];
      if (this.embeddingsTrainable) dEmb = g[0].dataSync() as Float32Array;
      names.forEach((n, i) => {
        const off = store.spec(n).offset;
        const src = g[i + 1].dataSync() as Float32Array;
        for (let j = 0; j < src.length; j++) grads[off + j] += src[j];
      });
    });
    return { loss, dEmb };
  }

  /** Eval-mode logits, row-major `[batch, numLabels]`. */
  logits(batch: TokenBatch): Float32Array {
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const { pooled } = this.encode(batch, true);
      out = classifierForward(this.cfg, this.source(), pooled, {}).dataSync() as Float32Array;
    });
    return out;
  }

  /** Eval-mode pooled vectors `[batch, hidden]` (the classifier's input; cached in feature-extraction mode). */
  pooled(batch: TokenBatch): Float32Array {
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      out = this.encode(batch, true).pooled.dataSync() as Float32Array;
    });
    return out;
  }

  /** Eval-mode last hidden states `[batch·seq, hidden]` and pooled output `[batch, hidden]` (for parity checks). */
  hiddenStates(batch: TokenBatch): { hidden: Float32Array; pooled: Float32Array } {
    let out: { hidden: Float32Array; pooled: Float32Array } = { hidden: new Float32Array(0), pooled: new Float32Array(0) };
    tf.tidy(() => {
      const { hidden, pooled } = this.encode(batch, false);
      out = { hidden: hidden!.dataSync() as Float32Array, pooled: pooled.dataSync() as Float32Array };
    });
    return out;
  }

  private encode(batch: TokenBatch, clsOnly: boolean): { hidden?: tf.Tensor2D; pooled: tf.Tensor2D } {
    const emb = tf.tensor2d(embedTokens(this.cfg, this.store, batch), [batch.batchSize * batch.seqLen, this.cfg.hiddenSize]);
    const bias = attentionBias(batch.attentionMask, batch.batchSize, batch.seqLen);
    const opts: ForwardOptions = { lora: this.options.lora, clsOnlyLastLayer: clsOnly };
    const src = this.source();
    const { hidden, cls } = encoderForward(this.cfg, src, emb, bias, batch.batchSize, batch.seqLen, opts);
    return { hidden, pooled: poolerForward(this.cfg, src, cls, opts) };
  }

  dispose(): void {
    this.invalidateAll();
  }
}
