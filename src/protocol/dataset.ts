/**
 * Dataset inspection types shared by the engine (which builds the report), the CLI (which prints it) and the
 * extension (which shows it in trees, diagnostics and webviews). Lines and columns are 1-based.
 */

/**
 * Every kind of problem the dataset layer reports. The strings are stable: tests, the extension's diagnostics
 * and users' scripts (`inspect --json`) match on them. Add new kinds at the end; never rename one.
 */
export const DatasetProblemKinds = [
  /** The line's bytes are not valid UTF-8 (column = 1-based byte offset in the line). */
  'invalidUtf8',
  /** The line is longer than the reader's limit; it was skipped without being read whole. */
  'oversizedLine',
  /** An empty or whitespace-only line (harmless; skipped). */
  'blankLine',
  /** The line is not valid JSON (column = where the parser stopped). */
  'invalidJson',
  /** The line is valid JSON but not an object (an array, a string, a number, null). */
  'notAnObject',
  /** The object has no text field (neither the detected/explicit one nor a chat `messages` list). */
  'missingText',
  /** The text is an empty or whitespace-only string. */
  'emptyText',
  /** The text field holds something other than a string (number, null, object, ...). */
  'nonStringText',
  /** The object has no label field, or the label is null. */
  'missingLabel',
  /** The label is an empty string. */
  'emptyLabel',
  /** The label is an object (or a label list holds an array or object): labels are strings or integers. */
  'nonScalarLabel',
  /** The label is a number that is not a non-negative integer (e.g. 1.5, -1). */
  'invalidLabel',
  /** An integer label has no entry in the given label-names list, or a string label is not in it. */
  'labelOutOfRange',
  /** The line uses other field names than the rest of the file (e.g. `sentence` where the file uses `text`). */
  'mixedSchema',
  /** `messages` is present but is not an array of `{role, content}` objects. */
  'chatBadMessages',
  /** A chat line has no user message with text. */
  'chatNoUserMessage',
  /** A chat line has no assistant message (the label). */
  'chatNoAssistantMessage',
  /** Labels are integers on some lines and strings on others; they are all read as strings. */
  'mixedLabelTypes',
  /** A class has fewer than 2 examples: it cannot be both learned and evaluated. */
  'rareClass',
  /** The same text with the same label appears more than once. */
  'duplicate',
  /** The same text appears with different labels. */
  'conflictingLabels',
  /** The same text appears in two splits (train and validation/test): evaluation would be inflated. */
  'sharedAcrossSplits',
  /** The file has no lines at all. */
  'emptyFile',
  /** No line yields a usable example. */
  'noExamples',
  /** All examples have the same label: there is nothing to classify. */
  'singleClass',
  /** A validation/test label that never occurs in the training split (one problem per file and label, listing its lines). */
  'labelNotInTrain',
  /** So many distinct texts that the duplicate check's memory cap was reached: later lines are not checked. */
  'duplicateCheckLimited',
  /** More distinct labels than a classifier can sensibly have (usually the wrong label field); later new labels are skipped. */
  'tooManyLabels',
  /** A multi-label line whose label list is empty: read as "none of these labels" (allowed, listed for review). */
  'emptyLabelList',
  /** The same label twice in one line's label list; it counts once. */
  'duplicateLabelInList',
  /** A line with one label in a file whose other lines hold label lists (or the reverse); the file is read as multi-label. */
  'mixedLabelShapes',
  /** The largest class has many times the examples of the smallest: consider class weights. */
  'classImbalance',
  /** A chat line with several turns: which message became the text and which the label (info). */
  'chatTurnsChosen',
  /** A byte-order mark (U+FEFF) at the start of a line other than the first, e.g. from `cat a.jsonl b.jsonl`; ignored. */
  'byteOrderMark',
  /** A text that reaches the model with no information: only invisible characters or punctuation (no n-gram feature), or only [UNK]/special tokens. */
  'uninformativeText',
  /** A text longer than max_length tokens: its end is cut off in training and prediction. */
  'truncatedText',
  /** A CSV/TSV record the parser cannot read (a quote never closed, a record over the size limit), or a Parquet file or row group that cannot be decoded. */
  'malformedRecord',
  /** A CSV/TSV row with more or fewer cells than the header has columns. */
  'rowShape',
  /** Two labels that differ only in case or spacing ("Sadness" and "sadness"): they are separate classes. */
  'labelVariants',
] as const;

export type DatasetProblemKind = (typeof DatasetProblemKinds)[number];

/** `error`: the line is skipped (or, for dataset-level kinds, training is refused); `warning`: kept but suspicious; `info`: harmless. */
export type DatasetProblemSeverity = 'error' | 'warning' | 'info';

/** One problem found in a dataset file. */
export interface DatasetProblem {
  kind: DatasetProblemKind;
  severity: DatasetProblemSeverity;
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column (characters for JSON errors, bytes for invalid UTF-8), when meaningful. */
  column?: number;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do about it, in one sentence. */
  hint: string;
  /** Another place the problem refers to (the first occurrence of a duplicate, the other split's line). */
  related?: { file: string; line: number };
}

