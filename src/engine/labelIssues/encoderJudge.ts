// The strongest out-of-fold model a user has without a GPU: a pretrained encoder's pooled vectors, computed once
// for every judged line (and cached on disk), with a linear head trained per fold on them. The encoder never
// trains, so k folds need one encoder pass over the file, not k; the fold heads train in seconds.
import type { Example } from '../data/example';
import type { LabelIssueJudge } from '../../protocol/labelIssueReport';
import { resolveTrainConfig } from '../train/resolveTrainConfig';
import { createClassifier } from '../classifier/createClassifier';
import { isTextEmbedder, type EmbeddedTexts } from '../classifier/trainableClassifier';
import { singleLabelObjective } from '../models/nn/classificationObjective';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { defaultEmbeddingHeadSettings, EmbeddingHeadClassifier, type EmbeddingHeadSettings, type TextVectors } from './embeddingHead';
import type { FoldModelChoice } from './foldClassifierFactory';
import type { FoldClassifierFactory } from './outOfFoldProbs';

export interface EncoderJudgeOptions {
  signal?: AbortSignal;
  /** Texts embedded so far of those the cache lacked (`missing` = 0 when every vector was cached). */
  onProgress?: (done: number, missing: number) => void;
  /** Feature cache folder; default `<dataset folder>/.classifier-workbench/cache/features`. */
  cacheDir?: string;
  /** Training of each fold's head; default `defaultEmbeddingHeadSettings`. */
  head?: EmbeddingHeadSettings;
}

export interface EncoderJudge {
  /** One untrained linear head per fold, over the vectors computed once. */
  factory: FoldClassifierFactory;
  judge: LabelIssueJudge;
}

/**
 * Embeds every distinct text of `examples` with `choice.model`'s frozen encoder (reusing cached vectors), then
 * returns a fold factory of linear heads on those vectors.
 * @param choice the encoder (folder, HF cache entry or hub id), revision, dataset, overrides (e.g. `maxLength`,
 *   `workers`, `backend`) and the objective (sigmoid per label for multi-label data).
 * @throws EngineError invalidModel when the model cannot be loaded or has no encoder to embed with (the n-gram
 *   model); cancelled when `signal` aborts (vectors computed so far stay cached).
 */
export async function createEncoderJudge(choice: FoldModelChoice, examples: readonly Example[], labels: readonly string[], options: EncoderJudgeOptions = {}): Promise<EncoderJudge> {
  const model = choice.model ?? 'ngram';
  if (model === 'ngram') throw new EngineError(EngineErrorCodes.invalidModel, 'The n-gram model has no pretrained encoder to embed lines with: name a BERT-family folder or Hugging Face id.');
  const config = await resolveTrainConfig({ ...choice.overrides, dataset: choice.dataset, model, ...(choice.revision ? { revision: choice.revision } : {}), mode: 'feature-extraction', patience: 0 });
  const objective = choice.objective ?? singleLabelObjective;
  // Only the encoder is used: no training-memory check, and the head it initialises is never read.
  const encoder = await createClassifier(config, labels, { objective, purpose: 'predict', signal: options.signal });
  const texts = [...new Set(examples.map((e) => e.text))];
  let embedded: EmbeddedTexts;
  try {
    if (!isTextEmbedder(encoder)) throw new EngineError(EngineErrorCodes.invalidModel, `${model} cannot embed texts with a frozen encoder, so it cannot judge labels from embeddings.`);
    embedded = await encoder.embedTexts(texts, { dataset: choice.dataset, cacheDir: options.cacheDir, signal: options.signal, onProgress: options.onProgress });
  } finally {
    encoder.dispose();
  }
  const vectors: TextVectors = { vectors: embedded.vectors, dim: embedded.dim, rowOf: new Map(texts.map((t, i) => [t, i])), encoder: model };
  const head = options.head ?? defaultEmbeddingHeadSettings;
  const factory: FoldClassifierFactory = async (foldLabels) => ({ classifier: new EmbeddingHeadClassifier(foldLabels, vectors, objective, head), epochs: head.epochs });
  const cached = embedded.reused > 0 ? `, ${embedded.reused} from the cache` : '';
  return {
    factory,
    judge: {
      kind: 'encoder',
      model,
      summary: `${model}'s pooled embeddings (${embedded.dim} values per line; ${embedded.computed} texts encoded${cached}) with a linear ${objective.problemType === 'multi_label_classification' ? 'per-label sigmoid' : 'softmax'} head trained per fold`,
      encoder: { dim: embedded.dim, encoded: embedded.computed, reused: embedded.reused, cacheFile: embedded.cacheFile },
    },
  };
}
