// A ModernBERT encoder layer's forward pass that keeps what its backward pass needs, and that backward pass written
// by hand (no autograd). Layer-wise gradients through autograd (nn/layerwiseGradients.ts) run every layer's forward
// twice, because tfjs keeps every intermediate of a taped pass until its scope ends; here the forward keeps ~18
// floats per token and hidden unit per layer (and the attention weights), so one forward pass serves the backward,
// and the element-wise work runs in fused heap kernels. The matrix products are tfjs ops (native on wasm).
//
// Used for full fine-tuning on wasm with the layers' dropouts at 0 (released configs); LoRA, layer dropout and
// other backends take the autograd path. Semantics are modernbertCompute.ts's `layer` (HF ModernBertEncoderLayer).
import * as tf from '@tensorflow/tfjs-core';
import type { ModernBertConfig } from './modernbertConfig';
import type { ParamStore } from '../nn/paramStore';
import { addGradInto } from '../nn/layerwiseGradients';
import { columnSums } from '../nn/fastOps';
import { layerNormBackward, layerNormForward } from '../nn/heapLayerNorm';
import { maskedSoftmax, softmaxBackward } from '../nn/heapSoftmax';
import { gatedActivationBackward, gatedActivationSaved } from '../nn/gatedActivation';
import { rotaryHeads, rotaryHeadsBackward, type RotaryTables } from '../nn/rotaryHeads';

/** What a layer's backward pass reads: weights, the batch's shape, mask and rotary tables. */
export interface LayerContext {
  cfg: ModernBertConfig;
  weight(name: string): tf.Tensor;
  has(name: string): boolean;
  batch: number;
  seqLen: number;
  attentionMask: Int32Array;
  globalRope: RotaryTables;
  localRope: RotaryTables;
}

/** Where a backward pass puts weight gradients: added into `grads` (store layout) for the trainable names. */
export interface GradientSink {
  store: ParamStore;
  trainable: ReadonlySet<string>;
  grads: Float32Array;
}

/** One layer's kept tensors (token-major `[batch·seq, …]` unless said). */
export interface SavedLayer {
  /** attn_norm's output (the layer input itself in layer 0), its x̂ and 1/σ. */
  y: tf.Tensor2D;
  norm1?: { xhat: tf.Tensor2D; rstd: tf.Tensor1D };
  /** `[batch·heads, seq, d]`, kᵀ `[batch·heads, d, seq]`, attention weights `[batch·heads, seq, seq]`. */
  q: tf.Tensor3D;
  kT: tf.Tensor3D;
  v: tf.Tensor3D;
  probs: tf.Tensor3D;
  ctx: tf.Tensor2D;
  norm2: { xhat: tf.Tensor2D; rstd: tf.Tensor1D };
  y2: tf.Tensor2D;
  /** mlp.Wi's output `[n, 2·intermediate]`, act(a) and act'(a), the gated product `[n, intermediate]`. */
  wi: tf.Tensor2D;
  act: tf.Tensor2D;
  slope: tf.Tensor2D;
  gated: tf.Tensor2D;
}

/** Floats a SavedLayer holds per token (for the memory check before choosing this path). */
export function savedFloatsPerToken(cfg: ModernBertConfig, seqLen: number): number {
  return 12 * cfg.hiddenSize + 5 * cfg.intermediateSize + cfg.numHeads * seqLen + 2;
}

function linear(c: LayerContext, prefix: string, x: tf.Tensor2D): tf.Tensor2D {
  const w = c.weight(`${prefix}.weight`) as tf.Tensor2D;
  return c.has(`${prefix}.bias`) ? (tf.fused.matMul({ a: x, b: w, bias: c.weight(`${prefix}.bias`) }) as tf.Tensor2D) : tf.matMul(x, w);
}

function norm(c: LayerContext, prefix: string, x: tf.Tensor2D): { y: tf.Tensor2D; xhat: tf.Tensor2D; rstd: tf.Tensor1D } {
  const r = layerNormForward(x, c.weight(`${prefix}.weight`) as tf.Tensor1D, c.cfg.normEps);
  return c.has(`${prefix}.bias`) ? { ...r, y: tf.add(r.y, c.weight(`${prefix}.bias`)) as tf.Tensor2D } : r;
}

/**
 * Layer `i` on `x [batch·seq, hidden]`: its output and what layerBackward needs. Call inside a tidy scope and keep
 * the result; intermediates not kept are freed with the scope.
 */
