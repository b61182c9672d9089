// ModernBERT's forward pass on tfjs, and its training step (loss + gradients into the flat buffer) and inference.
// Semantics of transformers' modeling_modernbert.py (eager attention): token embeddings + LayerNorm (no positions),
// pre-norm layers (layer 0's attn_norm is an Identity) with a fused Wqkv, rotary queries and keys, global or
// sliding-window attention, a GeGLU MLP, the final norm, cls or masked-mean pooling and the prediction head
// (dense, activation, norm) before the classifier. The token-embedding lookup is done in JS (as for BERT: tf.gather's
// gradient kernel is missing on wasm, and the whole vocabulary is never uploaded).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { ModernBertActivation, ModernBertConfig } from './modernbertConfig';
import { tokEmbeddings } from './modernbertParams';
import type { ParamStore } from '../nn/paramStore';
import { UploadedWeights, type TensorSource } from '../nn/uploadedWeights';
import { addGradInto, layerwiseGradients, partGradients, type GradientPart } from '../nn/layerwiseGradients';
import { heapKernelsActive } from '../../backend/heapKernels';
import { layerBackward, layerForwardSaved, savedFloatsPerToken, type LayerContext, type SavedLayer } from './modernbertLayerBackward';
import { readFloats } from '../../backend/wasmKernels';
import { batchMatMul, denseFrozen, denseTrainable, geluErf, layerNormTrainable, matMulTrainable } from '../nn/fastOps';
import { DropoutMasks } from '../nn/dropoutMasks';
import { tfClassificationLoss } from '../nn/classificationLossTf';
import { rotaryTables } from '../nn/rotary';
import { rotaryHeads, type RotaryTables } from '../nn/rotaryHeads';
import { gatedActivation } from '../nn/gatedActivation';

/** A padded batch of token ids, row-major `[batch, seqLen]` (rows right-padded; mask 1 on tokens). */
export interface TokenBatch {
  inputIds: Int32Array;
  attentionMask: Int32Array;
  batchSize: number;
  seqLen: number;
}

/** A shard's loss coefficients `[batch × K]` (lossCoefficients, scaled by 1 / samples of the step). */
export interface ShardLoss {
  lossA: Float32Array;
  /** Multi-label only. */
  lossB: Float32Array | null;
}

export interface ComputeOptions {
  /** Names of the parameters that get gradients; all others are constants. */
  trainable: ReadonlySet<string>;
  /** LoRA scale alpha/rank and adapter-input dropout, when the store has adapters. */
  lora?: { scale: number; dropout: number };
  /**
   * Gradients one layer at a time (nn/layerwiseGradients.ts): the wasm heap holds the weights, the layer inputs and
   * one layer's activations, so a shard can hold a whole batch at base size; costs one more forward pass.
   */
  layerwise?: boolean;
}

interface Forward {
  src: TensorSource;
  /** Present in training mode only: one independent stream per part (embeddings 0, layer i → i + 1, head L + 1). */
  dropout?: DropoutMasks;
  lora?: { scale: number; dropout: number };
}

/**
 * Per batch shape: the padding bias (global layers), the padding + window bias (local ones; the global bias itself
 * when no two positions are further apart than the window's half), rotary tables.
 */
type Positional = {
  globalBias: tf.Tensor4D;
  localBias: tf.Tensor4D;
  globalRope: RotaryTables;
  localRope: RotaryTables;
  /** `[batch, seq, 1]` 0/1 mask and `[batch, 1]` token counts, for mean pooling. */
  mask: tf.Tensor3D;
  counts: tf.Tensor2D;
};

const masked = -1e9;
/** Heap bytes the hand-written backward may keep for all layers (else layer-wise recomputation is used). */
const savedLayersBudget = 1.6e9;

export class ModernBertCompute {
  private readonly weights: UploadedWeights;
  private readonly embeddingsTrainable: boolean;

  constructor(readonly cfg: ModernBertConfig, readonly store: ParamStore, readonly options: ComputeOptions) {
    this.weights = new UploadedWeights(store, store.specs.map((s) => s.name).filter((n) => options.trainable.has(n) && n !== tokEmbeddings));
    this.embeddingsTrainable = options.trainable.has(tokEmbeddings);
  }

