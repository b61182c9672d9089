// Builds an ONNX graph (opset 17) of a ModernBERT classifier from the parameter store, the same computation as
// modernbertCompute.ts (eager attention of transformers' modeling_modernbert.py): token embeddings + LayerNorm,
// pre-norm layers (layer 0 without attn_norm) with a fused Wqkv, rotary queries and keys (global_rope_theta in global
// layers, local_rope_theta in sliding-window ones), padding and window masks, a GeGLU MLP, final_norm, cls or
// masked-mean pooling, the head (dense, activation, norm) and the classifier. Inputs input_ids / attention_mask
// `[batch_size, sequence_length]` int64, output `logits [batch_size, numLabels]`; any sequence length (the rotary
// angles and the window mask are computed in the graph from Range). Every weight matrix is an initializer feeding a
// MatMul, so a pass over MatMul nodes (int8) sees them all.
import type { ModernBertActivation, ModernBertConfig } from './modernbertConfig';
import { tokEmbeddings } from './modernbertParams';
import type { ParamStore } from '../nn/paramStore';
import { rotaryInverseFrequencies } from '../nn/rotary';
import { OnnxType } from '../../tensorFiles/onnxProto';
import { logitsOutput, OnnxGraph, tokenInputs, type OnnxModelSpec } from '../nn/onnxGraph';
import { writeOnnxFiles, type OnnxExportOptions } from '../nn/onnxExport';

/** The additive bias of a masked score, as modernbertCompute.ts (softmax weight exactly 0). */
const masked = -1e9;

/**
 * The classifier's graph and its signature (serialise with `graph.toModel(inputs, outputs)`). LoRA adapters must be
 * merged into the store first (see mergeLoraAdapters).
 * @throws Error when the store still holds adapters (a caller's mistake, not a user's)
 */
