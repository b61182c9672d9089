// Builds an ONNX graph (opset 17) of the classifier from the parameter store, the same computation as
// encoder.ts: inputs input_ids / attention_mask (/ token_type_ids when the family has token types) `[batch,
// sequence]` int64, output `logits [batch, numLabels]`. DeBERTa's disentangled attention comes from
// nn/onnxRelativeAttention.ts. Written as `onnx/model.onnx` (and int8 `onnx/model_quantized.onnx`) by
// nn/onnxExport.ts, the layout @huggingface/transformers loads.
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { OnnxType } from '../../tensorFiles/onnxProto';
import { logitsOutput, OnnxGraph, tokenInputs, type OnnxModelSpec } from '../nn/onnxGraph';
import { writeOnnxFiles, type OnnxExportOptions } from '../nn/onnxExport';
import { disentangledTermNodes, perHeadPositions, relativeIndexNodes } from '../nn/onnxRelativeAttention';
import { relativeTable } from './bertParams';
import type { RelativeAttentionConfig } from '../nn/relativePositions';

/**
 * The classifier's graph and signature. LoRA adapters must be merged into the store first (see mergeLoraAdapters).
 * @throws EngineError(invalidModel) for a DeBERTa config whose relative positions no finite table covers
 *   (relativeDistanceRows)
 */
