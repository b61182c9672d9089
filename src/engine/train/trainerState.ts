// The orchestrator's own resumable state, saved next to the model's checkpoint: where training stands,
// the evaluations so far, the best epoch and the early-stopping counter.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainableClassifier } from '../classifier/trainableClassifier';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { existingFolder, replaceDirAtomic, writeJsonAtomic } from '../atomicWrite';
import { checkpointModelDir, type EpochEvaluation } from '../../common/runFolder/runRecord';

/** One evaluation on the validation split (epoch 0 = baseline before training), as metrics.json lists them. */
export type { EpochEvaluation } from '../../common/runFolder/runRecord';

export interface TrainerState {
  /** The next epoch and step to run (0-based); `step === stepsPerEpoch` means the epoch's evaluation is next. */
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  /** Sums over the current epoch so far, for its mean training loss. */
  epochLossSum: number;
  epochSamples: number;
  evaluations: EpochEvaluation[];
  bestEpoch: number | null;
  /** The best `selectionLoss` so far: validation loss, or (multi-label) 1 − tuned macro F1. */
  bestLoss: number | null;
  epochsWithoutImprovement: number;
  /** Set when early stopping ended training before the last epoch. */
  stoppedEarly: boolean;
}

const STATE_FILE = 'trainer.json';

/** Saves model checkpoint + trainer state into `dir` atomically (the folder is replaced as a whole). */
export async function saveTrainingCheckpoint(dir: string, classifier: TrainableClassifier, state: TrainerState): Promise<void> {
  await replaceDirAtomic(dir, async (temp) => {
    await mkdir(checkpointModelDir(temp), { recursive: true });
    await classifier.saveCheckpoint(checkpointModelDir(temp));
    await writeJsonAtomic(join(temp, STATE_FILE), state);
  });
}

/**
 * Reads the trainer state of a checkpoint folder (or of the `.old` copy an interrupted save left).
 * @returns the folder actually used and the state.
 * @throws EngineError (runState) when there is no checkpoint to resume from.
 */
export async function readTrainingCheckpoint(dir: string): Promise<{ dir: string; state: TrainerState }> {
  const found = await existingFolder(dir);
  if (!found) throw new EngineError(EngineErrorCodes.runState, 'there is no checkpoint to resume from (the run stopped before its first checkpoint); start it again', { file: dir });
  try {
    return { dir: found, state: JSON.parse(await readFile(join(found, STATE_FILE), 'utf8')) as TrainerState };
  } catch (err) {
    throw new EngineError(EngineErrorCodes.runState, `the checkpoint's trainer state cannot be read (${(err as Error).message})`, { file: join(found, STATE_FILE) });
  }
}
