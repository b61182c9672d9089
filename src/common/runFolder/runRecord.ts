// The run-folder format, owned here for the engine (which writes it) and the extension (which reads it): where each
// file of a run folder lives, and what run.json and metrics.json hold (the layout of DESIGN.md "Runs on disk").
// Plain Node: no engine, extension, tfjs or vscode import.
import { join } from 'node:path';
import type { ClassificationMetrics } from '../../protocol/metrics';
import type { CalibrationReport, TemperatureScaling, ThresholdTarget } from '../../protocol/calibration';
import type { RunStateName, TrainConfig } from '../../protocol/train';
import type { RunOwner } from './runOwner';

/** Hugging Face's `problem_type` values for sequence classification (`config.json`). */
export type ProblemType = 'single_label_classification' | 'multi_label_classification';

/** How the splits of a run were made: sibling files, or a stratified split of one file. */
export type SplitSource =
  | { kind: 'siblings'; files: Partial<Record<'train' | 'validation' | 'test', string>> }
  | { kind: 'stratified'; file: string; seed: number; fractions: [number, number, number] };

/** What run.json records of the model a run trains (`TrainableClassifier.describe()`). */
export interface ModelDescription {
  /** `bert`, `distilbert`, `ngram`. */
  kind: string;
  /** Where it came from: folder path, hub id, `ngram`, `scratch`. */
  source: string;
  mode: string;
  parameters: number;
  trainableParameters: number;
  backend: string;
  /** Why a better backend was not used, when one was not. */
  backendNote?: string;
  /**
   * The token budget the model really uses, when it has one: the asked `maxLength` clamped to the model's
   * position embeddings. The orchestrator says so when it is lower than asked and records it in run.json.
   */
  maxLength?: number;
  /** Estimated peak training memory (BERT models), and the plan behind it in one line. */
  memory?: { estimatedBytes: number; summary: string };
}

/** One evaluated epoch, as run.json and metrics.json summarise it (epoch 0 = baseline). */
export interface EpochSummary {
  epoch: number;
  trainLoss: number | null;
  validationLoss: number;
  validationAccuracy: number;
  validationMacroF1: number;
}

/** The content of `run.json`. */
export interface RunRecord {
  runId: string;
  state: RunStateName;
  /** Why, for failed/cancelled/interrupted. */
  message?: string;
  /** `message` worded for VS Code (settings and dialogue steps, not CLI flags), when it differs. */
  editorMessage?: string;
  config: TrainConfig;
  /** The label map (index = label id), also under `dataset`; top level for readers that want only this. */
  labels: string[];
  /** The backend the model ran on (`js` for the n-gram model), once known. */
  backend: string | null;
  dataset: {
    path: string;
    fingerprint: string;
    labels: string[];
    counts: { train: number; validation: number; test: number };
    splitSource: SplitSource;
    /** One line on data lines that were skipped as unusable, when any were. */
    skippedLines?: string;
    /** Why `counts` differ from `splitSource.fractions` (stratification with classes too small to hold out), when they do. */
    splitNote?: string;
  } | null;
  model: ModelDescription | null;
  /** The process training the run while it is `running`, so a second process does not resume it too. */
  owner?: RunOwner;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Where training stands: `epoch` and `step` are the next ones to run (0-based). */
  progress: { epoch: number; step: number; stepsPerEpoch: number; epochs: number };
  best: EpochSummary | null;
  /** `multi_label_classification` when the data is multi-label; absent in older runs (= single-label). */
  problemType?: ProblemType;
  /** Which class weights the loss used (`none`, `balanced: …`, `from <file>: …`); absent in older runs (= none). */
  classWeights?: string;
  /** Multi-label runs: the decision threshold of each label (index = label id), tuned on validation at the end. */
  thresholds?: number[];
  /**
   * Single-label runs: the temperature scaling fitted on validation at the end; predict, eval and hover apply it.
   * Absent in older runs, multi-label runs and runs without validation examples (probabilities used as they are).
   */
  calibration?: TemperatureScaling;
  /**
   * The run's abstain threshold: a prediction whose (calibrated) top probability is below it is `UNCERTAIN`. Set by
   * the user from the coverage–accuracy curve (`run/setUncertaintyThreshold`); absent = the caller's default.
   */
  uncertaintyThreshold?: number;
  /**
   * Per-class abstain thresholds (index = label id), when the user picked them per class: a prediction of class c
   * is `UNCERTAIN` below `uncertaintyThresholds[c]`; they win over `uncertaintyThreshold` wherever both apply.
   */
  uncertaintyThresholds?: number[];
  /** How `uncertaintyThreshold` was chosen, e.g. `{ targetAccuracy: 0.95 }`, with the validation point it gave. */
  uncertaintyTarget?: { target: ThresholdTarget; coverage: number; accuracy: number };
  /** The test-set result of the best checkpoint, once the run completed. */
  test: { accuracy: number; macroF1: number; loss: number } | null;
  /** Runs trained elsewhere (an exported job's train.py): where and on what; absent for local runs. */
  origin?: RunOrigin;
  /** Set by `runs import` once the run's dataset fingerprint was checked against the data on this machine. */
  imported?: { from: string; at: string; fingerprint: string };
}

