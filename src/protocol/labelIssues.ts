/**
 * The `labelIssues/find` request: rank lines whose given label an out-of-fold model confidently disputes,
 * plus conflicting duplicates. The report type lives in labelIssueReport.ts.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { DatasetReadOptions } from './dataset';
import type { EngineErrorData } from './errors';
import type { LabelIssueReport } from './labelIssueReport';

/** extension → engine: find label issues in a dataset; cancellable with the request's token. */
export interface LabelIssuesFindParams extends DatasetReadOptions {
  /** Absolute path of the JSONL file to judge (its training split). */
  dataset: string;
  /**
   * `ngram` (fast, the default) or an encoder folder / hub id: in feature-extraction mode every line is embedded once
   * and a linear head is trained per fold on the vectors.
   */
  model?: string;
  /** For a Hub id: branch, tag, commit or `refs/pr/N` (default `main`). */
  revision?: string;
  /** How a transformer judges: `feature-extraction` (default: embeddings once, a linear head per fold) or `full` fine-tuning per fold. Ignored for ngram. */
  mode?: 'feature-extraction' | 'full';
  /** Default 5. */
  folds?: number;
  /** Times the k-fold split is repeated with another seed and the probabilities averaged; default 3 for ngram, 1 otherwise. */
  repeats?: number;
  /** Default 42. */
  seed?: number;
  /** When set, the report is also written to `<runDir>/label-issues.json`. */
  runDir?: string;
  /** Echoed in `labelIssues/progress` so the caller can tell jobs apart. */
  jobId?: string;
}

export namespace LabelIssuesFind {
  export const method = 'labelIssues/find' as const;
  export const type = new RequestType<LabelIssuesFindParams, LabelIssueReport, EngineErrorData>(method);
}

/** How far a `labelIssues/find` job is, 0..1. */
export interface LabelIssuesProgress {
  jobId?: string;
  fold: number;
  folds: number;
  /** Which repetition of the k-fold split (0-based) and how many (absent from older engines: 1). */
  repeat?: number;
  repeats?: number;
  /** `encode`: the encoder embeds the lines (once, before the folds); else the folds train or predict. Absent: folds. */
  phase?: 'encode' | 'train' | 'predict';
  fraction: number;
}

export namespace LabelIssuesProgressNotification {
  export const method = 'labelIssues/progress' as const;
  /** engine → extension: progress of a running `labelIssues/find`, for a cancellable progress notification. */
  export const type = new NotificationType<LabelIssuesProgress>(method);
}
