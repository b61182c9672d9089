import type { Example } from '../data/example';
import type { ModelDescription } from '../../common/runFolder/runRecord';

/** What run.json and the report say about a model: defined with the run-folder format (src/common/runFolder/runRecord.ts). */
export type { ModelDescription } from '../../common/runFolder/runRecord';

/**
 * The contract between the run orchestrator (`train/runTraining.ts`) and a model, whatever it is
 * (BERT in tfjs, the built-in n-gram model). The orchestrator owns epochs, evaluation, early stopping,
 * checkpoints on disk, metrics and events; the model owns its batches, optimiser, schedule and RNG.
 *
 * Call order used by the orchestrator: a new run is `beginTraining` → `trainStep`… (with `predictProbs` in
 * between for evaluations, `saveCheckpoint` into an existing empty folder); a resumed run is `beginTraining`
 * with the same data and plan → `loadCheckpoint` → `trainStep` from the saved (epoch, step) on. Restoring the
 * best epoch at the end is `loadCheckpoint`. Prediction-only use (`loadPredictor`) may call `loadCheckpoint`
 * without `beginTraining`. `trainStep(epoch, step)` must give the same result whatever happened before the
 * checkpoint it continues from (data order from seed and epoch, not from a running RNG).
 */
export interface TrainableClassifier {
  /** The label map, index = label id. */
  readonly labels: readonly string[];
  describe(): ModelDescription;
  /**
   * Prepare to train on `train` for `epochs` epochs (tokenise, build length-bucketed batches for every epoch
   * from `seed`, create the optimiser and the schedule). Returns the number of optimisation steps per epoch.
   */
  beginTraining(train: readonly Example[], plan: { epochs: number; seed: number }): Promise<{ stepsPerEpoch: number }>;
  /** One optimisation step (including gradient accumulation). `epoch` and `step` are 0-based. */
  trainStep(epoch: number, step: number): Promise<{ loss: number; samples: number; learningRate: number }>;
  /** Class probabilities in eval mode (no dropout), row-major `[texts.length × K]`. */
  predictProbs(texts: readonly string[]): Promise<Float32Array>;
  /** Everything needed to continue exactly: weights, optimiser moments, schedule position, RNG, data order. */
  saveCheckpoint(dir: string): Promise<void>;
  loadCheckpoint(dir: string): Promise<void>;
  /** A self-contained folder that prediction can load later (HF folder for BERT; documented format for n-gram). */
  exportModel(dir: string): Promise<void>;
  dispose(): void;
}