  /** Drops uploaded copies of the trainable tensors: call after the store's values changed. */
  invalidateTrainable(): void {
    this.weights.invalidateTrainable();
  }

  /** Drops every uploaded tensor (e.g. after loading other weights into the store). */
  invalidateAll(): void {
    this.weights.invalidateAll();
  }

  /** Token embeddings `[batch·seq, hidden]`, gathered from the table in JS. */
  private embed(batch: TokenBatch): Float32Array {
    const h = this.cfg.hiddenSize;
    const table = this.store.get(tokEmbeddings);
    const out = new Float32Array(batch.batchSize * batch.seqLen * h);
    for (let r = 0; r < batch.batchSize * batch.seqLen; r++) out.set(table.subarray(batch.inputIds[r] * h, (batch.inputIds[r] + 1) * h), r * h);
    return out;
  }

  /** Adds `dEmb [batch·seq, hidden]` into the token-embedding rows of `grads` (padding rows have exactly 0 gradient: skipped). */
  private scatterEmbeddingGrad(batch: TokenBatch, dEmb: Float32Array, grads: Float32Array): void {
    const h = this.cfg.hiddenSize;
    const offset = this.store.spec(tokEmbeddings).offset;
    for (let r = 0; r < batch.batchSize * batch.seqLen; r++) {
      if (!batch.attentionMask[r]) continue;
      const to = offset + batch.inputIds[r] * h;
      for (let j = 0; j < h; j++) grads[to + j] += dEmb[r * h + j];
    }
  }

  /** The row ids whose embedding rows a batch touches (for AdamW's row-sparse update). */
  static tokenRows(batch: TokenBatch): number[] {
    const rows: number[] = [];
    for (let r = 0; r < batch.inputIds.length; r++) if (batch.attentionMask[r]) rows.push(batch.inputIds[r]);
    return rows;
  }

  /**
   * Forward + backward on one shard: adds the gradient of the shard's loss (classificationObjective.ts, coefficients
   * already scaled by 1 / samples of the step) into `grads` (store layout), the token-embedding rows included when
   * they train. Returns the loss.
   * @param dropoutSeed seeds this shard's dropout masks
   */
  lossAndGrads(batch: TokenBatch, shardLoss: ShardLoss, dropoutSeed: number, grads: Float32Array): number {
    if (this.options.layerwise) return this.lossAndGradsLayerwise(batch, shardLoss, dropoutSeed, grads);
    const { cfg, store } = this;
    const names = this.weights.trainableNames;
    const emb = this.embed(batch);
    let loss = 0;
    tf.tidy(() => {
      const embT = tf.tensor2d(emb, [batch.batchSize * batch.seqLen, cfg.hiddenSize]);
      const pos = this.positional(batch);
      const { a, b } = this.lossTensors(shardLoss, batch.batchSize);
      const run: Forward = { src: this.weights.source(), dropout: new DropoutMasks(dropoutSeed), lora: this.options.lora };
      const f = (...xs: tf.Tensor[]): tf.Scalar => {
        const overrides = new Map<string, tf.Tensor>();
        names.forEach((n, i) => overrides.set(n, xs[i + 1]));
        const fwd = { ...run, src: this.weights.source(overrides) };
        const { features } = encode(cfg, fwd, xs[0] as tf.Tensor2D, pos, batch.batchSize, batch.seqLen);
        return tfClassificationLoss(classify(cfg, fwd, features), a, b);
      };
      const { value, grads: g } = tf.valueAndGrads(f)([embT, ...names.map((n) => this.weights.get(n))]);
      loss = value.dataSync()[0];
      if (this.embeddingsTrainable) this.scatterEmbeddingGrad(batch, readFloats(g[0]), grads);
      names.forEach((n, i) => addGradInto(grads, store.spec(n).offset, g[i + 1]));
    });
    return loss;
  }

  /** The shard's loss coefficients as `[batch, numLabels]` tensors (for tfClassificationLoss). */
  private lossTensors(shardLoss: ShardLoss, batchSize: number): { a: tf.Tensor2D; b: tf.Tensor2D | null } {
    const k = this.store.spec('classifier.bias').size;
    return { a: tf.tensor2d(shardLoss.lossA, [batchSize, k]), b: shardLoss.lossB ? tf.tensor2d(shardLoss.lossB, [batchSize, k]) : null };
  }

