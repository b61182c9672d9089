// Loads an exported (or any fine-tuned Hugging Face) BERT/DistilBERT sequence classifier for prediction.
import { join } from 'node:path';
import type { BackendName } from '../../../protocol/train';
import { availableParallelism } from 'node:os';
import { selectBackend } from '../../backend/selectBackend';
import { enableNativeMatMul } from '../../backend/nativeMatMul';
import { loadBertModel } from './loadBertModel';
import { LocalRunner } from './gradientRunner';
import { planInferenceBatches } from '../nn/batchPlan';
import { logitsToProbs, type ProblemType } from '../nn/classificationObjective';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { readJsonObject } from '../../tokenizer/tokenizerConfig';
import { labelsFromId2label } from '../nn/configBounds';

export interface BertPredictor {
  /** Index = label id (from config.json's id2label). */
  readonly labels: readonly string[];
  /** Class probabilities (sigmoid per label when config.json says multi-label), row-major `[texts.length × labels.length]`. */
  predictProbs(texts: readonly string[]): Promise<Float32Array>;
  /** Raw logits, same layout (for comparisons with other implementations). */
  predictLogits(texts: readonly string[]): Promise<Float32Array>;
  dispose(): void;
}

/** Labels in id order from config.json's `id2label` (HF writes keys as strings), and its `problem_type`. */
async function readLabels(dir: string): Promise<{ labels: string[]; problemType: ProblemType }> {
  const file = join(dir, 'config.json');
  const raw = await readJsonObject(file);
  if (!raw) throw new EngineError(EngineErrorCodes.invalidModel, 'config.json is missing: a fine-tuned classifier folder has one', { file });
  const labels = labelsFromId2label(raw, file);
  if (!labels) {
    throw new EngineError(EngineErrorCodes.invalidModel, 'config.json has no "id2label": this is not a fine-tuned classifier. Train one, or export a run.', { file });
  }
  // transformers reads problem_type the same way: sigmoid per label only when it says multi-label.
  return { labels, problemType: raw.problem_type === 'multi_label_classification' ? 'multi_label_classification' : 'single_label_classification' };
}

/**
 * A predictor over a fine-tuned classifier folder (config.json with id2label, model.safetensors with the
 * classifier head, tokenizer files), on the best backend (or `backend`).
 * @throws EngineError(invalidModel) naming the file when the folder is not a usable classifier.
 */
export async function loadBertPredictor(dir: string, opts: { backend?: 'auto' | BackendName; maxLength?: number } = {}): Promise<BertPredictor> {
  const backend = await selectBackend(opts.backend ?? 'auto');
  // Hover, predict and eval of a base-size model are matrix products: run them natively, as training does
  // (a no-op when this thread already did, or when onnxruntime-node is missing: products then stay on wasm).
  if (backend.name === 'wasm') enableNativeMatMul(availableParallelism());
  const { labels, problemType } = await readLabels(dir);
  const model = await loadBertModel(dir, labels.length, { requireHead: true });
  const runner = new LocalRunner(model.cfg, model.store, { trainable: new Set() });
  const maxLength = Math.min(opts.maxLength ?? 512, model.cfg.maxPositions - model.cfg.positionOffset, model.tokenizer.modelMaxLength);
  const predictLogits = async (texts: readonly string[]): Promise<Float32Array> => {
    const k = labels.length;
    const ids = texts.map((t) => model.tokenizer.encode(t, maxLength));
    const plan = planInferenceBatches(ids.map((r) => r.length), 64);
    const batches = plan.map((b) => {
      const seqLen = Math.max(...b.map((j) => ids[j].length));
      const inputIds = new Int32Array(b.length * seqLen);
      const attentionMask = new Int32Array(b.length * seqLen);
      b.forEach((j, r) => {
        inputIds.set(ids[j], r * seqLen);
        attentionMask.fill(1, r * seqLen, r * seqLen + ids[j].length);
      });
      return { inputIds, attentionMask, batchSize: b.length, seqLen };
    });
    const logits = await runner.infer(batches, 'logits');
    const out = new Float32Array(texts.length * k);
    plan.forEach((b, bi) => b.forEach((j, r) => out.set(logits[bi].subarray(r * k, (r + 1) * k), j * k)));
    return out;
  };
  return {
    labels,
    predictLogits,
    predictProbs: async (texts) => logitsToProbs(await predictLogits(texts), labels.length, problemType),
    dispose: () => void runner.dispose(),
  };
}
