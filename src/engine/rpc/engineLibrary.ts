/**
 * The engine library as the RPC shell sees it: every capability the server forwards to, in one interface.
 * `libraryBinding.ts` binds it to the real library; tests of the shell can bind it to a tiny stand-in.
 */
import type { DatasetInspectParams } from '../../protocol/datasetInspect';
import type { DatasetReport } from '../../protocol/dataset';
import type { LabelIssuesFindParams } from '../../protocol/labelIssues';
import type { SuggestLabelsParams, SuggestLabelsResult } from '../../protocol/activeLearning';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import type { ModelExportResult } from '../../protocol/model';
import type { RunSetUncertaintyThresholdParams, RunSummary, TrainConfigInput } from '../../protocol/runs';
import type { ModelRecommendParams, ModelRecommendation } from '../../protocol/modelRecommendation';
import type { JobExportParams, JobExportResult, RunImportParams, RunImportResult } from '../../protocol/remoteJob';
import type { BackendName, RunStateName, TrainEvent } from '../../protocol/train';
import type { ExportRunOptions, OutOfFoldProgress } from '../index';

/** A loaded model that answers `model/predict`. */
export interface ActivePredictor {
  /** The label map, index = label id. */
  readonly labels: readonly string[];
  /** Class probabilities, row-major `[texts.length × K]`. */
  predictProbs(texts: readonly string[]): Promise<Float32Array>;
  /** Multi-label models: the decision threshold of each label. */
  readonly thresholds?: readonly number[];
  /** A run's abstain threshold, and its per-class thresholds (index = label id), when the user picked them. */
  readonly uncertaintyThreshold?: number;
  readonly uncertaintyThresholds?: readonly number[];
  dispose?(): void;
}

/** What a training job gets: cancellation (checked every step) and where its events go. */
export interface RunJobOptions {
  signal: AbortSignal;
  onEvent: (event: TrainEvent) => void;
}

export interface EngineLibrary {
  readonly engineVersion: string;
  readonly modelKinds: string[];
  readonly modes: string[];
  /** Select the backend predictions use in this process (falling back to the best available one, with a note). */
  selectBackend(requested: 'auto' | BackendName): Promise<{ name: BackendName | 'none'; note?: string }>;
  /**
   * Fill defaults and pick the id and folder of a new run, without training (so `run/start` answers at once).
   * `onEvent` receives notes such as which default model was chosen.
   */
  prepareRun(config: TrainConfigInput, onEvent: (event: TrainEvent) => void): Promise<{ runId: string; runDir: string }>;
  /** Train a run `prepareRun` made to its end (completed, cancelled, failed), streaming events; its config is not resolved again. */
  trainPreparedRun(runDir: string, options: RunJobOptions): Promise<unknown>;
  /** Continue a run from `checkpoints/last`. */
  resumeRun(runDir: string, options: RunJobOptions): Promise<unknown>;
  /** A run's state, its config, and whether `checkpoints/last` exists (else it never trained a step). */
  readRunState(runDir: string): Promise<{ runId: string; state: RunStateName; config: TrainConfigInput; hasCheckpoint: boolean }>;
  listRuns(runsDir: string): Promise<RunSummary[]>;
  deleteRun(runDir: string): Promise<void>;
  setUncertaintyThreshold(runDir: string, threshold: number, target?: RunSetUncertaintyThresholdParams['target'], perClass?: readonly number[]): Promise<unknown>;
  /** Record on disk that a run stopped without finishing (the engine died or shut down). */
  markInterrupted(runDir: string, message: string): Promise<void>;
  /** Record on disk that a queued run was cancelled before it started. */
  markCancelled(runDir: string, message: string): Promise<void>;
  loadPredictor(path: string): Promise<ActivePredictor>;
  /** `exportRun`: the run's model folder, with `options.onnx` also its ONNX model(s). */
  exportModel(runDir: string, outDir?: string, options?: ExportRunOptions): Promise<ModelExportResult>;
  inspectDataset(params: DatasetInspectParams, signal: AbortSignal): Promise<DatasetReport>;
  /** The default model for a dataset here: local, a recommended Hub model (size and time, nothing downloaded), or n-gram with why. */
  recommendModel(params: ModelRecommendParams, signal: AbortSignal): Promise<ModelRecommendation>;
  findLabelIssues(params: LabelIssuesFindParams, options: { signal: AbortSignal; onProgress: (progress: OutOfFoldProgress) => void }): Promise<LabelIssueReport>;
  /** The unlabeled lines to label next (active learning). */
  suggestLabels(params: SuggestLabelsParams, signal: AbortSignal): Promise<SuggestLabelsResult>;
  /** Write the run `config` describes as a Trainer + accelerate job folder (`export-job`). */
  exportJob(params: JobExportParams): Promise<JobExportResult>;
  /** Check a run folder trained elsewhere against the data here and make it a run (`runs import`). */
  importRun(params: RunImportParams): Promise<RunImportResult>;
}
