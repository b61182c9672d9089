// Says when `eval` scores a run on lines it trained on (or chose its checkpoint with): such metrics are optimistic,
// and printing them without comment invites reading them as held-out results.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Example } from '../data/example';
import type { RunRecord } from '../../common/runFolder/runRecord';
import { loadRunData } from './loadRunData';

/** How an evaluated file overlaps the run's own splits. */
export interface EvaluationOverlap {
  /** Evaluated lines whose text is in the run's training split. */
  train: number;
  /** Evaluated lines whose text is in the run's validation split (checkpoint selection, early stopping, calibration). */
  validation: number;
  /** Evaluated lines. */
  examples: number;
  /** Which of the run's split files this file is (resolved paths compared), when it is one. */
  sameFileAs?: 'train' | 'validation';
  /** False when the run's data could not be read again (moved, or changed since: fingerprint differs): only paths were compared. */
  textsCompared: boolean;
  /** One sentence for the user, undefined when the file is held out from the run. */
  warning?: string;
}

/**
 * Compares `examples` (read from `file`) with the splits of the run `record`: by resolved path (`splitSource`), and
 * by text, reloading the run's data the way it trained (`loadRunData`: same files, same seeded split) when its
 * fingerprint still matches run.json's. Never throws: a run whose data is gone is compared by path only.
 */
export async function evaluationOverlap(record: RunRecord, file: string, examples: readonly Example[]): Promise<EvaluationOverlap> {
  const result: EvaluationOverlap = { train: 0, validation: 0, examples: examples.length, textsCompared: false };
  const source = record.dataset?.splitSource;
  const here = realPath(file);
  if (source?.kind === 'siblings') {
    if (source.files.train && realPath(source.files.train) === here) result.sameFileAs = 'train';
    else if (source.files.validation && realPath(source.files.validation) === here) result.sameFileAs = 'validation';
  } else if (source?.kind === 'stratified' && realPath(source.file) === here) result.sameFileAs = 'train';
  try {
    const data = await loadRunData(record.config);
    if (data.splits.fingerprint === record.dataset?.fingerprint) {
      const train = new Set(data.splits.train.map((e) => e.text));
      const validation = new Set(data.splits.validation.map((e) => e.text));
      for (const e of examples) {
        if (train.has(e.text)) result.train++;
        else if (validation.has(e.text)) result.validation++;
      }
      result.textsCompared = true;
    }
  } catch {
    // The run's data moved or became unreadable: the path comparison above is all there is.
  }
  result.warning = describeOverlap(result, record.runId);
  return result;
}

/** The warning for `overlap`, or undefined when nothing the run learnt from or selected with is evaluated. */
export function describeOverlap(overlap: Omit<EvaluationOverlap, 'warning'>, runId: string): string | undefined {
  const { train, validation, examples, sameFileAs, textsCompared } = overlap;
  if (textsCompared && train === 0 && validation === 0) return undefined;
  if (!textsCompared && !sameFileAs) return undefined;
  const which = sameFileAs === 'train' ? `This is the training file of run ${runId}` : sameFileAs === 'validation' ? `This is the validation file of run ${runId}` : `This file shares texts with run ${runId}`;
  const pct = (n: number) => {
    const share = (100 * n) / Math.max(1, examples);
    return `${share.toFixed(share < 10 ? 1 : 0)}%`;
  };
  const parts: string[] = [];
  if (textsCompared) {
    const selection = 'model selection (validation: best checkpoint, early stopping, calibration)';
    if (train) parts.push(`${train} of ${examples} lines (${pct(train)}) were used for training`);
    if (validation) parts.push(train ? `${validation} (${pct(validation)}) for ${selection}` : `${validation} of ${examples} lines (${pct(validation)}) were used for ${selection}`);
  } else {
    parts.push(sameFileAs === 'train' ? 'its lines were used for training (and model selection where validation was carved from it)' : 'its lines were used for model selection (best checkpoint, early stopping, calibration)');
  }
  return `${which}: ${parts.join(', ')}, so these metrics are optimistic; evaluate on the run's test split or on new data for a held-out result.`;
}

function realPath(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}