export function buildModernBertOnnx(cfg: ModernBertConfig, store: ParamStore): OnnxModelSpec {
  if (store.specs.some((s) => s.name.includes('lora_'))) throw new Error('buildModernBertOnnx: merge the LoRA adapters into the store first (mergeLoraAdapters)');
  const g = new OnnxGraph();
  const param = (name: string): string => g.initializer(name, store.spec(name).shape, store.get(name));
  const optional = (name: string): string | undefined => (store.has(name) ? param(name) : undefined);
  const dense = (x: string, prefix: string): string => g.linear(x, param(`${prefix}.weight`), optional(`${prefix}.bias`));
  const norm = (x: string, prefix: string): string => g.layerNorm(x, param(`${prefix}.weight`), optional(`${prefix}.bias`), cfg.normEps);
  const activate = (kind: ModernBertActivation, x: string): string =>
    kind === 'gelu' ? g.geluErf(x) : kind === 'gelu_tanh' ? g.geluTanh(x) : kind === 'silu' ? g.silu(x) : g.op('Relu', [x]);

  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const inter = cfg.intermediateSize;

  let x = norm(g.op('Gather', [param(tokEmbeddings), 'input_ids'], { axis: { i: 0 } }), 'embeddings.norm');

  // Masks as additive biases: padding keys [B,1,1,T] (global layers); padding keys or |q − k| > window/2 [B,1,T,T]
  // (local layers, HF's sliding_window_mask). One −1e9 either way, as the engine's.
  const seqLen = g.op('Gather', [g.op('Shape', ['input_ids']), g.constI([1], [])], { axis: { i: 0 } });
  const positions = g.op('Range', [g.constI([0], []), seqLen, g.constI([1], [])]);
  const padding = g.op('Unsqueeze', [g.op('Equal', ['attention_mask', g.constI([0], [])]), g.constI([1, 2])]);
  const biasWhere = (cond: string): string => g.op('Where', [cond, g.constF(masked), g.constF(0)]);
  const globalBias = cfg.globalLayers.some(Boolean) ? biasWhere(padding) : '';
  let localBias = '';
  if (cfg.globalLayers.some((isGlobal) => !isGlobal)) {
    const distance = g.op('Abs', [g.op('Sub', [g.op('Unsqueeze', [positions, g.constI([1])]), g.op('Unsqueeze', [positions, g.constI([0])])])]);
    const outside = g.op('Greater', [distance, g.constI([Math.floor(cfg.localAttention / 2)], [])]);
    localBias = biasWhere(g.op('Or', [padding, outside]));
  }

  // Rotary cos/sin [T, d] per base: angle[p, i] = p · invFreq[i mod d/2] in float32 (rotary.ts's cat(freqs, freqs)).
  const positionsF = g.op('Unsqueeze', [g.op('Cast', [positions], { to: { i: OnnxType.float } }), g.constI([1])]);
  const ropes = new Map<number, { cos: string; sin: string }>();
  const rope = (theta: number): { cos: string; sin: string } => {
    let r = ropes.get(theta);
    if (!r) {
      const half = rotaryInverseFrequencies(d, theta);
      const invFreq = new Float32Array(d);
      invFreq.set(half);
      invFreq.set(half, d / 2);
      const angles = g.op('Mul', [positionsF, g.initializer(g.fresh('inv_freq'), [d], invFreq)]);
      r = { cos: g.op('Cos', [angles]), sin: g.op('Sin', [angles]) };
      ropes.set(theta, r);
    }
    return r;
  };
  // x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] (slices, not a matrix: no MatMul for a weight pass to see).
  const rotate = (t: string, r: { cos: string; sin: string }): string => {
    const halfTurn = g.op('Concat', [g.op('Neg', [g.slice(t, d / 2, d, -1)]), g.slice(t, 0, d / 2, -1)], { axis: { i: -1 } });
    return g.op('Add', [g.op('Mul', [t, r.cos]), g.op('Mul', [halfTurn, r.sin])]);
  };

  // Wqkv's output is [3, heads, head_dim] per token (HF views it as (bs, seq, 3, heads, d)).
  const splitQkv = g.constI([0, 0, 3, heads, d]);
  const mergeHeads = g.constI([0, 0, h]);
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `layers.${i}`;
    const isGlobal = cfg.globalLayers[i]!;
    const r = rope(isGlobal ? cfg.globalRopeTheta : cfg.localRopeTheta);
    const y = i === 0 ? x : norm(x, `${p}.attn_norm`);
    const qkv = g.op('Transpose', [g.op('Reshape', [dense(y, `${p}.attn.Wqkv`), splitQkv])], { perm: { ints: [2, 0, 3, 1, 4] } });
    const part = (k: number): string => g.op('Gather', [qkv, g.constI([k], [])], { axis: { i: 0 } }); // [B, heads, T, d]
    const q = rotate(part(0), r);
    const kT = g.op('Transpose', [rotate(part(1), r)], { perm: { ints: [0, 1, 3, 2] } });
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, kT]), g.constF(1 / Math.sqrt(d))]), isGlobal ? globalBias : localBias]);
    const probs = g.op('Softmax', [scores], { axis: { i: -1 } });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, part(2)])], { perm: { ints: [0, 2, 1, 3] } }), mergeHeads]);
    const x1 = g.op('Add', [x, dense(ctx, `${p}.attn.Wo`)]);
    // GeGLU: [input, gate] = Wi(mlp_norm(x1)); act(input) ⊙ gate.
    const wi = dense(norm(x1, `${p}.mlp_norm`), `${p}.mlp.Wi`);
    const gated = g.op('Mul', [activate(cfg.hiddenActivation, g.slice(wi, 0, inter, -1)), g.slice(wi, inter, 2 * inter, -1)]);
    x = g.op('Add', [x1, dense(gated, `${p}.mlp.Wo`)]);
  }

  const hidden = norm(x, 'final_norm');
  let pooled: string;
  if (cfg.classifierPooling === 'mean') {
    // Σ over tokens of hidden·mask / Σ mask (HF: attention_mask.sum(dim=1, keepdim=True)).
    const maskF = g.op('Cast', ['attention_mask'], { to: { i: OnnxType.float } });
    const summed = g.op('ReduceSum', [g.op('Mul', [hidden, g.op('Unsqueeze', [maskF, g.constI([2])])]), g.constI([1])], { keepdims: { i: 0 } });
    pooled = g.op('Div', [summed, g.op('ReduceSum', [maskF, g.constI([1])], { keepdims: { i: 1 } })]);
  } else {
    pooled = g.op('Gather', [hidden, g.constI([0], [])], { axis: { i: 1 } });
  }
  const features = norm(activate(cfg.classifierActivation, dense(pooled, 'head.dense')), 'head.norm');
  g.op('Add', [g.op('MatMul', [features, param('classifier.weight')]), param('classifier.bias')], {}, 'logits');
  return { graph: g, inputs: tokenInputs(false), outputs: [logitsOutput(store.spec('classifier.bias').size)] };
}

/** Writes `<dir>/onnx/model.onnx` (and with int8 `model_quantized.onnx`), atomically; returns the paths written. */
export async function exportModernBertOnnx(dir: string, cfg: ModernBertConfig, store: ParamStore, options: OnnxExportOptions = {}): Promise<string[]> {
  return writeOnnxFiles(dir, buildModernBertOnnx(cfg, store), options);
}
