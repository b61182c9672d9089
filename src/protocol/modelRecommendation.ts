/**
 * The `model/recommend` request: which base model "Start with defaults" proposes for a dataset on this machine —
 * a local pretrained model, a recommended small Hub model (with its download size and expected training time,
 * known before anything is downloaded), or the built-in n-gram model with the reason in one line. The engine
 * decides (`src/engine/recommend/`, CLI `classifier-workbench recommend`); the extension only shows it.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { DatasetReadOptions, DatasetReport } from './dataset';
import type { EngineErrorData } from './errors';
import type { BackendName, TrainMode } from './train';

/** extension → engine: recommend the default model for one dataset file. */
export interface ModelRecommendParams extends DatasetReadOptions {
  /** Absolute path of the training file. */
  path: string;
  /** Token budget per text (`classifierWorkbench.training.maxLength`); default 128. */
  maxLength?: number;
  /** Epochs the run will train; default the engine's default for transformers (3). */
  epochs?: number;
  /** Examples per step; default the engine's default for transformers (16). */
  batchSize?: number;
  /** Fraction held out for validation and again for test when no sibling split files exist; default 0.1. */
  validationSplit?: number;
  /** The backend the run will use; default `auto`. */
  backend?: 'auto' | BackendName;
  /** Never touch the network (as HF_HUB_OFFLINE=1 does). */
  offline?: boolean;
  /** Longest wait for one Hub answer, in milliseconds; default 3000. All Hub requests together stop after 4 times that. */
  timeoutMs?: number;
  /** The longest expected training a default may take, in seconds; default 1200 (20 minutes). */
  timeBudgetSeconds?: number;
  /** What the caller's own `dataset/inspect` found (`datasetFactsOf`), so the file is not read twice; else the engine inspects it. */
  facts?: DatasetFacts;
}

/** What a recommendation needs to know of the dataset. */
export interface DatasetFacts {
  /** Usable examples in the file. */
  examples: number;
  labels: number;
  /** Mean token length of the texts (`DatasetReport.tokenLength.mean`). */
  tokensMean: number;
  /** Usable examples of each sibling split file (`DatasetReport.siblingExampleCounts`). */
  siblingExampleCounts?: Record<string, number>;
}

/** The facts of a trainable dataset's report. */
export function datasetFactsOf(report: DatasetReport): DatasetFacts {
  return {
    examples: report.exampleCount, labels: report.labels.length, tokensMean: report.tokenLength.mean,
    ...(report.siblingExampleCounts ? { siblingExampleCounts: report.siblingExampleCounts } : {}),
  };
}

/** What the recommendation was sized for: the data. */
export interface RecommendationData {
  /** Usable examples in the file. */
  examples: number;
  labels: number;
  /** Examples trained on per epoch (after the validation/test split). */
  trainExamples: number;
  /** Examples evaluated after each epoch (validation) and at the end (test). */
  evalExamples: number;
  /** Tokens per text the estimate assumes (the mean of the word-level estimate, rounded up, at most maxLength). */
  tokensPerText: number;
}

/** What the recommendation was sized for: the machine. */
export interface RecommendationMachine {
  cores: number;
  /** Bytes a run may use (half the memory, or CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB). */
  memoryBudgetBytes: number;
  backend: BackendName;
  /** Whether matrix products run natively (ONNX Runtime) on the wasm backend. */
  nativeProducts: boolean;
}

/** The expected cost of training the proposed model, before any download. */
export interface TrainingEstimate {
  /** Expected wall time of the whole run (all epochs, evaluations included), seconds. */
  seconds: number;
  epochs: number;
  /** Floating-point operations of the run (see `basis`). */
  flops: number;
  /** The matrix-product rate measured on this machine just now, GFLOP/s. */
  measuredGflops: number;
  /** Peak training memory from the model's config (models/bert/memoryEstimate.ts), bytes. */
  memoryBytes: number;
  /** One line: where the figure comes from. */
  basis: string;
}

export interface HubDownload {
  /** Bytes of the files a download fetches (config, weights, tokenizer), from the Hub's file listing. */
  bytes: number;
  files: { path: string; bytes: number }[];
  endpoint: string;
}

export interface ModelRecommendation {
  /** What goes into `TrainConfig.model`: a Hub id, a local folder, or `ngram`. */
  model: string;
  /** `hub`: a recommended Hub model (not downloaded yet); `local`: a pretrained folder found here; `builtin`: n-gram. */
  source: 'hub' | 'local' | 'builtin';
  mode: TrainMode;
  /** Why this model, in one line (for `builtin`: why not a pretrained one — offline, unreachable, too slow here). */
  reason: string;
  /** Hub models: what will be downloaded. */
  download?: HubDownload;
  /** Hub models: the expected training time. */
  estimate?: TrainingEstimate;
  data?: RecommendationData;
  machine?: RecommendationMachine;
}

/** `40 s`, `12 min`, `2.5 h`: a duration as the CLI and the defaults step show it (estimates, so rounded). */
export function describeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'an unknown time';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** `17.6 MB`, `1.2 GB`: a download size in SI units, as the Hub shows sizes. */
export function describeDownloadSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

export namespace ModelRecommend {
  export const method = 'model/recommend' as const;
  export const type = new RequestType<ModelRecommendParams, ModelRecommendation, EngineErrorData>(method);
}
