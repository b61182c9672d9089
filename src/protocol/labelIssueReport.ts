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
  /**
   * Multi-label data: the one label this issue is about. Then `givenLabel` is the given list and `suggestedLabel`
   * the list after the change (names joined by ", "), `selfConfidence` the probability of the given yes/no decision
   * for that label and `suggestedProbability` of the other one.
   */
  labelChange?: LabelChange;
}

/** Add a missing label to a multi-label line's list, or remove one that is wrongly there. */
export interface LabelChange {
  action: 'add' | 'remove';
  label: string;
  /** The line's given labels, in its order. */
  givenLabels: string[];
  /** Out-of-fold probability of `label` (sigmoid output). */
  labelProbability: number;
}

/** Texts that are the same (exactly, or after normalising case, punctuation and spacing) but labelled differently. */
export interface DuplicateLabelIssue {
  kind: 'exact' | 'near';
  normalizedText: string;
  labels: string[];
  members: { file: string; line: number; label: string; text: string }[];
}

/** How the out-of-fold model does on the lines of one class, against the majority-class baseline. */
export interface ClassReliability {
  label: string;
  /** Lines given this label. */
  examples: number;
  /** Share of them the out-of-fold model predicts as this label. */
  recall: number;
  /** The baseline's recall: 1 for the majority label, 0 for the others. */
  baselineRecall: number;
  /** Mean −ln p(label) over them (nats), and the baseline's −ln(label frequency). */
  logLoss: number;
  baselineLogLoss: number;
  /**
   * Enough lines for k folds and a log loss below the baseline's: the model's disagreements here mean something.
   * False does not drop the class's lines from `issues` (only classes with fewer lines than folds are left out).
   */
  judged: boolean;
}

/** A class with fewer lines than folds: some fold's model never saw it, so its lines are not judged. */
export interface SmallClass {
  label: string;
  examples: number;
}

/**
 * Whether the out-of-fold model is strong enough to judge labels, compared with the majority-class baseline
 * (always the most common label for accuracy; the label frequencies for log loss). `weak` reports still rank
 * the lines, but the editor does not raise them as diagnostics by default and says why.
 */
export interface LabelIssueReliability {
  verdict: 'reliable' | 'weak';
  accuracy: number;
  baselineAccuracy: number;
  majorityLabel: string;
  /** (accuracy − baseline) / (1 − baseline). */
  accuracyLift: number;
  /** Mean out-of-fold cross-entropy of the given labels (nats), and that of the label frequencies. */
  logLoss: number;
  baselineLogLoss: number;
  /** 1 − logLoss / baselineLogLoss. */
  logLossSkill: number;
  /** The bar `reliable` needs: accuracyLift ≥ minAccuracyLift and logLossSkill ≥ minLogLossSkill. */
  bar: { minAccuracyLift: number; minLogLossSkill: number };
  perClass: ClassReliability[];
  smallClasses: SmallClass[];
  /** Sentences saying what falls short (empty when nothing does). */
  reasons: string[];
  /** Sentences saying what would help. */
  suggestions: string[];
}

/** Which model gave the out-of-fold probabilities, and how. */
export interface LabelIssueJudge {
  /**
   * `ngram`: the built-in n-gram model trained per fold; `encoder`: a pretrained encoder's pooled vectors, computed
   * once for the file (cached), with a linear head trained per fold; `fine-tuned`: the transformer fine-tuned per
   * fold (`mode: full`).
   */
  kind: 'ngram' | 'encoder' | 'fine-tuned';
  /** `ngram`, or the encoder's folder / Hugging Face id. */
  model: string;
  /** One sentence for the user: which model judged and how. */
  summary: string;
  /** `encoder` only: vector size, and how many texts the encoder embedded now versus took from the cache. */
  encoder?: { dim: number; encoded: number; reused: number; cacheFile: string };
}

export interface LabelIssueReport {
  version: 1;
  /** The dataset file that was judged. */
  dataset: string;
  /** `ngram`, or the transformer folder/hub id used for the out-of-fold models. */
  model: string;
  /** How that model judged (absent in reports written before it existed: then `model` trained per fold). */
  judge?: LabelIssueJudge;
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
  /** The out-of-fold model against the majority-class baseline; absent in reports written before it existed. */
  reliability?: LabelIssueReliability;
  /** Times the k-fold split was repeated with another seed (out-of-fold probabilities are their mean). Absent = 1. */
  repeats?: number;
  labels: string[];
  /**
   * Multi-label data (per-label confident learning; every issue has a `labelChange`). `outOfFoldAccuracy` is then
   * the share of examples whose labels at probability ≥ 0.5 are exactly the given set.
   */
  multiLabel?: boolean;
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
