// Builds the per-fold models of out-of-fold prediction with the same model code as training runs:
// the built-in n-gram model (fast, the default) or a transformer in feature-extraction mode.
import type { TrainConfig, TrainMode } from '../../protocol/train';
import { resolveTrainConfig } from '../train/resolveTrainConfig';
import { createClassifier } from '../classifier/createClassifier';
import type { FoldClassifierFactory } from './outOfFoldProbs';
import type { ClassificationObjective } from '../models/nn/classificationObjective';

/**
 * Epochs of each fold's n-gram model: half the training default. With fewer passes a model has not yet
 * memorised the wrong labels of its training folds, so its held-out probabilities contradict them more clearly
 * (the "early learning" effect of noisy-label training). Measured on emotion with 5 % flips (bench/labelIssues.ts):
 * 8 epochs → precision 0.65 / recall 0.80 at the defaults, 4 → 0.73 / 0.81, 2 → underfits (0.37 / 0.84).
 */
export const ngramFoldEpochs = 4;

export interface FoldModelChoice {
  /** `ngram` (default) or a BERT folder / HF cache id / hub id. */
  model?: string;
  /** For a Hub id: branch, tag, commit or `refs/pr/N` (default `main`). */
  revision?: string;
  /** Transformer mode; default `feature-extraction` (the encoder is frozen, so k folds stay cheap). Ignored for ngram. */
  mode?: TrainMode;
  /** The dataset path (resolveTrainConfig needs it to pick defaults). */
  dataset: string;
  /** Overrides of the resolved training defaults (epochs, learning rate, ...). */
  overrides?: Partial<TrainConfig>;
  /** The loss the fold models train with; default single-label softmax (multi-label data: sigmoid per label). */
  objective?: ClassificationObjective;
}

/**
 * A factory that gives every fold a fresh, untrained classifier with the run defaults of the chosen model.
 * @throws EngineError from `resolveTrainConfig` (bad option) or `createClassifier` (model cannot be loaded), on first use.
 */
export async function createFoldClassifierFactory(choice: FoldModelChoice): Promise<{ factory: FoldClassifierFactory; config: TrainConfig }> {
  const model = choice.model ?? 'ngram';
  const config = await resolveTrainConfig({
    ...(model === 'ngram' ? { epochs: ngramFoldEpochs } : {}),
    ...choice.overrides,
    dataset: choice.dataset,
    model,
    ...(choice.revision ? { revision: choice.revision } : {}),
    mode: model === 'ngram' ? 'full' : (choice.mode ?? 'feature-extraction'),
    // One model per fold, no early stopping on a validation split it does not have.
    patience: 0,
  });
  const factory: FoldClassifierFactory = async (labels, fold) => ({
    classifier: await createClassifier({ ...config, seed: config.seed + fold }, labels, choice.objective ? { objective: choice.objective } : {}),
    epochs: config.epochs,
  });
  return { factory, config };
}
