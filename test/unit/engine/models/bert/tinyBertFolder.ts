// Test fixture: writes a tiny random BERT or DistilBERT Hugging Face folder (hidden 16, 1–2 layers, 40-word
// vocabulary; wider on request) so model tests run in seconds, plus a small learnable dataset over its words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBertConfig } from '../../../../../src/engine/models/bert/bertConfig';
import { createBertStore, initWeights } from '../../../../../src/engine/models/bert/bertParams';
import { toHfTensors } from '../../../../../src/engine/models/bert/weights';
import { writeSafetensors } from '../../../../../src/engine/tensorFiles/safetensors';
import type { Example } from '../../../../../src/engine/data/example';
import type { TrainConfig } from '../../../../../src/protocol/train';

export const tinyWords = ['good', 'great', 'happy', 'love', 'nice', 'bad', 'awful', 'sad', 'hate', 'poor', 'the', 'a', 'movie', 'food', 'day', 'was', 'is', 'very', 'so', 'this'];

/** @param hidden the hidden size (16; the feed-forward layer is twice as wide) */
export function tinyConfig(modelType: 'bert' | 'distilbert' = 'bert', layers = 1, hidden = 16): Record<string, unknown> {
  const vocab = 5 + tinyWords.length;
  return modelType === 'bert'
    ? { architectures: ['BertModel'], model_type: 'bert', vocab_size: vocab, hidden_size: hidden, num_hidden_layers: layers, num_attention_heads: 2, intermediate_size: 2 * hidden, max_position_embeddings: 64, type_vocab_size: 2, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, initializer_range: 0.2, pad_token_id: 0 }
    : { architectures: ['DistilBertModel'], model_type: 'distilbert', vocab_size: vocab, dim: hidden, n_layers: layers, n_heads: 2, hidden_dim: 2 * hidden, max_position_embeddings: 64, dropout: 0.1, attention_dropout: 0.1, activation: 'gelu', initializer_range: 0.2, pad_token_id: 0 };
}

/**
 * Writes config.json, model.safetensors (random base weights, no head) and vocab.txt into a new temp folder.
 * @param mutate edits the HF tensor map before writing (to build broken folders)
 */
export async function writeTinyBertFolder(modelType: 'bert' | 'distilbert' = 'bert', opts: { layers?: number; hidden?: number; mutate?: (t: Map<string, { shape: number[]; data: Float32Array }>) => void; configPatch?: Record<string, unknown> } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `tiny-${modelType}-`));
  const raw = { ...tinyConfig(modelType, opts.layers ?? 1, opts.hidden), ...opts.configPatch };
  const cfg = parseBertConfig(tinyConfig(modelType, opts.layers ?? 1, opts.hidden));
  const store = createBertStore(cfg, 2);
  initWeights(store, cfg, store.specs.map((s) => s.name), 7);
  const tensors = toHfTensors(cfg, store);
  for (const k of [...tensors.keys()]) if (/^(classifier|pre_classifier)\./.test(k)) tensors.delete(k);
  opts.mutate?.(tensors);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(raw, null, 2));
  writeFileSync(join(dir, 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...tinyWords].join('\n') + '\n');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: 64 }));
  await writeSafetensors(join(dir, 'model.safetensors'), tensors);
  return dir;
}

/** Sentences whose label is decided by which sentiment words they contain (deterministic). */
export function tinyExamples(n: number, seed = 1): Example[] {
  let s = seed;
  const rnd = (k: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % k;
  };
  const pos = tinyWords.slice(0, 5);
  const neg = tinyWords.slice(5, 10);
  const filler = tinyWords.slice(10);
  return Array.from({ length: n }, (_, i) => {
    const label = rnd(2) === 0 ? 'pos' : 'neg';
    const words = Array.from({ length: 2 + rnd(6) }, () => filler[rnd(filler.length)]);
    words.splice(rnd(words.length + 1), 0, (label === 'pos' ? pos : neg)[rnd(5)]);
    return { text: words.join(' '), label, file: '/tmp/tiny.jsonl', line: i + 1 };
  });
}

export function tinyTrainConfig(model: string, patch: Partial<TrainConfig> = {}): TrainConfig {
  return {
    dataset: join(model, 'train.jsonl'), model, mode: 'full', epochs: 2, batchSize: 8, learningRate: 3e-3, weightDecay: 0.01,
    warmupRatio: 0.1, maxLength: 32, gradientAccumulation: 1, maxGradNorm: 1, patience: 0, seed: 5, validationSplit: 0.1,
    backend: 'wasm', workers: 1, ...patch,
  };
}