export function layerForwardSaved(c: LayerContext, i: number, x: tf.Tensor2D): { out: tf.Tensor2D; saved: SavedLayer } {
  const { cfg, batch: B, seqLen: T } = c;
  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const p = `layers.${i}`;
  const global = cfg.globalLayers[i]!;
  const n1 = i === 0 ? undefined : norm(c, `${p}.attn_norm`, x);
  const y = n1 ? n1.y : x;
  const { q, kT, v } = rotaryHeads(linear(c, `${p}.attn.Wqkv`, y), global ? c.globalRope : c.localRope, B, T, heads, 1 / Math.sqrt(d));
  const probs = maskedSoftmax(tf.matMul(q, kT), c.attentionMask, B, heads, global ? Infinity : Math.floor(cfg.localAttention / 2));
  const ctx = tf.reshape(tf.transpose(tf.reshape(tf.matMul(probs, v), [B, heads, T, d]), [0, 2, 1, 3]), [B * T, h]) as tf.Tensor2D;
  const x1 = tf.add(x, linear(c, `${p}.attn.Wo`, ctx)) as tf.Tensor2D;
  const n2 = norm(c, `${p}.mlp_norm`, x1);
  const wi = linear(c, `${p}.mlp.Wi`, n2.y);
  const { out: gated, act, slope } = gatedActivationSaved(cfg.hiddenActivation, wi);
  const out = tf.add(x1, linear(c, `${p}.mlp.Wo`, gated)) as tf.Tensor2D;
  return {
    out,
    saved: { y, norm1: n1 && { xhat: n1.xhat, rstd: n1.rstd }, q, kT, v, probs, ctx, norm2: { xhat: n2.xhat, rstd: n2.rstd }, y2: n2.y, wi, act, slope, gated },
  };
}

/** Adds `value` into the gradient of `name` when it trains, and disposes it. */
function sink(s: GradientSink, name: string, value: () => tf.Tensor): void {
  if (!s.trainable.has(name)) return;
  const g = value();
  addGradInto(s.grads, s.store.spec(name).offset, g);
  g.dispose();
}

/** Backward through `linear(prefix)` with input `x`: adds dW (and db) into the sink, returns dx. */
function linearBackward(c: LayerContext, s: GradientSink, prefix: string, x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  sink(s, `${prefix}.weight`, () => tf.matMul(x, dy, true, false));
  if (c.has(`${prefix}.bias`)) sink(s, `${prefix}.bias`, () => columnSums(dy));
  return tf.matMul(dy, c.weight(`${prefix}.weight`) as tf.Tensor2D, false, true);
}

function normBackward(c: LayerContext, s: GradientSink, prefix: string, saved: { xhat: tf.Tensor2D; rstd: tf.Tensor1D }, dy: tf.Tensor2D): tf.Tensor2D {
  const { dx, dgamma } = layerNormBackward(dy, saved.xhat, saved.rstd, c.weight(`${prefix}.weight`) as tf.Tensor1D);
  sink(s, `${prefix}.weight`, () => dgamma);
  if (c.has(`${prefix}.bias`)) sink(s, `${prefix}.bias`, () => columnSums(dy));
  return dx;
}

/**
 * The backward pass of layer `i`: adds its weight gradients into the sink and returns the gradient of its input.
 * Call inside a tidy scope and keep the result.
 * @param dOut the gradient of the layer's output `[batch·seq, hidden]`
 */
export function layerBackward(c: LayerContext, s: GradientSink, i: number, saved: SavedLayer, dOut: tf.Tensor2D): tf.Tensor2D {
  const { cfg, batch: B, seqLen: T } = c;
  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const p = `layers.${i}`;
  const global = cfg.globalLayers[i]!;
  // MLP: out = x1 + Wo(act(a) ⊙ g), [a, g] = Wi(mlp_norm(x1)).
  const dGated = linearBackward(c, s, `${p}.mlp.Wo`, saved.gated, dOut);
  const dWi = gatedActivationBackward(saved.wi, saved.act, saved.slope, dGated);
  const dY2 = linearBackward(c, s, `${p}.mlp.Wi`, saved.y2, dWi);
  const dX1 = tf.add(dOut, normBackward(c, s, `${p}.mlp_norm`, saved.norm2, dY2)) as tf.Tensor2D;
  // Attention: x1 = x + Wo(ctx), ctx = merge_heads(softmax(q·kᵀ + mask) · v).
  const dCtx = linearBackward(c, s, `${p}.attn.Wo`, saved.ctx, dX1);
  const dC = tf.reshape(tf.transpose(tf.reshape(dCtx, [B, T, heads, d]), [0, 2, 1, 3]), [B * heads, T, d]) as tf.Tensor3D;
  const dProbs = tf.matMul(dC, tf.transpose(saved.v, [0, 2, 1]) as tf.Tensor3D);
  const dV = tf.matMul(tf.transpose(saved.probs, [0, 2, 1]) as tf.Tensor3D, dC) as tf.Tensor3D;
  const dScores = softmaxBackward(saved.probs, dProbs) as tf.Tensor3D;
  const dQ = tf.matMul(dScores, tf.transpose(saved.kT, [0, 2, 1]) as tf.Tensor3D) as tf.Tensor3D;
  const dKT = tf.matMul(tf.transpose(saved.q, [0, 2, 1]) as tf.Tensor3D, dScores) as tf.Tensor3D;
  const dQkv = rotaryHeadsBackward(dQ, dKT, dV, global ? c.globalRope : c.localRope, B, T, heads, 1 / Math.sqrt(d));
  const dY = linearBackward(c, s, `${p}.attn.Wqkv`, saved.y, dQkv);
  const dX = saved.norm1 ? normBackward(c, s, `${p}.attn_norm`, saved.norm1, dY) : dY;
  return tf.add(dX1, dX) as tf.Tensor2D;
}
