// One backend's view of a BERT classifier: uploads parameters from the flat store as tfjs tensors, and runs
// training steps (loss + gradients into a flat buffer) and inference. Used on the main thread and in workers.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; training needs them (the full @tensorflow/tfjs does this import).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { UploadedWeights } from '../nn/uploadedWeights';
import { embedTokens, type TokenBatch } from './embeddingLookup';
import { attentionBias, classifierForward, clsRows, embeddingStage, encoderForward, encoderLayer, partOptions, poolerForward, type ForwardOptions, type TensorSource } from './encoder';
import { DropoutMasks } from '../nn/dropoutMasks';
import { ProductCache } from '../nn/productCache';
import { packRows } from '../nn/rowPacking';
import { tfClassificationLoss } from '../nn/classificationLossTf';
import { addGradInto, layerwiseGradients, type GradientPart } from '../nn/layerwiseGradients';
import { sharedLayerParams } from './bertParams';

/** A shard's loss coefficients `[batch × K]` (lossCoefficients, scaled by 1 / samples of the step). */
export interface ShardLoss {
  lossA: Float32Array;
  /** Multi-label only. */
  lossB: Float32Array | null;
}

/** Gathered in JS (embeddingLookup.ts), never uploaded as tensors; their gradients are scattered by the caller. */
export const jsEmbeddings = new Set(['embeddings.word_embeddings.weight', 'embeddings.position_embeddings.weight', 'embeddings.token_type_embeddings.weight']);

export interface ComputeOptions {
  /** Names of the parameters that get gradients; all others are constants. */
  trainable: ReadonlySet<string>;
  /** LoRA scale alpha/rank and adapter dropout, when the store has adapters. */
  lora?: { scale: number; dropout: number };
  /**
   * Gradients one encoder layer at a time (recomputing each layer's forward pass in the backward pass) instead
   * of one autograd graph over the whole network: the wasm heap then holds the weights, the layer inputs and
   * one layer's activations, not every activation plus ~3 more copies of the weights (memoryEstimate.ts).
   */
  layerwise?: boolean;
  /**
   * Layer-wise only: shards of at most this many tokens (rows × padded length) keep their dense products from the
   * first pass for the recomputation (MemoryPlan.keptProductTokens, nn/productCache.ts). Default 0: never.
   */
  keptProductTokens?: number;
  /** Per-token work on the real tokens only (nn/rowPacking.ts; wasm, padded shards). Default true. */
  packTokens?: boolean;
}

export class BertCompute {
  private readonly weights: UploadedWeights;
  private readonly embeddingsTrainable: boolean;

  constructor(readonly cfg: BertConfig, readonly store: ParamStore, readonly options: ComputeOptions) {
    this.weights = new UploadedWeights(store, store.specs.map((s) => s.name).filter((n) => options.trainable.has(n) && !jsEmbeddings.has(n)));
    this.embeddingsTrainable = [...jsEmbeddings].some((n) => options.trainable.has(n));
  }

  /** Drops uploaded copies of the trainable tensors: call after the store's values changed. */
  invalidateTrainable(): void {
    this.weights.invalidateTrainable();
  }

  /** Drops every uploaded tensor (e.g. after loading other weights into the store). */
  invalidateAll(): void {
    this.weights.invalidateAll();
  }

  /**
   * Forward + backward on one shard. Adds the gradient of the shard's loss (classificationObjective.ts, with the
   * shard's coefficients `lossA`/`lossB` already scaled by 1 / samples of the step) into `grads` (same layout as
   * the store) for the tfjs-side tensors, and returns that loss plus the gradient of the summed embeddings
   * (`dEmb`, when embeddings train) for the caller to scatter with `scatterEmbeddingGrad` — done by the main
   * thread in shard order, so results do not depend on worker count.
   * @param dropoutSeed seeds this shard's dropout masks
   */
  lossAndGrads(batch: TokenBatch, shardLoss: ShardLoss, dropoutSeed: number, grads: Float32Array): { loss: number; dEmb?: Float32Array } {
    if (this.options.layerwise) return this.lossAndGradsLayerwise(batch, shardLoss, dropoutSeed, grads);
    const { cfg, store } = this;
    const emb = embedTokens(cfg, store, batch);
    const names = this.weights.trainableNames;
    // tidy() walks whatever its callback returns, element by element for typed arrays: return nothing from it.
    let loss = 0;
    let dEmb: Float32Array | undefined;
    tf.tidy(() => {
      const embT = tf.tensor2d(emb, [batch.batchSize * batch.seqLen, cfg.embeddingSize]);
      const bias = attentionBias(batch.attentionMask, batch.batchSize, batch.seqLen);
      const target = this.lossTensors(shardLoss, batch.batchSize);
      const dropout = new DropoutMasks(dropoutSeed);
      const packing = this.options.packTokens === false ? undefined : packRows(batch.attentionMask, batch.batchSize, batch.seqLen);
      const inputs = names.map((n) => this.weights.get(n));
      const f = (...xs: tf.Tensor[]): tf.Scalar => {
        const overrides = new Map<string, tf.Tensor>();
        names.forEach((n, i) => overrides.set(n, xs[i + 1]));
        const opts: ForwardOptions = { dropout, lora: this.options.lora, clsOnlyLastLayer: true, packing };
        const src = this.weights.source(overrides);
        const { cls } = encoderForward(cfg, src, xs[0] as tf.Tensor2D, bias, batch.batchSize, batch.seqLen, opts);
        return headLoss(cfg, src, cls, partOptions(opts, cfg.numLayers + 1), target);
      };
      const { value, grads: g } = tf.valueAndGrads(f)([embT, ...inputs]);
      loss = value.dataSync()[0];
      if (this.embeddingsTrainable) dEmb = g[0].dataSync() as Float32Array;
      names.forEach((n, i) => addGradInto(grads, store.spec(n).offset, g[i + 1]));
    });
    return { loss, dEmb };
  }

