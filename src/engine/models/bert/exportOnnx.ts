// Builds an ONNX graph (opset 17) of the classifier from the parameter store, the same computation as
// encoder.ts: inputs input_ids / attention_mask (/ token_type_ids for BERT) `[batch, sequence]` int64, output
// `logits [batch, numLabels]`. Written as `onnx/model.onnx`, the layout @huggingface/transformers loads.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertConfig } from './bertConfig';
import type { ParamStore } from '../nn/paramStore';
import { nodeProto, OnnxType, ProtoWriter, tensorProto, valueInfo, type AttrValue } from '../../tensorFiles/onnxProto';
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
  const nodes: ProtoWriter[] = [];
  const inits: ProtoWriter[] = [];
  let counter = 0;
  const fresh = (hint: string): string => `${hint}_${counter++}`;
  const op = (type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, hint = type.toLowerCase()): string => {
    const out = fresh(hint);
    nodes.push(nodeProto(type, inputs, [out], attrs));
    return out;
  };
  const param = (name: string): string => {
    inits.push(tensorProto(name, store.spec(name).shape, store.get(name)));
    return name;
  };
  const constF = (value: number): string => {
    const name = fresh('c');
    inits.push(tensorProto(name, [], Float32Array.of(value)));
    return name;
  };
  const constI = (values: number[], dims: number[] = [values.length]): string => {
    const name = fresh('ci');
    inits.push(tensorProto(name, dims, BigInt64Array.from(values.map(BigInt))));
    return name;
  };
  const dense = (x: string, prefix: string): string => op('Add', [op('MatMul', [x, param(`${prefix}.weight`)]), param(`${prefix}.bias`)]);
  const layerNorm = (x: string, prefix: string): string =>
    op('LayerNormalization', [x, param(`${prefix}.weight`), param(`${prefix}.bias`)], { axis: { i: -1 }, epsilon: { f: cfg.layerNormEps } });

  const h = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const d = h / heads;
  const hasTypes = cfg.typeVocabSize > 0;
  const gelu = (y: string): string => op('Mul', [op('Mul', [y, constF(0.5)]), op('Add', [op('Erf', [op('Mul', [y, constF(Math.SQRT1_2)])]), constF(1)])]);
  // Embeddings: word + position (offset..offset+T-1) (+ token type), then LayerNorm (and ELECTRA's projection).
  const seqLen = op('Gather', [op('Shape', ['input_ids']), constI([1], [])], { axis: { i: 0 } });
  const offset = constI([cfg.positionOffset], []);
  const positions = op('Range', [offset, op('Add', [seqLen, offset]), constI([1], [])]);
  let emb = op('Add', [
    op('Gather', [param('embeddings.word_embeddings.weight'), 'input_ids'], { axis: { i: 0 } }),
    op('Gather', [param('embeddings.position_embeddings.weight'), positions], { axis: { i: 0 } }),
  ]);
  if (hasTypes) emb = op('Add', [emb, op('Gather', [param('embeddings.token_type_embeddings.weight'), 'token_type_ids'], { axis: { i: 0 } })]);
  let x = layerNorm(emb, 'embeddings.LayerNorm');
  if (cfg.embeddingSize !== h) x = dense(x, 'embeddings_project');
  // Additive mask [B,1,1,T]: 0 for tokens, -1e9 for padding (as attentionBias in encoder.ts).
  const maskF = op('Cast', ['attention_mask'], { to: { i: OnnxType.float } });
  const maskBias = op('Unsqueeze', [op('Mul', [op('Sub', [constF(1), maskF]), constF(-1e9)]), constI([1, 2])]);
  const splitHeads = constI([0, 0, heads, d]);
  const mergeHeads = constI([0, 0, h]);
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `encoder.layer.${i}`;
    const q = op('Transpose', [op('Reshape', [dense(x, `${p}.attention.self.query`), splitHeads])], { perm: { ints: [0, 2, 1, 3] } });
    const kT = op('Transpose', [op('Reshape', [dense(x, `${p}.attention.self.key`), splitHeads])], { perm: { ints: [0, 2, 3, 1] } });
    const v = op('Transpose', [op('Reshape', [dense(x, `${p}.attention.self.value`), splitHeads])], { perm: { ints: [0, 2, 1, 3] } });
    const scores = op('Add', [op('Mul', [op('MatMul', [q, kT]), constF(1 / Math.sqrt(d))]), maskBias]);
    const ctx = op('Reshape', [op('Transpose', [op('MatMul', [op('Softmax', [scores], { axis: { i: -1 } }), v])], { perm: { ints: [0, 2, 1, 3] } }), mergeHeads]);
    const x1 = layerNorm(op('Add', [x, dense(ctx, `${p}.attention.output.dense`)]), `${p}.attention.output.LayerNorm`);
    x = layerNorm(op('Add', [x1, dense(gelu(dense(x1, `${p}.intermediate.dense`)), `${p}.output.dense`)]), `${p}.output.LayerNorm`);
  }
  const cls = op('Gather', [x, constI([0], [])], { axis: { i: 1 } });
  const poolerIn = dense(cls, 'pooler.dense');
  const pooled = cfg.poolerActivation === 'gelu' ? gelu(poolerIn) : op(cfg.poolerActivation === 'tanh' ? 'Tanh' : 'Relu', [poolerIn]);
  nodes.push(nodeProto('Add', [op('MatMul', [pooled, param('classifier.weight')]), param('classifier.bias')], ['logits']));

  const graph = new ProtoWriter();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, 'classifier');
  for (const t of inits) graph.message(5, t);
  for (const name of ['input_ids', 'attention_mask', ...(hasTypes ? ['token_type_ids'] : [])]) graph.message(11, valueInfo(name, OnnxType.int64, ['batch_size', 'sequence_length']));
  graph.message(12, valueInfo('logits', OnnxType.float, ['batch_size', store.spec('classifier.bias').size]));
  return new ProtoWriter()
    .int(1, 8) // IR version 8 (ONNX 1.13+, opset 17)
    .string(2, 'classifier-workbench')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, 17))
    .finish();
}

/** Writes `<dir>/onnx/model.onnx` (atomically). */
export async function exportOnnx(dir: string, cfg: BertConfig, store: ParamStore): Promise<string> {
  const file = join(dir, 'onnx', 'model.onnx');
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(`${file}.tmp`, buildOnnxModel(cfg, store));
  await rename(`${file}.tmp`, file);
  return file;
}
