// The training defaults the engine fills for options a run leaves unset (DESIGN.md "Model and training"), in one
// place: `resolveTrainConfig` applies them and the fine-tune wizard quotes them, so the two cannot disagree.
// Data only; no engine code.
import type { TrainMode } from './train';

/** Learning rates by mode: full fine-tuning moves a pretrained encoder gently; head-only modes can go faster. */
export const LEARNING_RATE_BY_MODE: Readonly<Record<TrainMode, number>> = { full: 2e-5, 'feature-extraction': 1e-3, lora: 5e-4 };

/** A pretrained transformer (any mode). */
export const TRANSFORMER_DEFAULTS = { epochs: 3, batchSize: 16, weightDecay: 0.01, warmupRatio: 0.1 } as const;

/** A randomly initialised transformer (`scratch`, full mode) has nothing to preserve: a larger rate and more epochs. */
export const SCRATCH_DEFAULTS = { epochs: 5, learningRate: 5e-4 } as const;

/**
 * The built-in n-gram model (bench/ngram.ts): plain per-example SGD, rate 0.2 decaying to 0, no decay. Its epochs
 * scale with the data: about `targetUpdates` updates, from `minEpochs` to `maxEpochs` (`defaultNgramEpochs`).
 */
export const NGRAM_DEFAULTS = { minEpochs: 8, maxEpochs: 50, targetUpdates: 40_000, batchSize: 32, learningRate: 0.2, weightDecay: 0, warmupRatio: 0 } as const;

/**
 * The starting rate of the n-gram model's linear head (multi-label data's default head, `ngram.linearLearningRate`):
 * one weight per feature and label over L2-normalised features, it moves a logit by about rate × gradient per
 * update, where the embedding head moves it through two layers. GoEmotions (bench/multilabel.ts, one seed, loaded
 * machine), test macro F1 unweighted / balanced: 0.2 → 27.3 % / 35.3 %, 0.5 → 32.1 % / 35.5 %, 1 → 32.3 % / 36.2 %,
 * 2 → 33.2 % / 35.7 %.
 */
export const NGRAM_LINEAR_LEARNING_RATE = 1;

/** The epochs/batch size/learning rate a run of `model` in `mode` gets when they are unset. */
export interface ModelDefaults {
  /** A number, or `scaled` (the n-gram model: from the number of training examples, see `NGRAM_DEFAULTS`). */
  epochs: number | 'scaled';
  batchSize: number;
  learningRate: number;
  /** The n-gram model on multi-label data (its linear head), when that differs. */
  multiLabelLearningRate?: number;
  weightDecay: number;
  warmupRatio: number;
}

/**
 * The defaults for a model id as `TrainConfig.model` holds it (`ngram`, `scratch`, a folder or a Hub id) and a mode.
 * The n-gram model has no modes (it always trains in full).
 */
export function modelDefaults(model: string, mode: TrainMode): ModelDefaults {
  if (model === 'ngram') return { epochs: 'scaled', batchSize: NGRAM_DEFAULTS.batchSize, learningRate: NGRAM_DEFAULTS.learningRate, multiLabelLearningRate: NGRAM_LINEAR_LEARNING_RATE, weightDecay: NGRAM_DEFAULTS.weightDecay, warmupRatio: NGRAM_DEFAULTS.warmupRatio };
  const scratch = model === 'scratch' && mode === 'full';
  return {
    epochs: scratch ? SCRATCH_DEFAULTS.epochs : TRANSFORMER_DEFAULTS.epochs,
    batchSize: TRANSFORMER_DEFAULTS.batchSize,
    learningRate: scratch ? SCRATCH_DEFAULTS.learningRate : LEARNING_RATE_BY_MODE[mode],
    weightDecay: TRANSFORMER_DEFAULTS.weightDecay,
    warmupRatio: TRANSFORMER_DEFAULTS.warmupRatio,
  };
}

/**
 * The n-gram model's default number of epochs for `exampleCount` training examples: about 40,000 updates,
 * at least 8 and at most 50 epochs. Use it wherever the n-gram model is trained (e.g. out-of-fold models).
 */
export function defaultNgramEpochs(exampleCount: number): number {
  return Math.min(NGRAM_DEFAULTS.maxEpochs, Math.max(NGRAM_DEFAULTS.minEpochs, Math.ceil(NGRAM_DEFAULTS.targetUpdates / Math.max(1, exampleCount))));
}
