// Picks the model implementation for a run: the built-in n-gram model, or a BERT-family encoder
// (a local folder, a Hugging Face cache entry or hub id resolved to a folder, or `scratch`).
import type { TrainConfig } from '../../protocol/train';
import type { TrainableClassifier } from './trainableClassifier';
import { createNgramClassifier } from '../models/ngram/ngramClassifier';
import { createBertClassifier } from '../models/bert/bertClassifier';
import { resolveModel } from '../hub/modelSource';
import { singleLabelObjective, type ClassificationObjective } from '../models/nn/classificationObjective';
import { checkEncoderConfig } from '../models/bert/bertConfig';

export interface CreateClassifierOptions {
  /** Softmax/cross-entropy or sigmoid/binary cross-entropy, and class weights. Default: single-label, unweighted. */
  objective?: ClassificationObjective;
  /** Cancels a model download. */
  signal?: AbortSignal;
  /** One-line notes (download progress, backend choice, newly initialised head). */
  onLog?: (message: string) => void;
  /**
   * `predict` (loading a trained run, export): skip the training-memory check. Default `train`: a model whose
   * estimated training memory does not fit is refused before its weights are read.
   */
  purpose?: 'train' | 'predict';
}

/**
 * A fresh, untrained classifier for `config.model` over `labels`.
 * @throws EngineError (invalidModel) when the model cannot be found or loaded.
 */
export async function createClassifier(config: TrainConfig, labels: readonly string[], options: CreateClassifierOptions = {}): Promise<TrainableClassifier> {
  const objective = options.objective ?? singleLabelObjective;
  if (config.model === 'ngram') return createNgramClassifier(config, labels, objective);
  if (config.model === 'scratch') return createBertClassifier(config, [...labels], { onLog: options.onLog, objective, purpose: options.purpose });
  let lastPercent = -1;
  const resolved = await resolveModel(config.model, {
    revision: config.revision,
    // An unsupported model is refused from its config.json, before any weight byte is downloaded.
    checkConfig: checkEncoderConfig,
    signal: options.signal,
    onProgress: (p) => {
      // Every 10 %: enough to show life without flooding the log.
      const percent = p.totalBytes > 0 ? Math.floor((10 * p.doneBytes) / p.totalBytes) * 10 : -1;
      if (percent >= 0 && percent !== lastPercent) options.onLog?.(`downloading ${config.model}: ${percent}% (${p.file})`);
      lastPercent = percent;
    },
  });
  return createBertClassifier(config, [...labels], { modelDir: resolved.dir, onLog: options.onLog, objective, purpose: options.purpose });
}
