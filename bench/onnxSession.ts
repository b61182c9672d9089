// An exported ONNX classifier (onnx/model.onnx or onnx/model_quantized.onnx) run directly by ONNX Runtime — the
// project's own optional dependency onnxruntime-node, the package the engine's native products use — on batches our
// tokenizer encodes, returning the raw `logits`. bench:infer uses it to time and compare the float32 and int8 files
// like for like (same tokenizer, same batches; @huggingface/transformers adds its own tokenizer and pipeline on top).
import { createRequire } from 'node:module';
import type { loadTokenizer } from '../src/engine';

/** What our tokenizer's encodeBatch returns (benches reach the engine through its public API only). */
type EncodedBatch = ReturnType<Awaited<ReturnType<typeof loadTokenizer>>['encodeBatch']>;

/** The part of onnxruntime-node's API used here (typed locally: it is an optional dependency). */
interface OrtTensor {
  data: Float32Array;
  dims: readonly number[];
}
interface OrtSession {
  inputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(file: string, options: Record<string, unknown>): Promise<OrtSession> };
}

/** Logits of one exported model file. */
export interface OnnxClassifier {
  /** `logits` row-major `[batch.batchSize × numLabels]`. */
  logits(batch: EncodedBatch): Promise<Float32Array>;
  dispose(): Promise<void>;
}

function int64(a: Int32Array): BigInt64Array {
  const out = new BigInt64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = BigInt(a[i]!);
  return out;
}

/**
 * An ONNX Runtime session on `file` with its default thread count (one per core) and the engine's setting of not
 * spinning between runs (nativeMatMul.ts): the bench interleaves sides, and a spinning pool would take a core from
 * the next one.
 * @returns the classifier, or why onnxruntime-node could not be loaded (it is optional)
 * @throws Error from ONNX Runtime when the file is not a valid model
 */
export async function loadOnnxClassifier(file: string): Promise<OnnxClassifier | string> {
  let ort: Ort;
  try {
    ort = createRequire(__filename)('onnxruntime-node') as Ort;
  } catch (err) {
    return `onnxruntime-node not loadable (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
  const session = await ort.InferenceSession.create(file, {
    graphOptimizationLevel: 'all', executionMode: 'sequential', extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const tokenTypes = session.inputNames.includes('token_type_ids');
  return {
    async logits(batch) {
      const dims = [batch.batchSize, batch.seqLen];
      const feeds: Record<string, unknown> = {
        input_ids: new ort.Tensor('int64', int64(batch.inputIds), dims),
        attention_mask: new ort.Tensor('int64', int64(batch.attentionMask), dims),
      };
      if (tokenTypes) feeds.token_type_ids = new ort.Tensor('int64', int64(batch.tokenTypeIds), dims);
      return (await session.run(feeds)).logits!.data;
    },
    async dispose() {
      await session.release?.();
    },
  };
}