  /**
   * The same loss and gradients as lossAndGrads (the same dropout masks: each part draws from its own stream), one
   * part at a time (nn/layerwiseGradients.ts): the embedding norm, each layer, then final_norm, pooling, head,
   * classifier and loss.
   */
  private lossAndGradsLayerwise(batch: TokenBatch, shardLoss: ShardLoss, dropoutSeed: number, grads: Float32Array): number {
    const { cfg, store } = this;
    const { batchSize: B, seqLen: T } = batch;
    const root: Forward = { src: this.weights.source(), dropout: new DropoutMasks(dropoutSeed), lora: this.options.lora };
    const at = (src: TensorSource): Forward => ({ ...root, src });
    const params = (...prefixes: string[]): string[] => store.specs.filter((s) => prefixes.some((p) => s.name.startsWith(p))).map((s) => s.name);
    const emb = tf.tensor2d(this.embed(batch), [B * T, cfg.hiddenSize]);
    const pos = this.positional(batch);
    const { a, b } = this.lossTensors(shardLoss, B);
    const parts: GradientPart[] = [
      { params: params('embeddings.norm.'), forward: (src, e) => embeddingStage(cfg, at(src), e as tf.Tensor2D) },
      ...Array.from({ length: cfg.numLayers }, (_, i): GradientPart => ({ params: params(`layers.${i}.`), forward: (src, x) => layer(cfg, at(src), i, x as tf.Tensor2D, pos, B, T) })),
    ];
    const head: GradientPart = {
      params: params('final_norm.', 'head.', 'classifier.'),
      forward: (src, x) => tfClassificationLoss(classify(cfg, at(src), headStage(cfg, at(src), x as tf.Tensor2D, pos, B, T).features), a, b),
    };
    try {
      const { loss, dInput } = this.handWrittenBackward(batch)
        ? this.savedLayerGradients(batch, pos, parts[0]!, head, emb, grads)
        : layerwiseGradients(this.weights, store, parts, head, emb, grads);
      if (this.embeddingsTrainable) this.scatterEmbeddingGrad(batch, readFloats(dInput), grads);
      dInput.dispose();
      return loss;
    } finally {
      tf.dispose([emb, a, ...(b ? [b] : [])]);
      disposePositional(pos);
    }
  }

  /**
   * Whether the layers' backward pass is the hand-written one (modernbertLayerBackward.ts: one forward pass, fused
   * kernels): on wasm, without LoRA or layer dropout, when every layer's kept tensors fit `savedLayersBudget`.
   */
  handWrittenBackward(batch: TokenBatch): boolean {
    if (!this.options.layerwise) return false;
    const { cfg } = this;
    const savedBytes = cfg.numLayers * batch.batchSize * batch.seqLen * savedFloatsPerToken(cfg, batch.seqLen) * 4;
    return heapKernelsActive() && !this.options.lora && cfg.attentionDropout === 0 && cfg.mlpDropout === 0 && savedBytes <= savedLayersBudget;
  }