import type { ChatContext } from './chatExample';

/**
 * How every command and request reads a dataset's lines (CLI `--text-field`, `--label-field`, `--label-names`,
 * `--chat-context`; the same fields in `dataset/inspect`, `run/start` and `labelIssues/find`).
 */
export interface DatasetReadOptions {
  /** Field that holds the text; detected when absent. */
  textField?: string;
  /** Field that holds the label; detected when absent. */
  labelField?: string;
  /** Names of integer labels, index = label id. Without it, a model's `id2label` names them where a model is given. */
  labelNames?: string[];
  /** Chat lines: which turns make the text (default `lastUser`). */
  chatContext?: ChatContext;
  /**
   * Multi-label labels written as one string: the label is split on this delimiter (e.g. `|` or `;`), each part
   * trimmed, empty parts dropped (an empty label is then an empty list). Without it a string label is one label.
   */
  labelDelimiter?: string;
}

/** How text and label were found in each object. */
export type DatasetFieldMapping =
  | { format: 'fields'; textField: string; labelField: string; detected: boolean }
  /** `context`: which turns make the text (`locateChatExample` in chatExample.ts); absent = `lastUser`. */
  | { format: 'chat'; detected: boolean; context?: ChatContext };

/** A histogram over non-negative integer lengths: `counts[i]` examples have `edges[i] <= length < edges[i + 1]`. */
export interface LengthHistogram {
  /** Bin edges, `counts.length + 1` of them; the last bin also holds everything above its lower edge. */
  edges: number[];
  counts: number[];
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** How many problems of one kind were found (the report keeps only the first few of each kind in `problems`). */
export interface DatasetProblemCount {
  kind: DatasetProblemKind;
  severity: DatasetProblemSeverity;
  count: number;
}

/** What `inspect` adds for a multi-label file (one whose label field holds lists). */
export interface MultiLabelStats {
  /** `labelsPerLine[n]` = examples with exactly n distinct labels (n = 0 is "none of these"). */
  labelsPerLine: number[];
  /** Examples with an empty label list. */
  noLabelLines: number;
  meanLabelsPerLine: number;
  /** The most frequent label pairs on one line, most frequent first (at most 10). */
  topPairs: { labels: [string, string]; count: number }[];
}

/** How skewed the label distribution is (labels with at least one example). */
export interface LabelImbalance {
  majority: string;
  majorityCount: number;
  minority: string;
  minorityCount: number;
  /** majorityCount / minorityCount. */
  ratio: number;
}

/** Everything `inspect` knows about one dataset file. */
export interface DatasetReport {
  /** Absolute path of the inspected file. */
  file: string;
  /** File size in bytes. */
  bytes: number;
  /** Number of lines read (the trailing newline does not start a new line). */
  lines: number;
  /** Lines that became examples. */
  exampleCount: number;
  fields: DatasetFieldMapping | null;
  /** Stable label map: index = label id (sorted, numeric when all labels are integers, or label-names order). */
  labels: string[];
  /** Set when integer labels were read as names: how many, and through which list (one sentence). */
  labelNaming?: string;
  /** Examples per label, same order as `labels` (multi-label: examples carrying the label). */
  labelCounts: number[];
  /** Present when the label field holds lists: the dataset is multi-label (sigmoid outputs, one decision per label). */
  multiLabel?: MultiLabelStats;
  /** Largest against smallest class, when there are at least two classes with examples. */
  imbalance?: LabelImbalance;
  /** Text length in characters (UTF-16 code units, as JavaScript counts them). */
  textLength: LengthHistogram;
  /** Text length in tokens: from the given tokenizer, or the word-level estimate (see `tokenLengthSource`). */
  tokenLength: LengthHistogram;
  tokenLengthSource: 'tokenizer' | 'wordEstimate';
  /** Texts longer than `maxLength` tokens (true lengths, never capped) and the tokens they lose in total. */
  truncation?: { maxLength: number; lines: number; tokensLost: number };
  /** Distinct texts that occur more than once / with more than one label. */
  duplicateTexts: number;
  conflictingTexts: number;
  /** Problems, at most `problemLimitPerKind` per kind, in file/line order. */
  problems: DatasetProblem[];
  /** Total per kind, including those left out of `problems`. */
  problemCounts: DatasetProblemCount[];
  problemLimitPerKind: number;
  /** Sibling split files checked for texts shared with this file. */
  siblingFiles: string[];
  /** Usable examples in each sibling file (absolute path → count), when the siblings were read. */
  siblingExampleCounts?: Record<string, number>;
  /** Whether a model can be trained on this file; when not, `notTrainableReason` says why. */
  trainable: boolean;
  notTrainableReason?: string;
  /** Time spent reading, in milliseconds. */
  elapsedMs: number;
}
