// What a run's checkpoints mean for export and predict: why there is none (a failed run says it failed, and why,
// instead of "wait for its first epoch"), and that the checkpoint of a run that did not finish is not a finished model.
import { EngineErrorCodes } from '../../protocol/errors';
import type { RunRecord } from '../../common/runFolder/runRecord';
import { EngineError } from '../errors';
import { effectiveRunState } from './runStore';

/**
 * The error for a run with neither `checkpoints/best` nor `checkpoints/last`, by the run's state: queued or running
 * (wait: a run saves one every few minutes and at each epoch's end), failed (its message; train it again once the
 * cause is fixed), cancelled or interrupted before its first checkpoint, or finished with its checkpoints deleted.
 * @param action what was asked, as a verb phrase ("export", "predict with")
 * @returns EngineError (runState) naming the run folder; VS Code gets the run's editor wording of its failure
 */
export function noCheckpointError(record: RunRecord, runDir: string, action: string): EngineError {
  const state = effectiveRunState(record);
  const id = record.runId;
  return EngineError.worded(EngineErrorCodes.runState, (surface) => {
    switch (state) {
      case 'queued':
      case 'running':
        return `run ${id} has no checkpoint to ${action} yet (it is ${state}): a run saves one every few minutes and at the end of each epoch, so wait, or pick another run`;
      case 'failed': {
        const why = (surface === 'vscode' ? record.editorMessage : undefined) ?? record.message;
        return `run ${id} failed before it saved a checkpoint, so there is nothing to ${action}${why ? `: ${why.replace(/\.?\s*$/, '')}` : ''}. Fix that and train it again`;
      }
      case 'cancelled':
      case 'interrupted':
        return `run ${id} was ${state} before it saved a checkpoint, so there is nothing to ${action}: train it again`;
      default:
        return `run ${id} has no checkpoint to ${action} (checkpoints/ holds neither best/ nor last/): its checkpoints were deleted, so it must be trained again`;
    }
  }, { file: runDir });
}

/**
 * A warning for a model taken from a run that did not complete (running, failed, cancelled, interrupted): the
 * checkpoint is the last one it saved, from an unfinished training, not the run's final model; undefined for a
 * completed run.
 * @param which the checkpoint used: `best` (best validation so far) or `last`
 */
export function unfinishedRunWarning(record: RunRecord, which: 'best' | 'last'): string | undefined {
  const state = effectiveRunState(record);
  if (state === 'completed') return undefined;
  const { epoch, epochs } = record.progress;
  const done = `${Math.min(epoch, epochs)} of ${epochs} epoch${epochs === 1 ? '' : 's'} done`;
  const checkpoint = which === 'best' ? 'the best checkpoint it saved before it stopped' : 'the last checkpoint it saved';
  if (state === 'running' || state === 'queued') {
    return `run ${record.runId} is still ${state} (${done}): this is ${checkpoint}, from unfinished training, not the finished model. Export again when the run has completed.`;
  }
  return `run ${record.runId} did not finish (${state}, ${done}): this is ${checkpoint}, from unfinished training, not a finished model. Resume the run (or train it again) to finish it, then export again.`;
}
