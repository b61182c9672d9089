// The BERT/DistilBERT encoder, pooler and classification head on tfjs, starting from the summed embeddings
// (embedding lookups happen in plain JS: see embeddingLookup.ts). Post-LN layers as in HF `modeling_bert.py`;
// RoBERTa and ELECTRA share it (their differences are config fields: see bertConfig.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from './bertConfig';
import { batchMatMul, denseFrozen, denseTrainable, geluErf, layerNormTrainable, matMulTrainable } from '../nn/fastOps';
import type { DropoutMasks } from '../nn/dropoutMasks';
import type { ProductCache } from '../nn/productCache';
import { packedFirstRows, packTokens, unpackTokens, type RowPacking } from '../nn/rowPacking';
import { relativeIndexTable } from '../nn/relativePositions';
import { disentangledBias, relativeWindow, type RelativeIndex } from '../nn/disentangledAttention';
import { relativeTable } from './bertParams';

import type { TensorSource } from '../nn/uploadedWeights';
export type { TensorSource } from '../nn/uploadedWeights';

export interface ForwardOptions {
  /** Present in training mode only. */
  dropout?: DropoutMasks;
  /** LoRA scale alpha/rank and adapter-input dropout, when adapters are present. */
  lora?: { scale: number; dropout: number };
  /** Layer-wise training: dense products kept from the first pass and reused by the recomputation (nn/productCache.ts). */
  products?: ProductCache;
  /**
   * Training: the shard's real tokens (nn/rowPacking.ts). The embedding stage then returns and the layers take and
   * return `[tokens, hidden]` (the per-token work skips padding); only the attention runs padded.
   */
  packing?: RowPacking;
  /**
   * The classifier only reads [CLS], so the last layer can compute attention queries and the feed-forward for
   * that row alone (the other rows' outputs are never used). Off when all hidden states are wanted.
   */
  clsOnlyLastLayer?: boolean;
}

/** Dense layer `prefix` (plus its LoRA adapter if the source has one). */
function dense(src: TensorSource, prefix: string, x: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
  const w = src.get(`${prefix}.weight`) as tf.Tensor2D;
  const b = src.get(`${prefix}.bias`) as tf.Tensor1D;
  const known = opts.products?.replayed(prefix);
  let y = src.trainable(`${prefix}.weight`) ? denseTrainable(x, w, b, known) : denseFrozen(x, w, b, known);
  if (!known) opts.products?.record(prefix, y);
  if (opts.lora && src.has(`${prefix}.lora_A`)) {
    const xin = opts.dropout ? opts.dropout.apply(x, opts.lora.dropout) : x;
    const low = matMulTrainable(xin, src.get(`${prefix}.lora_A`));
    y = tf.add(y, tf.mul(matMulTrainable(low, src.get(`${prefix}.lora_B`)), opts.lora.scale));
  }
  return y;
}

function layerNorm(src: TensorSource, prefix: string, x: tf.Tensor, eps: tf.Tensor): tf.Tensor2D {
  return layerNormTrainable(x, src.get(`${prefix}.weight`), src.get(`${prefix}.bias`), eps);
}

function drop<T extends tf.Tensor>(x: T, p: number, opts: ForwardOptions): T {
  return opts.dropout ? opts.dropout.apply(x, p) : x;
}

/** GELU, erf form (HF "gelu"): fastOps.geluErf. */
const gelu = geluErf;

/** Dense-layer input of part `k` of the network in training mode: its own dropout stream (see DropoutMasks.stream). */
export function partOptions(opts: ForwardOptions, k: number): ForwardOptions {
  return opts.dropout ? { ...opts, dropout: opts.dropout.stream(k) } : opts;
}

/**
 * The embedding LayerNorm and dropout on summed embeddings `[batch·seq, embeddingSize]` (dropout stream 0), then
 * ELECTRA's `embeddings_project` to `[batch·seq, hidden]` when the embeddings are narrower.
 */
export function embeddingStage(cfg: BertConfig, src: TensorSource, emb: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
  const eps = tf.scalar(cfg.layerNormEps);
  const stage = partOptions(opts, 0);
  const x = drop(layerNorm(src, 'embeddings.LayerNorm', opts.packing ? packTokens(emb, opts.packing) : emb, eps), cfg.hiddenDropout, stage);
  return cfg.embeddingSize !== cfg.hiddenSize ? dense(src, 'embeddings_project', x, stage) : x;
}

/**
 * Encoder layer `i` (dropout stream i + 1) on `x [batch·seq, hidden]` (with `packing`: `[tokens, hidden]`).
 * @param clsOnly compute queries and the feed-forward for the [CLS] rows only: returns `[batch, hidden]`
 * @returns `[batch·seq, hidden]` (with `packing`: `[tokens, hidden]`), or `[batch, hidden]` with clsOnly
 */
