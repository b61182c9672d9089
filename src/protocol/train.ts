import type { ClassificationMetrics } from './metrics';
import type { DatasetReadOptions } from './dataset';

export type RunStateName = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type TrainMode = 'full' | 'feature-extraction' | 'lora';
/** `ngram` is the built-in fastText-style model; anything else is a HF folder, cache entry or hub id. */
export type ModelKind = 'bert' | 'distilbert' | 'ngram';
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Options of the built-in n-gram model (`model: 'ngram'`); unset ones take the engine's defaults. */
export interface NgramOptions {
  /** Embedding size. */
  dim: number;
  /** Word n-grams up to this length (2 = unigrams and bigrams). */
  wordNgrams: number;
  /** Character n-grams of each word, from `charMin` to `charMax` characters (0 = none). */
  charMin: number;
  charMax: number;
  /** Size of the feature hash space. */
  buckets: number;
  /**
   * `embedding`: fastText's `dim`-sized embedding bag and output layer; `linear`: one weight per feature and label
   * (logistic regression on the n-gram features; `dim` unused). Unset: `linear` for multi-label data, `embedding`
   * for single-label (measured in bench/multilabel.ts and bench/ngram.ts).
   */
  head?: 'embedding' | 'linear';
  /** How a text's bag of features is scaled: `mean`, `sqrt` or `l2` (see docs/ngram-format.md). Unset: `l2` for a linear head, else `sqrt`. */
  pooling?: 'mean' | 'sqrt' | 'l2';
  /** Weight each feature by its inverse document frequency in the training texts, as TF-IDF does. Unset: on for a linear head. */
  idf?: boolean;
  /**
   * The starting learning rate of a linear head (`learningRate` is the embedding head's). Resolved to the run's
   * `learningRate` when the user set one, else 1: on GoEmotions the embedding head's 0.2 left the linear head
   * underfitted (bench/multilabel.ts, see NGRAM_LINEAR_LEARNING_RATE in trainDefaults.ts).
   */
  linearLearningRate?: number;
}

/**
 * How classes are weighted in the loss: `none`; `balanced` (single-label: n / (K · n_c) per class; multi-label:
 * a positive weight (n − n_c) / n_c per label); or the path of a JSON file of label → weight (or
 * `{"classWeights": {...}, "posWeights": {...}}`).
 */
export type ClassWeightsOption = 'none' | 'balanced' | (string & {});

/** Everything that defines a run. Defaults are filled by the engine (`resolveTrainConfig`). */
export interface TrainConfig extends DatasetReadOptions {
  /** Path of the training JSONL (siblings validation/test are picked up). */
  dataset: string;
  /** Folder, HF cache id, hub id, `ngram`, or `scratch` (random BERT with the bundled vocabulary). */
  model: string;
  /** For a Hub id: the branch, tag, commit or `refs/pr/N` to use (default `main`). */
  revision?: string;
  mode: TrainMode;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  warmupRatio: number;
  maxLength: number;
  gradientAccumulation: number;
  maxGradNorm: number;
  /** Early stopping: epochs without validation-loss improvement before stopping; 0 = off. */
  patience: number;
  seed: number;
  /** Validation fraction when no sibling file exists (test gets the same). */
  validationSplit: number;
  /** Class weights; absent in runs made before they existed (= `none`). */
  classWeights?: ClassWeightsOption;
  lora?: { rank: number; alpha: number; dropout: number; targets: string[] };
  /**
   * Temperature scaling fitted on validation at the end of a single-label run: `temperature` (one T, the default),
   * `per-class` (one T per class) or `none`. Absent = `temperature`.
   */
  calibration?: CalibrationOption;
  /** Only for `model: 'ngram'`. */
  ngram?: Partial<NgramOptions>;
  backend: 'auto' | BackendName;
  /**
   * When `backend` cannot be loaded: true trains on the best available one and says why in the run's log (what
   * the extension's Engine: Backend setting promises); absent refuses the run (the CLI's `--backend` is a demand).
   */
  backendFallback?: boolean;
  /** Worker threads for data parallelism on single-core backends; 0 = one per core. */
  workers: number;
  /** Where runs are stored; defaults to `<dataset folder>/.classifier-workbench/runs`. */
  runsDir?: string;
}

export type CalibrationOption = 'temperature' | 'per-class' | 'none';

/** Streamed during training, about every step (throttled by the emitter). */
export interface RunProgress {
  runId: string;
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

/** Sent after each evaluation (epoch 0 = baseline before training). */
export interface EpochReport {
  runId: string;
  epoch: number;
  trainLoss: number | null;
  validation: ClassificationMetrics;
  isBest: boolean;
}

export interface RunStateChange {
  runId: string;
  state: RunStateName;
  /** Why, for failed/cancelled/interrupted. */
  message?: string;
  /** `message` worded for VS Code (settings and dialogue steps, not CLI flags), when it differs. */
  editorMessage?: string;
}

export interface LogMessage {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  /** The line worded for VS Code (its commands and settings, not the CLI's), when it differs from `message`. */
  editorMessage?: string;
  runId?: string;
}

/** What a training run emits; the RPC shell forwards these as notifications, the CLI prints them. */
export type TrainEvent =
  | ({ type: 'progress' } & RunProgress)
  | ({ type: 'epoch' } & EpochReport)
  | ({ type: 'state' } & RunStateChange)
  | ({ type: 'log' } & LogMessage)
  | { type: 'test'; runId: string; test: ClassificationMetrics };
