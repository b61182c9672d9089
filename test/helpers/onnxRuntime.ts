// ONNX Runtime (the optional dependency onnxruntime-node) as the tests use it: run an exported classifier on a
// tokenised batch and read its logits. Tests that call it declare `needs(nodePackage('onnxruntime-node'))`.
import type { EncodedBatch } from '../../src/engine/tokenizer/textTokenizer';

/** The part of onnxruntime-node's API the tests use. */
export interface Ort {
  Tensor: new (type: string, data: BigInt64Array | Float32Array, dims: number[]) => unknown;
  InferenceSession: { create(model: string | Uint8Array): Promise<OrtSession> };
}
export interface OrtSession {
  inputNames: string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
}

export function onnxRuntime(): Ort {
  return require('onnxruntime-node') as Ort;
}

/** The `logits` output `[batchSize × numLabels]` of the model at `file` on `batch` (token_type_ids when the graph takes them). */
export async function onnxLogits(file: string, batch: EncodedBatch): Promise<Float32Array> {
  const ort = onnxRuntime();
  const int64 = (a: Int32Array): unknown => new ort.Tensor('int64', BigInt64Array.from(Array.from(a, BigInt)), [batch.batchSize, batch.seqLen]);
  const session = await ort.InferenceSession.create(file);
  const feeds: Record<string, unknown> = { input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask) };
  if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = int64(batch.tokenTypeIds);
  return (await session.run(feeds)).logits.data;
}
