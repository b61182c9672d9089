// Picks the model implementation for a run: the built-in n-gram model, or an encoder family by its config.json
// `model_type` (a local folder, a Hugging Face cache entry or hub id resolved to a folder, or `scratch`). This is the
// family registry: which model types the engine loads, and which family builds each.
import type { TrainConfig } from '../../protocol/train';
import type { TrainableClassifier } from './trainableClassifier';
import { createNgramClassifier } from '../models/ngram/ngramClassifier';
import { createBertClassifier } from '../models/bert/bertClassifier';
import { isAbsolute } from 'node:path';
import { resolveModel } from '../hub/modelSource';
import { pathExists } from '../pathExists';
import { singleLabelObjective, type ClassificationObjective } from '../models/nn/classificationObjective';
import { bertFamilyModelTypes, parseBertConfig } from '../models/bert/bertConfig';
import { parseModernBertConfig } from '../models/modernbert/modernbertConfig';
import { createModernBertClassifier } from '../models/modernbert/modernbertClassifier';
import { readConfigJsonSync } from '../models/nn/readConfigJson';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { useNgramModel } from '../../common/optionWording';

/** Every `model_type` the engine can load, in the order messages list them. */
export function supportedModelTypes(): string[] {
  return [...bertFamilyModelTypes(), 'modernbert'];
}

/**
 * Throws when the engine cannot train a model with this config.json (given to `resolveModel` as `checkConfig`,
 * so a Hub download stops after config.json, before any weight is requested).
 * @throws EngineError(invalidModel) naming `file`: an unsupported model_type (listing the supported ones), or the
 *   family's reason
 */
export function checkEncoderConfig(raw: Record<string, unknown>, file: string): void {
  const modelType = raw.model_type;
  if (modelType === 'modernbert') parseModernBertConfig(raw, file);
  else if (typeof modelType === 'string' && bertFamilyModelTypes().includes(modelType)) parseBertConfig(raw, file);
  else {
    throw EngineError.worded(EngineErrorCodes.invalidModel, (s) => `Unsupported model_type ${JSON.stringify(modelType)}: the engine trains ${supportedModelTypes().map((t) => `"${t}"`).join(', ')} encoders. Pick such a checkpoint, or ${useNgramModel(s)}.`, { file });
  }
}

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
  /** Feature-extraction mode's cache folder (a run's `featureCacheDir`); default beside the dataset. */
  cacheDir?: string;
}

/**
 * A fresh, untrained classifier for `config.model` over `labels`.
 * @throws EngineError (invalidModel) when the model cannot be found or loaded.
 */
export async function createClassifier(config: TrainConfig, labels: readonly string[], options: CreateClassifierOptions = {}): Promise<TrainableClassifier> {
  const objective = options.objective ?? singleLabelObjective;
  if (config.model === 'ngram') return createNgramClassifier(config, labels, objective);
  if (config.model === 'scratch') return createBertClassifier(config, [...labels], { onLog: options.onLog, objective, purpose: options.purpose, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  // A trained run keeps its weights but reads config.json and the tokenizer from the model it was trained from:
  // when that folder is gone, say so (resolveModel's "pass a folder" fits train, not export or predict of a run).
  if (options.purpose === 'predict' && isAbsolute(config.model) && !(await pathExists(config.model))) {
    throw new EngineError(EngineErrorCodes.invalidModel,
      `the run was fine-tuned from the model folder ${config.model}, which is not there any more: the run holds its trained weights, but its config.json and tokenizer files are read from that folder. Put the model folder back at that path (a copy of the same model will do)`, { file: config.model });
  }
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
  if (readConfigJsonSync(resolved.dir).raw.model_type === 'modernbert') {
    return createModernBertClassifier(config, [...labels], resolved.dir, { onLog: options.onLog, objective, purpose: options.purpose, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  }
  return createBertClassifier(config, [...labels], { modelDir: resolved.dir, onLog: options.onLog, objective, purpose: options.purpose, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
}