/** Where a run trained when it was not this engine: Hugging Face Trainer launched by accelerate (`export-job`). */
export interface RunOrigin {
  kind: 'accelerate';
  host: string;
  /** Processes (one per GPU), over `nodes` machines. */
  worldSize: number;
  nodes: number;
  /** `2 × NVIDIA H200`, `1 CPU process`. */
  devices: string;
  /** What run.json's `backend` says too, e.g. `pytorch-cuda (2 × NVIDIA H200)`. */
  backend: string;
  /** Library versions (torch, transformers, accelerate, peft). */
  versions: Record<string, string>;
}

/** Paths of the files and folders of one run. */
export function runPaths(runDir: string) {
  return {
    runJson: join(runDir, 'run.json'),
    events: join(runDir, 'events.jsonl'),
    metrics: join(runDir, 'metrics.json'),
    report: join(runDir, 'report.md'),
    lastCheckpoint: join(runDir, 'checkpoints', 'last'),
    bestCheckpoint: join(runDir, 'checkpoints', 'best'),
    predictions: (split: 'validation' | 'test') => join(runDir, 'predictions', `${split}.jsonl`),
    exportedModel: join(runDir, 'model'),
    /** The id of the engine process training the run, while it does (see src/engine/rpc/runOwner.ts). */
    enginePid: join(runDir, '.engine-pid'),
  };
}

/** Folder of the model checkpoint inside a training checkpoint (`checkpoints/{last,best}/model`). */
export function checkpointModelDir(checkpointDir: string): string {
  return join(checkpointDir, 'model');
}

/** One validation evaluation of the run (epoch 0 = baseline before training), as metrics.json lists it. */
export interface EpochEvaluation {
  epoch: number;
  trainLoss: number | null;
  validation: ClassificationMetrics;
  isBest: boolean;
}

/** The content of `metrics.json`, written when a run ends. */
export interface RunMetricsFile {
  labels: string[];
  baseline: ClassificationMetrics | null;
  baselineTest: ClassificationMetrics | null;
  epochs: EpochEvaluation[];
  bestEpoch: number | null;
  best: ClassificationMetrics | null;
  test: ClassificationMetrics | null;
  stoppedEarly: boolean;
  /** Multi-label runs: `test` used the thresholds tuned on validation (`test.multiLabel.thresholds`). */
  multiLabel?: true;
  /** Multi-label runs: the best checkpoint's validation metrics with the tuned thresholds (`best` used 0.5). */
  tunedValidation?: ClassificationMetrics;
  /** Single-label runs with validation examples: temperature scaling and its effect (ECE before/after, diagrams, coverage). */
  calibration?: CalibrationReport;
}