export function buildOnnxGraph(cfg: BertConfig, store: ParamStore): OnnxModelSpec {
  const g = new OnnxGraph();
  // One initializer per weight, however many nodes read it (DeBERTa's shared keys project tokens and positions).
  const weights = new Map<string, string>();
  const param = (name: string): string => {
    let w = weights.get(name);
    if (!w) weights.set(name, (w = g.initializer(name, store.spec(name).shape, store.get(name))));
    return w;
  };
  const dense = (x: string, prefix: string): string => g.linear(x, param(`${prefix}.weight`), param(`${prefix}.bias`));
  const layerNorm = (x: string, prefix: string): string => g.layerNorm(x, param(`${prefix}.weight`), param(`${prefix}.bias`), cfg.layerNormEps);

  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const hasTypes = cfg.typeVocabSize > 0;
  const rel = cfg.relativeAttention;
  // Embeddings: word (+ position offset..offset+T-1, absent in DeBERTa-v3) (+ token type), then LayerNorm (and
  // ELECTRA's projection).
  const inputShape = g.op('Shape', ['input_ids']);
  const seqLen = g.op('Gather', [inputShape, g.constI([1], [])], { axis: { i: 0 } });
  let emb = g.op('Gather', [param('embeddings.word_embeddings.weight'), 'input_ids'], { axis: { i: 0 } });
  if (cfg.absolutePositions !== false) {
    const offset = g.constI([cfg.positionOffset], []);
    const positions = g.op('Range', [offset, g.op('Add', [seqLen, offset]), g.constI([1], [])]);
    emb = g.op('Add', [emb, g.op('Gather', [param('embeddings.position_embeddings.weight'), positions], { axis: { i: 0 } })]);
  }
  if (hasTypes) emb = g.op('Add', [emb, g.op('Gather', [param('embeddings.token_type_embeddings.weight'), 'token_type_ids'], { axis: { i: 0 } })]);
  let x = layerNorm(emb, 'embeddings.LayerNorm');
  if (cfg.embeddingSize !== h) x = dense(x, 'embeddings_project');
  // Additive mask [B,1,1,T]: 0 for tokens, -1e9 for padding (as attentionBias in encoder.ts).
  const maskF = g.op('Cast', ['attention_mask'], { to: { i: OnnxType.float } });
  const maskBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.constF(1), maskF]), g.constF(-1e9)]), g.constI([1, 2])]);
  // DeBERTa zeroes padding rows after the embedding LayerNorm (HF DebertaV2Embeddings); only padding rows change,
  // and attention never reads them, so the logits are the engine's, which skips it.
  if (rel) x = g.op('Mul', [x, g.op('Unsqueeze', [maskF, g.constI([2])])]);
  const splitHeads = g.constI([0, 0, heads, d]);
  const mergeHeads = g.constI([0, 0, h]);
  /**
   * DeBERTa's relative table (layer-normed when norm_rel_ebd says so) `[2·span, H]`, shared by every layer, and the
   * relative rows for queries × keys broadcast to `[B, heads, T, T]` (and key-major, for p2c).
   */
  const relativeInputs = (r: RelativeAttentionConfig): { table: string; index: string; indexT: string } => {
    const table = r.normRelEmbedding ? layerNorm(param(relativeTable), 'encoder.LayerNorm') : param(relativeTable);
    const rows = relativeIndexNodes(g, r, seqLen);
    const shape = g.op('Concat', [
      g.op('Gather', [inputShape, g.constI([0])], { axis: { i: 0 } }), g.constI([heads]),
      g.op('Gather', [inputShape, g.constI([1, 1])], { axis: { i: 0 } }),
    ], { axis: { i: 0 } });
    return {
      table,
      index: g.op('Expand', [rows, shape]),
      indexT: g.op('Expand', [g.op('Transpose', [rows], { perm: { ints: [1, 0] } }), shape]),
    };
  };
  const relative = rel ? relativeInputs(rel) : undefined;
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `encoder.layer.${i}`;
    const q = g.op('Transpose', [g.op('Reshape', [dense(x, `${p}.attention.self.query`), splitHeads])], { perm: { ints: [0, 2, 1, 3] } });
    const keys = g.op('Reshape', [dense(x, `${p}.attention.self.key`), splitHeads]);
    const kT = g.op('Transpose', [keys], { perm: { ints: [0, 2, 3, 1] } });
    const v = g.op('Transpose', [g.op('Reshape', [dense(x, `${p}.attention.self.value`), splitHeads])], { perm: { ints: [0, 2, 1, 3] } });
    let raw = g.op('MatMul', [q, kT]);
    let scale = Math.sqrt(d);
    if (rel && relative) {
      // DeBERTa: positions projected by the layer's own key/query (share_att_key) or pos_key_proj/pos_query_proj.
      const positions = (own: string, shared: string): string => perHeadPositions(g, dense(relative.table, `${p}.attention.self.${rel.shareKey ? shared : own}`), heads, d);
      const terms = disentangledTermNodes(g, {
        q, k: g.op('Transpose', [keys], { perm: { ints: [0, 2, 1, 3] } }), index: relative.index, indexT: relative.indexT,
        posKeyT: rel.c2p ? positions('pos_key_proj', 'key') : undefined,
        posQueryT: rel.p2c ? positions('pos_query_proj', 'query') : undefined,
      });
      if (terms) raw = g.op('Add', [raw, terms]);
      scale = Math.sqrt(d * (1 + Number(rel.c2p) + Number(rel.p2c)));
    }
    const scores = g.op('Add', [g.op('Mul', [raw, g.constF(1 / scale)]), maskBias]);
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [g.op('Softmax', [scores], { axis: { i: -1 } }), v])], { perm: { ints: [0, 2, 1, 3] } }), mergeHeads]);
    const x1 = layerNorm(g.op('Add', [x, dense(ctx, `${p}.attention.output.dense`)]), `${p}.attention.output.LayerNorm`);
    x = layerNorm(g.op('Add', [x1, dense(g.geluErf(dense(x1, `${p}.intermediate.dense`)), `${p}.output.dense`)]), `${p}.output.LayerNorm`);
  }
  const cls = g.op('Gather', [x, g.constI([0], [])], { axis: { i: 1 } });
  const poolerIn = dense(cls, 'pooler.dense');
  const pooled = cfg.poolerActivation === 'gelu' ? g.geluErf(poolerIn) : g.op(cfg.poolerActivation === 'tanh' ? 'Tanh' : 'Relu', [poolerIn]);
  g.op('Add', [g.op('MatMul', [pooled, param('classifier.weight')]), param('classifier.bias')], {}, 'logits');
  return { graph: g, inputs: tokenInputs(hasTypes), outputs: [logitsOutput(store.spec('classifier.bias').size)] };
}

/** Writes `<dir>/onnx/model.onnx` (and with int8 `model_quantized.onnx`), atomically; returns the paths written. */
export async function exportOnnx(dir: string, cfg: BertConfig, store: ParamStore, options: OnnxExportOptions = {}): Promise<string[]> {
  return writeOnnxFiles(dir, buildOnnxGraph(cfg, store), options);
}

/** The serialised float32 ModelProto of `buildOnnxGraph` (for tests that hand bytes to ONNX Runtime). */
export function buildOnnxModel(cfg: BertConfig, store: ParamStore): Uint8Array {
  const { graph, inputs, outputs } = buildOnnxGraph(cfg, store);
  return graph.toModel(inputs, outputs);
}
