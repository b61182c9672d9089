/**
 * What label-issue detection finds, as the engine returns it (`labelIssues/find`, CLI `--json`, the run's
 * `label-issues.json`) and the extension shows it (diagnostics, the "Label issues" view). Lines are 1-based.
 */
import type { DatasetFieldMapping } from './dataset';

/** A line whose given label the out-of-fold model confidently disagrees with. */
export interface LabelIssue {
  /** 1 = most suspicious. */
  rank: number;
  /** Absolute path of the JSONL file and the 1-based line. */
  file: string;
  line: number;
  text: string;
  givenLabel: string;
  /** The label the model believes in. */
  suggestedLabel: string;
  /** Out-of-fold probability of the given label (the ranking score under `selfConfidence`). */
  selfConfidence: number;
  /** Out-of-fold probability of the suggested label. */
  suggestedProbability: number;
}

/** Texts that are the same (exactly, or after normalising case, punctuation and spacing) but labelled differently. */
export interface DuplicateLabelIssue {
  kind: 'exact' | 'near';
  normalizedText: string;
  labels: string[];
  members: { file: string; line: number; label: string; text: string }[];
}

export interface LabelIssueReport {
  version: 1;
  /** The dataset file that was judged. */
  dataset: string;
  /** `ngram`, or the transformer folder/hub id used for the out-of-fold models. */
  model: string;
  folds: number;
  filterBy: string;
  rankBy: string;
  /** Share of the estimated label errors flagged (cleanlab's frac_noise). */
  fracNoise: number;
  /** Examples judged. */
  examples: number;
  /**
   * Share of examples whose out-of-fold prediction equals the given label. Low values mean the model is too weak
   * for its disagreements to say much about the labels (a random or untrained model flags noise).
   */
  outOfFoldAccuracy: number;
  labels: string[];
  /** The fields the file's lines use for text and label (absent for chat-format lines, or when not known). */
  textField?: string;
  labelField?: string;
  /** How the engine read the file's lines (fields or chat), so the editor finds the label where the engine took it. */
  fieldMapping?: DatasetFieldMapping;
  issues: LabelIssue[];
  duplicates: DuplicateLabelIssue[];
  /** ISO time the detection finished, and how long it took. */
  createdAt: string;
  seconds: number;
}
