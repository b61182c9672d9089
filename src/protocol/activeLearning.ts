/**
 * Active learning messages: which unlabeled lines would teach the model most ("Suggest lines to label"),
 * ranked by the model's uncertainty with no near-duplicates in one batch.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { EngineErrorData } from './errors';
import type { TextPrediction } from './model';

/** How uncertainty is measured from class probabilities (Settles 2009, §3.1). */
export type UncertaintyMeasureName = 'margin' | 'entropy' | 'leastConfidence';

/** extension → engine: rank the unlabeled lines of a file; cancellable with the request's token. */
export interface SuggestLabelsParams {
  /**
   * The unlabeled text: a JSONL file (its lines without a label are the pool: a file of unlabeled lines, or
   * the training file itself) or any other text file (one example per non-blank line).
   */
  unlabeled: string;
  /** The model that judges: a run folder, a model folder, or the Hugging Face id of a fine-tuned classifier. */
  model: string;
  /** With a Hugging Face id: branch, tag, commit or `refs/pr/N` (default `main`). */
  revision?: string;
  /** How many lines to suggest (the batch size), ≥ 1; default 50. */
  n?: number;
  /** Default `margin`. */
  measure?: UncertaintyMeasureName;
  /** JSONL text field, when it is not one of the usual names. */
  textField?: string;
  /** JSONL label field, when it is not one of the usual names. */
  labelField?: string;
  /**
   * A labelled JSONL file whose texts are never suggested (they already have a label). Default: the run's
   * training file, when `model` is a run folder.
   */
  labeledDataset?: string;
  /** Texts never to suggest (lines the user skipped). */
  excludeTexts?: string[];
}

export interface LabelSuggestion {
  /** 1-based line in `unlabeled`. */
  line: number;
  text: string;
  /** The model's uncertainty about this line, in [0, 1] (higher = more informative). */
  uncertainty: number;
  /** The model's guess and its top probabilities. */
  prediction: TextPrediction;
}

export interface SuggestLabelsResult {
  /** Absolute path of the unlabeled file and how it was read. */
  file: string;
  format: 'jsonl' | 'text';
  /** The model's label map (index = label id); multi-label models also have `thresholds`. */
  labels: string[];
  multiLabel: boolean;
  measure: UncertaintyMeasureName;
  /**
   * `raw`: the model's own probabilities; `calibrated`: after the run's temperature scaling. Margins and
   * entropies are ranked either way; calibration makes their values mean what they say.
   */
  probabilities: 'raw' | 'calibrated';
  /** Unlabeled lines considered (after exclusions), and why others were left out. */
  poolSize: number;
  labeledLines: number;
  excludedAsLabeled: number;
  excludedAsSkipped: number;
  /** Lines that could not be read (invalid JSON, no text, ...), the first few with their reason. */
  unreadableLines: number;
  unreadable: { line: number; reason: string }[];
  /** The batch, the most informative first. */
  suggestions: LabelSuggestion[];
}

export namespace SuggestLabels {
  export const method = 'activeLearning/suggest' as const;
  export const type = new RequestType<SuggestLabelsParams, SuggestLabelsResult, EngineErrorData>(method);
}
