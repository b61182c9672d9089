// The one wording for a dataset that cannot be opened, so `inspect`, `train` (its up-front check), `eval` and every
// reader (JSONL, CSV/TSV, Parquet) say the same thing about the same path, without Node's raw `ENOENT: …, open '…'`.
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { fileSystemError } from '../fileSystemError';

/** What a missing dataset path gets everywhere. */
export const missingDatasetDetail = 'no such file or folder; check the path of the dataset';

/**
 * The invalidDataset error for `file`: missing (no `cause`, or ENOENT/ENOTDIR) → `missingDatasetDetail`; any other
 * failure to open it → what happened and what to do (`permission denied (EACCES, opening); check the permissions…`).
 */
export function datasetOpenError(file: string, cause?: unknown): EngineError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (cause === undefined || code === 'ENOENT' || code === 'ENOTDIR') return new EngineError(EngineErrorCodes.invalidDataset, missingDatasetDetail, { file });
  const explained = fileSystemError(cause)?.data.detail ?? (cause as Error).message;
  return new EngineError(EngineErrorCodes.invalidDataset, `cannot open the dataset: ${explained}`, { file });
}