  /**
   * layerwiseGradients' result with the layers done by hand: the embedding stage, then every layer forward keeping
   * what its backward needs, the head's gradients through autograd, each layer's backward from the top (its kept
   * tensors freed as it goes), the embedding stage's through autograd.
   */
  private savedLayerGradients(batch: TokenBatch, pos: Positional, embedding: GradientPart, head: GradientPart, emb: tf.Tensor, grads: Float32Array): { loss: number; dInput: tf.Tensor } {
    const { cfg, store } = this;
    const trainable = new Set(this.weights.trainableNames);
    const c: LayerContext = {
      cfg, weight: (n) => this.weights.get(n), has: (n) => store.has(n), batch: batch.batchSize, seqLen: batch.seqLen,
      attentionMask: batch.attentionMask, globalRope: pos.globalRope, localRope: pos.localRope,
    };
    const sink = { store, trainable, grads };
    const saved: SavedLayer[] = [];
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      kept.push(t);
      return t;
    };
    try {
      const x0 = keep(tf.tidy(() => embedding.forward(this.weights.source(), emb)) as tf.Tensor2D);
      let x = x0;
      for (let i = 0; i < cfg.numLayers; i++) {
        const r = tf.tidy(() => layerForwardSaved(c, i, x) as unknown as tf.TensorContainer) as unknown as ReturnType<typeof layerForwardSaved>;
        for (const t of savedTensors(r.saved)) keep(t);
        saved.push(r.saved);
        x = keep(r.out);
      }
      let loss = 0;
      const one = keep(tf.scalar(1));
      let dy = keep(partGradients(this.weights, store, trainable, head, x, one, grads, (value) => {
        loss = value.dataSync()[0];
      }) as tf.Tensor2D);
      for (let i = cfg.numLayers - 1; i >= 0; i--) {
        const dOut = dy;
        dy = keep(tf.tidy(() => layerBackward(c, sink, i, saved[i]!, dOut)));
        dOut.dispose();
        // This layer's kept tensors are spent (layer 0 keeps the embedding output as its `y`: disposed at the end).
        for (const t of savedTensors(saved[i]!)) if (t !== x0) t.dispose();
      }
      const dInput = partGradients(this.weights, store, trainable, embedding, emb, dy, grads);
      return { loss, dInput };
    } finally {
      for (const t of kept) if (!t.isDisposed) t.dispose();
    }
  }

  /** Eval-mode logits, row-major `[batch, numLabels]`. */
  logits(batch: TokenBatch): Float32Array {
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const run: Forward = { src: this.weights.source(), lora: this.options.lora };
      out = classify(this.cfg, run, this.encodeEval(batch, run).features).dataSync() as Float32Array;
    });
    return out;
  }

  /** Eval-mode head outputs `[batch, hidden]` (the classifier's input; cached in feature-extraction mode). */
  features(batch: TokenBatch): Float32Array {
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      out = this.encodeEval(batch, { src: this.weights.source(), lora: this.options.lora }).features.dataSync() as Float32Array;
    });
    return out;
  }

  /** Eval-mode final hidden states `[batch·seq, hidden]` (after final_norm) and head outputs (for parity checks). */
  hiddenStates(batch: TokenBatch): { hidden: Float32Array; features: Float32Array } {
    let out: { hidden: Float32Array; features: Float32Array } = { hidden: new Float32Array(0), features: new Float32Array(0) };
    tf.tidy(() => {
      const r = this.encodeEval(batch, { src: this.weights.source(), lora: this.options.lora });
      out = { hidden: r.hidden.dataSync() as Float32Array, features: r.features.dataSync() as Float32Array };
    });
    return out;
  }

  /**
   * The eval-mode encoder. Each layer runs in its own tidy scope, so only one layer's intermediates live at a time
   * (the caller's scope would otherwise keep every layer's until it ends).
   */
  private encodeEval(batch: TokenBatch, run: Forward): { hidden: tf.Tensor2D; features: tf.Tensor2D } {
    const { cfg } = this;
    const { batchSize: B, seqLen: T } = batch;
    const pos = this.positional(batch);
    let x = tf.tidy(() => embeddingStage(cfg, run, tf.tensor2d(this.embed(batch), [B * T, cfg.hiddenSize])));
    for (let i = 0; i < cfg.numLayers; i++) {
      const prev = x;
      x = tf.tidy(() => layer(cfg, run, i, prev, pos, B, T));
      prev.dispose();
    }
    return headStage(cfg, run, x, pos, B, T);
  }

  /**
   * The attention biases and rotary tables of a batch shape. Global layers: 0 on tokens, −1e9 on padding keys
   * (softmax weight exactly 0, as HF's finfo.min); local layers add −1e9 where |q − k| > local_attention / 2
   * (integer division), as HF's `sliding_window_mask`.
   */
  private positional(batch: TokenBatch): Positional {
    const { cfg } = this;
    const { batchSize: B, seqLen: T, attentionMask } = batch;
    const half = Math.floor(cfg.localAttention / 2);
    // Sequences no longer than the window's half + 1: local attention is global attention.
    const windowed = T - 1 > half;
    const global = new Float32Array(B * T);
    const local = windowed ? new Float32Array(B * T * T) : global;
    const counts = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < T; k++) {
        const pad = attentionMask[b * T + k] ? 0 : masked;
        global[b * T + k] = pad;
        if (!pad) counts[b]++;
        if (windowed) for (let q = 0; q < T; q++) local[(b * T + q) * T + k] = pad || Math.abs(q - k) > half ? masked : 0;
      }
    }
    const d = cfg.hiddenSize / cfg.numHeads;
    const globalBias = tf.tensor4d(global, [B, 1, 1, T]);
    return {
      globalBias, localBias: windowed ? tf.tensor4d(local, [B, 1, T, T]) : globalBias,
      globalRope: rotaryTables(T, d, cfg.globalRopeTheta), localRope: rotaryTables(T, d, cfg.localRopeTheta),
      mask: tf.tensor3d(Float32Array.from(attentionMask), [B, T, 1]), counts: tf.tensor2d(counts, [B, 1]),
    };
  }

  dispose(): void {
    this.invalidateAll();
  }
}