  /** The shard's loss coefficients as `[batch, numLabels]` tensors (for `tfClassificationLoss`). */
  private lossTensors(shardLoss: ShardLoss, batchSize: number): LossTensors {
    const numLabels = this.store.spec('classifier.bias').size;
    return { a: tf.tensor2d(shardLoss.lossA, [batchSize, numLabels]), b: shardLoss.lossB ? tf.tensor2d(shardLoss.lossB, [batchSize, numLabels]) : null };
  }

  /**
   * The same loss and gradients as lossAndGrads (same dropout masks, so equal up to float rounding), computed
   * layer by layer (nn/layerwiseGradients.ts): bounds the wasm heap by the weights plus one layer's activations,
   * at the cost of one more forward pass.
   */
  private lossAndGradsLayerwise(batch: TokenBatch, shardLoss: ShardLoss, dropoutSeed: number, grads: Float32Array): { loss: number; dEmb?: Float32Array } {
    const { cfg, store } = this;
    const { batchSize: B, seqLen: T } = batch;
    const L = cfg.numLayers;
    const products = B * T <= (this.options.keptProductTokens ?? 0) ? new ProductCache() : undefined;
    const packing = this.options.packTokens === false ? undefined : packRows(batch.attentionMask, B, T);
    const opts: ForwardOptions = { dropout: new DropoutMasks(dropoutSeed), lora: this.options.lora, products, packing };
    const emb = tf.tensor2d(embedTokens(cfg, store, batch), [B * T, cfg.embeddingSize]);
    const bias = attentionBias(batch.attentionMask, B, T);
    const target = this.lossTensors(shardLoss, B);
    const withLora = (prefixes: string[]) => prefixes.flatMap((p) => [`${p}.weight`, `${p}.bias`, `${p}.lora_A`, `${p}.lora_B`]);
    const parts: GradientPart[] = [
      { params: withLora(['embeddings.LayerNorm', 'embeddings_project']), forward: (src, e) => embeddingStage(cfg, src, e as tf.Tensor2D, opts) },
      // DeBERTa's relative table is read by every layer: each layer's pass adds its share of the gradient.
      ...Array.from({ length: L }, (_, i): GradientPart => ({
        params: [...store.specs.filter((s) => s.name.startsWith(`encoder.layer.${i}.`)).map((s) => s.name), ...sharedLayerParams(cfg)],
        forward: (src, x) => encoderLayer(cfg, src, i, x as tf.Tensor2D, bias, B, T, opts, i === L - 1),
      })),
    ];
    const head: GradientPart = { params: withLora(['pooler.dense', 'classifier']), forward: (src, cls) => headLoss(cfg, src, cls as tf.Tensor2D, partOptions(opts, L + 1), target) };
    try {
      const { loss, dInput } = layerwiseGradients(this.weights, store, parts, head, emb, grads, products);
      const dEmb = this.embeddingsTrainable ? (dInput.dataSync() as Float32Array).slice() : undefined;
      dInput.dispose();
      return { loss, dEmb };
    } finally {
      for (const t of [emb, bias, target.a, target.b]) t?.dispose();
    }
  }

  /** Eval-mode logits, row-major `[batch, numLabels]`. */
  logits(batch: TokenBatch): Float32Array {
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const { pooled } = this.encode(batch, true);
      out = classifierForward(this.cfg, this.weights.source(), pooled, {}).dataSync() as Float32Array;
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

  /**
   * Eval-mode encoder. Each layer runs in its own tidy scope, so only one layer's intermediates live at a time
   * (the caller's scope would otherwise keep every layer's until it ends).
   */
  private encode(batch: TokenBatch, clsOnly: boolean): { hidden?: tf.Tensor2D; pooled: tf.Tensor2D } {
    const { cfg } = this;
    const { batchSize: B, seqLen: T } = batch;
    const opts: ForwardOptions = { lora: this.options.lora };
    const src = this.weights.source();
    const bias = attentionBias(batch.attentionMask, B, T);
    let x = tf.tidy(() => embeddingStage(cfg, src, tf.tensor2d(embedTokens(cfg, this.store, batch), [B * T, cfg.embeddingSize]), opts));
    for (let i = 0; i < cfg.numLayers; i++) {
      const prev = x;
      x = tf.tidy(() => encoderLayer(cfg, src, i, prev, bias, B, T, opts, clsOnly && i === cfg.numLayers - 1));
      prev.dispose();
    }
    const cls = clsOnly ? x : clsRows(x, B, T, cfg.hiddenSize);
    return { hidden: clsOnly ? undefined : x, pooled: poolerForward(cfg, src, cls, opts) };
  }

  dispose(): void {
    this.invalidateAll();
  }
}

/** Pooler, classifier and the shard's loss (`tfClassificationLoss`: softmax/CE or sigmoid/BCE, weighted), a scalar. */
function headLoss(cfg: BertConfig, src: TensorSource, cls: tf.Tensor2D, opts: ForwardOptions, target: LossTensors): tf.Scalar {
  const logits = classifierForward(cfg, src, poolerForward(cfg, src, cls, opts), opts);
  return tfClassificationLoss(logits, target.a, target.b);
}

/** Loss coefficients as tensors: `a` always, `b` for multi-label. */
interface LossTensors {
  a: tf.Tensor2D;
  b: tf.Tensor2D | null;
}