export function encoderLayer(
  cfg: BertConfig, src: TensorSource, i: number, x: tf.Tensor2D, maskBias: tf.Tensor, batch: number, seqLen: number, layerOpts: ForwardOptions, clsOnly: boolean,
): tf.Tensor2D {
  const opts = partOptions(layerOpts, i + 1);
  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const eps = tf.scalar(cfg.layerNormEps);
  const p = `encoder.layer.${i}`;
  const rows = clsOnly ? batch : batch * seqLen;
  const qLen = clsOnly ? 1 : seqLen;
  const packing = opts.packing;
  // The attention's inputs in the padded layout (zeros at padding rows: masked keys, query rows never read).
  const padded = (t: tf.Tensor2D): tf.Tensor2D => (packing ? unpackTokens(t, packing) : t);
  // [CLS] is row 0 of each sequence.
  const xq = !clsOnly ? x : packing ? packedFirstRows(x, packing) : (tf.reshape(tf.slice(tf.reshape(x, [batch, seqLen * h]), [0, 0], [batch, h]), [batch, h]) as tf.Tensor2D);
  const qIn = dense(src, `${p}.attention.self.query`, xq, opts);
  const q = tf.reshape(tf.transpose(tf.reshape(clsOnly ? qIn : padded(qIn), [batch, qLen, heads, d]), [0, 2, 1, 3]), [batch * heads, qLen, d]);
  const keys = tf.reshape(padded(dense(src, `${p}.attention.self.key`, x, opts)), [batch, seqLen, heads, d]);
  const kT = tf.reshape(tf.transpose(keys, [0, 2, 3, 1]), [batch * heads, d, seqLen]);
  const v = tf.reshape(tf.transpose(tf.reshape(padded(dense(src, `${p}.attention.self.value`, x, opts)), [batch, seqLen, heads, d]), [0, 2, 1, 3]), [batch * heads, seqLen, d]);
  const rel = cfg.relativeAttention;
  let raw: tf.Tensor3D;
  if (rel) {
    // DeBERTa: content scores and the relative terms share the scale √(d · (1 + #terms)).
    const scale = Math.sqrt(d * (1 + Number(rel.c2p) + Number(rel.p2c)));
    const window = relativeRows(cfg, clsOnly ? 1 : seqLen, seqLen);
    const table = relativeEmbeddings(cfg, src, window, opts);
    const proj = (own: string, shared: string): tf.Tensor2D => dense(src, `${p}.attention.self.${rel.shareKey ? shared : own}`, table, opts);
    const k3 = tf.reshape(tf.transpose(keys, [0, 2, 1, 3]), [batch * heads, seqLen, d]) as tf.Tensor3D;
    const bias = disentangledBias(q as tf.Tensor3D, k3, rel.c2p ? proj('pos_key_proj', 'key') : null, rel.p2c ? proj('pos_query_proj', 'query') : null, window, batch, heads, scale);
    raw = tf.add(tf.mul(batchMatMul(q, kT), 1 / scale), bias) as tf.Tensor3D;
  } else {
    raw = tf.mul(batchMatMul(q, kT), 1 / Math.sqrt(d)) as tf.Tensor3D;
  }
  const scores = tf.add(tf.reshape(raw, [batch, heads, qLen, seqLen]), maskBias);
  const probs = drop(tf.reshape(tf.softmax(scores), [batch * heads, qLen, seqLen]), cfg.attentionDropout, opts);
  const ctxRows = tf.reshape(tf.transpose(tf.reshape(batchMatMul(probs, v), [batch, heads, qLen, d]), [0, 2, 1, 3]), [rows, h]) as tf.Tensor2D;
  const ctx = packing && !clsOnly ? packTokens(ctxRows, packing) : ctxRows;
  const attnOut = drop(dense(src, `${p}.attention.output.dense`, ctx, opts), cfg.hiddenDropout, opts);
  const x1 = layerNorm(src, `${p}.attention.output.LayerNorm`, tf.add(xq, attnOut), eps);
  const up = gelu(dense(src, `${p}.intermediate.dense`, x1, opts));
  const down = drop(dense(src, `${p}.output.dense`, up, opts), cfg.hiddenDropout, opts);
  return layerNorm(src, `${p}.output.LayerNorm`, tf.add(x1, down), eps);
}

