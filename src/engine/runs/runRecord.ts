// What run.json holds, and where each file of a run folder lives (the layout of DESIGN.md "Runs on disk").
import { join } from 'node:path';
import type { DatasetSplits } from '../data/example';
import type { RunStateName, TrainConfig } from '../../protocol/train';
import type { ModelDescription } from '../classifier/trainableClassifier';
import type { RunOwner } from './runOwner';
import type { ProblemType } from '../models/nn/classificationObjective';

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
    splitSource: DatasetSplits['splitSource'];
    /** One line on data lines that were skipped as unusable, when any were. */
    skippedLines?: string;
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
  /** The test-set result of the best checkpoint, once the run completed. */
  test: { accuracy: number; macroF1: number; loss: number } | null;
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
  };
}

/** Folder of the model checkpoint inside a training checkpoint (`checkpoints/{last,best}/model`). */
export function checkpointModelDir(checkpointDir: string): string {
  return join(checkpointDir, 'model');
}
