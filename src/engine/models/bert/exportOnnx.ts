// Builds an ONNX graph (opset 17) of the classifier from the parameter store, the same computation as
// encoder.ts: inputs input_ids / attention_mask (/ token_type_ids for BERT) `[batch, sequence]` int64, output
// `logits [batch, numLabels]`. Written as `onnx/model.onnx`, the layout @huggingface/transformers loads.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { OnnxType } from '../../tensorFiles/onnxProto';
import { logitsOutput, OnnxGraph, tokenInputs } from '../nn/onnxGraph';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/**
 * The serialised ModelProto. LoRA adapters must be merged into the store first (see mergeLoraAdapters).
 * @throws EngineError(invalidOption) for DeBERTa: its disentangled attention is not in the graph yet
 */
export function buildOnnxModel(cfg: BertConfig, store: ParamStore): Uint8Array {
  if (cfg.relativeAttention) {
    throw new EngineError(EngineErrorCodes.invalidOption, 'ONNX export of DeBERTa (disentangled relative attention) is not supported yet; the Hugging Face folder (model.safetensors) is exported as usual');
  }
  const g = new OnnxGraph();
  const param = (name: string): string => g.initializer(name, store.spec(name).shape, store.get(name));
  const dense = (x: string, prefix: string): string => g.linear(x, param(`${prefix}.weight`), param(`${prefix}.bias`));
  const layerNorm = (x: string, prefix: string): string => g.layerNorm(x, param(`${prefix}.weight`), param(`${prefix}.bias`), cfg.layerNormEps);

  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const hasTypes = cfg.typeVocabSize > 0;
  // Embeddings: word + position (offset..offset+T-1) (+ token type), then LayerNorm (and ELECTRA's projection).
  const seqLen = g.op('Gather', [g.op('Shape', ['input_ids']), g.constI([1], [])], { axis: { i: 0 } });
  const offset = g.constI([cfg.positionOffset], []);
  const positions = g.op('Range', [offset, g.op('Add', [seqLen, offset]), g.constI([1], [])]);
  let emb = g.op('Add', [
    g.op('Gather', [param('embeddings.word_embeddings.weight'), 'input_ids'], { axis: { i: 0 } }),
    g.op('Gather', [param('embeddings.position_embeddings.weight'), positions], { axis: { i: 0 } }),
  ]);
  if (hasTypes) emb = g.op('Add', [emb, g.op('Gather', [param('embeddings.token_type_embeddings.weight'), 'token_type_ids'], { axis: { i: 0 } })]);
  let x = layerNorm(emb, 'embeddings.LayerNorm');
  if (cfg.embeddingSize !== h) x = dense(x, 'embeddings_project');
  // Additive mask [B,1,1,T]: 0 for tokens, -1e9 for padding (as attentionBias in encoder.ts).
  const maskF = g.op('Cast', ['attention_mask'], { to: { i: OnnxType.float } });
  const maskBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.constF(1), maskF]), g.constF(-1e9)]), g.constI([1, 2])]);
  const splitHeads = g.constI([0, 0, heads, d]);
  const mergeHeads = g.constI([0, 0, h]);
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `encoder.layer.${i}`;
    const q = g.op('Transpose', [g.op('Reshape', [dense(x, `${p}.attention.self.query`), splitHeads])], { perm: { ints: [0, 2, 1, 3] } });
    const kT = g.op('Transpose', [g.op('Reshape', [dense(x, `${p}.attention.self.key`), splitHeads])], { perm: { ints: [0, 2, 3, 1] } });
    const v = g.op('Transpose', [g.op('Reshape', [dense(x, `${p}.attention.self.value`), splitHeads])], { perm: { ints: [0, 2, 1, 3] } });
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, kT]), g.constF(1 / Math.sqrt(d))]), maskBias]);
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [g.op('Softmax', [scores], { axis: { i: -1 } }), v])], { perm: { ints: [0, 2, 1, 3] } }), mergeHeads]);
    const x1 = layerNorm(g.op('Add', [x, dense(ctx, `${p}.attention.output.dense`)]), `${p}.attention.output.LayerNorm`);
    x = layerNorm(g.op('Add', [x1, dense(g.geluErf(dense(x1, `${p}.intermediate.dense`)), `${p}.output.dense`)]), `${p}.output.LayerNorm`);
  }
  const cls = g.op('Gather', [x, g.constI([0], [])], { axis: { i: 1 } });
  const poolerIn = dense(cls, 'pooler.dense');
  const pooled = cfg.poolerActivation === 'gelu' ? g.geluErf(poolerIn) : g.op(cfg.poolerActivation === 'tanh' ? 'Tanh' : 'Relu', [poolerIn]);
  g.op('Add', [g.op('MatMul', [pooled, param('classifier.weight')]), param('classifier.bias')], {}, 'logits');
  return g.toModel(tokenInputs(hasTypes), [logitsOutput(store.spec('classifier.bias').size)]);
}

/** Writes `<dir>/onnx/model.onnx` (atomically). */
export async function exportOnnx(dir: string, cfg: BertConfig, store: ParamStore): Promise<string> {
  const file = join(dir, 'onnx', 'model.onnx');
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(`${file}.tmp`, buildOnnxModel(cfg, store));
  await rename(`${file}.tmp`, file);
  return file;
}