/** Relative-table rows used by the first `qLen` queries against `kLen` keys (cached per shape: it only depends on it). */
const windows = new Map<string, RelativeIndex>();
function relativeRows(cfg: BertConfig, qLen: number, kLen: number): RelativeIndex {
  const rel = cfg.relativeAttention!;
  const key = `${rel.buckets}/${rel.maxRelative}/${rel.span}/${qLen}/${kLen}`;
  let w = windows.get(key);
  if (!w) {
    if (windows.size > 256) windows.clear();
    w = relativeWindow(relativeIndexTable(rel, 0, qLen, kLen));
    windows.set(key, w);
  }
  return w;
}

/**
 * The rows `[lo, lo + width)` of DeBERTa's relative table, layer-normed when `norm_rel_ebd` says so, with the
 * layer's dropout (`pos_dropout`, hidden_dropout_prob) in training: `[width, hidden]`.
 */
function relativeEmbeddings(cfg: BertConfig, src: TensorSource, window: RelativeIndex, opts: ForwardOptions): tf.Tensor2D {
  const all = src.get(relativeTable) as tf.Tensor2D;
  let table = tf.slice(all, [window.lo, 0], [window.width, cfg.hiddenSize]) as tf.Tensor2D;
  // LayerNorm is row-wise, so normalising the used rows equals normalising the table and slicing it.
  if (cfg.relativeAttention!.normRelEmbedding) table = layerNorm(src, 'encoder.LayerNorm', table, tf.scalar(cfg.layerNormEps));
  return drop(table, cfg.hiddenDropout, opts);
}

/** The [CLS] rows `[batch, hidden]` of `x [batch·seq, hidden]`. */
export function clsRows(x: tf.Tensor2D, batch: number, seqLen: number, h: number): tf.Tensor2D {
  return tf.reshape(tf.slice(tf.reshape(x, [batch, seqLen * h]), [0, 0], [batch, h]), [batch, h]) as tf.Tensor2D;
}

/**
 * Runs the encoder.
 * @param emb summed embeddings `[batch·seq, embeddingSize]` (before the embedding LayerNorm)
 * @param maskBias additive attention bias `[batch, 1, 1, seq]`: 0 for tokens, a large negative for padding
 * @returns `hidden [batch·seq, hidden]` (with `packing`: `[tokens, hidden]`; only when clsOnlyLastLayer is off) and `cls [batch, hidden]`
 */
export function encoderForward(
  cfg: BertConfig, src: TensorSource, emb: tf.Tensor2D, maskBias: tf.Tensor, batch: number, seqLen: number, opts: ForwardOptions,
): { hidden?: tf.Tensor2D; cls: tf.Tensor2D } {
  let x = embeddingStage(cfg, src, emb, opts); // [B·T, H]
  for (let i = 0; i < cfg.numLayers; i++) {
    const clsOnly = opts.clsOnlyLastLayer === true && i === cfg.numLayers - 1;
    x = encoderLayer(cfg, src, i, x, maskBias, batch, seqLen, opts, clsOnly);
    if (clsOnly) return { cls: x };
  }
  return { hidden: x, cls: opts.packing ? packedFirstRows(x, opts.packing) : clsRows(x, batch, seqLen, cfg.hiddenSize) };
}

/**
 * The dense layer on [CLS] before the classifier, `[batch, hidden]`: BERT's pooler (tanh), DistilBERT's
 * pre_classifier (ReLU), or the first half of RoBERTa's (tanh) and ELECTRA's (GELU) classification head, which
 * apply dropout to [CLS] first.
 */
export function poolerForward(cfg: BertConfig, src: TensorSource, cls: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
  const y = dense(src, 'pooler.dense', cfg.dropoutBeforePooler ? drop(cls, cfg.poolerDropout ?? cfg.classifierDropout, opts) : cls, opts);
  if (cfg.poolerActivation === 'gelu') return gelu(y);
  return (cfg.poolerActivation === 'tanh' ? tf.tanh(y) : tf.relu(y)) as tf.Tensor2D;
}

/** Dropout then the linear classifier: logits `[batch, numLabels]`. */
export function classifierForward(cfg: BertConfig, src: TensorSource, pooled: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
  return dense(src, 'classifier', drop(pooled, cfg.classifierDropout, opts), opts);
}

/** Additive attention bias from a 0/1 mask `[batch·seq]`: padding keys get −1e9 (softmax weight exactly 0). */
export function attentionBias(mask: Int32Array, batch: number, seqLen: number): tf.Tensor4D {
  const bias = new Float32Array(batch * seqLen);
  for (let i = 0; i < bias.length; i++) bias[i] = mask[i] ? 0 : -1e9;
  return tf.tensor4d(bias, [batch, 1, 1, seqLen]);
}