function savedTensors(s: SavedLayer): tf.Tensor[] {
  return Object.values(s).flatMap((v: tf.Tensor | Record<string, tf.Tensor> | undefined) => (v instanceof tf.Tensor ? [v] : v ? Object.values(v) : []));
}

function disposePositional(pos: Positional): void {
  tf.dispose([pos.globalBias, pos.localBias, pos.mask, pos.counts]);
}

/** Linear layer `prefix` (bias when the checkpoint has one), plus its LoRA adapter when the store has one. */
function dense(run: Forward, prefix: string, x: tf.Tensor2D, stream?: DropoutMasks): tf.Tensor2D {
  const { src } = run;
  const w = src.get(`${prefix}.weight`) as tf.Tensor2D;
  const b = src.has(`${prefix}.bias`) ? (src.get(`${prefix}.bias`) as tf.Tensor1D) : undefined;
  let y: tf.Tensor2D;
  if (src.trainable(`${prefix}.weight`)) y = b ? denseTrainable(x, w, b) : matMulTrainable(x, w);
  else y = denseFrozen(x, w, b ?? tf.zeros([w.shape[1]]));
  if (run.lora && src.has(`${prefix}.lora_A`)) {
    const xin = stream ? stream.apply(x, run.lora.dropout) : x;
    const low = matMulTrainable(xin, src.get(`${prefix}.lora_A`));
    y = tf.add(y, tf.mul(matMulTrainable(low, src.get(`${prefix}.lora_B`)), run.lora.scale));
  }
  return y;
}

/** LayerNorm `prefix` over the last axis (bias only with norm_bias). */
function norm(cfg: ModernBertConfig, run: Forward, prefix: string, x: tf.Tensor): tf.Tensor2D {
  const gamma = run.src.get(`${prefix}.weight`);
  const beta = run.src.has(`${prefix}.bias`) ? run.src.get(`${prefix}.bias`) : tf.zerosLike(gamma);
  return layerNormTrainable(x, gamma, beta, tf.scalar(cfg.normEps));
}

function drop<T extends tf.Tensor>(x: T, p: number, stream?: DropoutMasks): T {
  return stream ? stream.apply(x, p) : x;
}

/** transformers' ACT2FN: "gelu" is the erf form, "gelu_new"/"gelu_pytorch_tanh" the tanh approximation. */
function activate(kind: ModernBertActivation, x: tf.Tensor): tf.Tensor2D {
  switch (kind) {
    case 'gelu':
      return geluErf(x);
    case 'gelu_tanh':
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1)) as tf.Tensor2D;
    case 'silu':
      return tf.mul(x, tf.sigmoid(x)) as tf.Tensor2D;
    case 'relu':
      return tf.relu(x) as tf.Tensor2D;
  }
}

/**
 * Encoder layer `i` on `x [batch·seq, hidden]` (pre-norm): x + Wo(attention(attn_norm(x))), then
 * x + mlp.Wo(act(a) ⊙ g) with [a, g] = mlp.Wi(mlp_norm(x)).
 */
