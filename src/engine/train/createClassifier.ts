// Picks the model implementation for a run: the built-in n-gram model, or a BERT-family encoder (engineer B's).
import type { TrainConfig } from '../../protocol/train';
import type { TrainableClassifier } from './trainableClassifier';
import { createNgramClassifier } from '../ngram/ngramClassifier';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/**
 * A fresh, untrained classifier for `config.model` over `labels`.
 * @throws EngineError (invalidModel) when the model cannot be loaded.
 */
export async function createClassifier(config: TrainConfig, labels: readonly string[]): Promise<TrainableClassifier> {
  if (config.model === 'ngram') return createNgramClassifier(config, labels);
  throw new EngineError(EngineErrorCodes.invalidModel, `transformer models are not wired in yet (model ${config.model}); use --model ngram`);
}