function layer(cfg: ModernBertConfig, run: Forward, i: number, x: tf.Tensor2D, pos: Positional, B: number, T: number): tf.Tensor2D {
  const stream = run.dropout?.stream(i + 1);
  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const p = `layers.${i}`;
  const global = cfg.globalLayers[i]!;
  const y = i === 0 ? x : norm(cfg, run, `${p}.attn_norm`, x);
  // Wqkv's output is [3, heads, head_dim] per token (HF views it as (bs, seq, 3, heads, d)).
  const { q, kT, v } = rotaryHeads(dense(run, `${p}.attn.Wqkv`, y, stream), global ? pos.globalRope : pos.localRope, B, T, heads, 1 / Math.sqrt(d));
  const scores = tf.add(tf.reshape(batchMatMul(q, kT), [B, heads, T, T]), global ? pos.globalBias : pos.localBias);
  const probs = drop(tf.reshape(tf.softmax(scores), [B * heads, T, T]), cfg.attentionDropout, stream);
  const ctx = tf.reshape(tf.transpose(tf.reshape(batchMatMul(probs, v), [B, heads, T, d]), [0, 2, 1, 3]), [B * T, h]) as tf.Tensor2D;
  const x1 = tf.add(x, drop(dense(run, `${p}.attn.Wo`, ctx, stream), cfg.attentionDropout, stream)) as tf.Tensor2D;
  const wi = dense(run, `${p}.mlp.Wi`, norm(cfg, run, `${p}.mlp_norm`, x1), stream);
  const gated = gatedActivation(cfg.hiddenActivation, wi, (a) => activate(cfg.hiddenActivation, a));
  return tf.add(x1, dense(run, `${p}.mlp.Wo`, drop(gated, cfg.mlpDropout, stream), stream)) as tf.Tensor2D;
}

/** The embedding LayerNorm and dropout (dropout stream 0) on token embeddings `[batch·seq, hidden]`. */
function embeddingStage(cfg: ModernBertConfig, run: Forward, emb: tf.Tensor2D): tf.Tensor2D {
  return drop(norm(cfg, run, 'embeddings.norm', emb), cfg.embeddingDropout, run.dropout?.stream(0));
}

/**
 * final_norm, pooling and the prediction head on the last layer's output `x [batch·seq, hidden]`.
 * @returns `hidden [batch·seq, hidden]` (after final_norm) and `features [batch, hidden]` = head(pool(hidden))
 */
function headStage(cfg: ModernBertConfig, run: Forward, x: tf.Tensor2D, pos: Positional, B: number, T: number): { hidden: tf.Tensor2D; features: tf.Tensor2D } {
  const hidden = norm(cfg, run, 'final_norm', x);
  const h = cfg.hiddenSize;
  const pooled = cfg.classifierPooling === 'mean'
    ? (tf.div(tf.sum(tf.mul(tf.reshape(hidden, [B, T, h]), pos.mask), 1), pos.counts) as tf.Tensor2D)
    : (tf.reshape(tf.slice(tf.reshape(hidden, [B, T * h]), [0, 0], [B, h]), [B, h]) as tf.Tensor2D);
  const headStream = run.dropout?.stream(cfg.numLayers + 1);
  const features = norm(cfg, run, 'head.norm', activate(cfg.classifierActivation, dense(run, 'head.dense', pooled, headStream)));
  return { hidden, features };
}

/**
 * Embedding norm, the layers, final_norm, pooling and the prediction head.
 * @param emb token embeddings `[batch·seq, hidden]`
 * @returns `hidden [batch·seq, hidden]` (after final_norm) and `features [batch, hidden]` = head(pool(hidden))
 */
function encode(cfg: ModernBertConfig, run: Forward, emb: tf.Tensor2D, pos: Positional, B: number, T: number): { hidden: tf.Tensor2D; features: tf.Tensor2D } {
  let x = embeddingStage(cfg, run, emb);
  for (let i = 0; i < cfg.numLayers; i++) x = layer(cfg, run, i, x, pos, B, T);
  return headStage(cfg, run, x, pos, B, T);
}

/** Dropout (classifier_dropout) then the linear classifier: logits `[batch, numLabels]`. */
function classify(cfg: ModernBertConfig, run: Forward, features: tf.Tensor2D): tf.Tensor2D {
  const stream = run.dropout?.stream(cfg.numLayers + 2);
  return dense(run, 'classifier', drop(features, cfg.classifierDropout, stream), stream);
}
