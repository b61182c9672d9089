// The one definition of what the extension host and the webview pages say to each other.
// Imported by both sides (webview-ui pages and src/extension/webviews), so it holds types only: no DOM, no vscode.
import type { ClassificationMetrics } from '../../src/protocol/metrics';
import type { CalibrationReport, ThresholdTarget } from '../../src/protocol/calibration';
import type { EpochReport, RunProgress, RunStateChange, RunStateName } from '../../src/protocol/train';

export type { CalibrationReport, ThresholdTarget, ClassificationMetrics, EpochReport, RunProgress, RunStateChange, RunStateName };

/** Which evaluation split a view shows. */
export type EvalSplit = 'validation' | 'test';

/** What every page knows about the run it shows. Artifact paths stay on the host: the page only gets flags. */
export interface RunSummary {
  runId: string;
  /** The run folder; the page keeps it in its state so the panel can be restored after a reload. */
  runDir: string;
  /** Short human name (model + dataset file + start time). */
  title: string;
  state: RunStateName;
  /** Why the run failed, was cancelled or interrupted (run.json `message`). */
  message: string | null;
  backend: string | null;
  /** Parameters, trained parameters and estimated training memory (run.json `model`), when known. */
  modelSize: string | null;
  model: string;
  mode: string;
  dataset: string;
  createdAt: string | null;
  labels: string[];
  /** Hyperparameters as flat key → printable value, in the order to show them. */
  hyperparameters: Array<[string, string]>;
  hasReport: boolean;
  hasModel: boolean;
  /** Several labels per example (run.json `problemType: multi_label_classification`); absent means single-label. */
  multiLabel?: boolean;
  /** Multi-label: each label's decision threshold (index = label id), as tuned on validation. */
  thresholds?: number[];
}

/** One training step of the loss curve. */
export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
}

/** One evaluation; epoch 0 is the baseline before training. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number | null;
  validationLoss: number;
  accuracy: number;
  macroF1: number;
  isBest: boolean;
}

/** Live figures of the header; null once the run is not running. */
export interface LiveStatus {
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

/** How early stopping ended a run before its configured epochs (metrics.json `stoppedEarly`). */
export interface EarlyStop {
  /** The last epoch trained. */
  epoch: number;
  /** The epochs the run was configured for. */
  epochs: number;
  /** Epochs without improvement that stopped it. */
  patience: number;
  /** What did not improve: `validation loss`, or `validation macro F1` for a multi-label run. */
  monitored: string;
}

export interface DashboardData {
  run: RunSummary;
  /** Set when early stopping ended the run; absent or null otherwise. */
  earlyStop?: EarlyStop | null;
  /** The epochs the run was configured for, when known (a finished run's header shows "15 / 26"). */
  configuredEpochs?: number | null;
  steps: StepPoint[];
  epochs: EpochPoint[];
  live: LiveStatus | null;
  /** Validation metrics before training (epoch 0), when recorded. */
  baseline: ClassificationMetrics | null;
  /** Best validation metrics (or the last epoch's). */
  final: ClassificationMetrics | null;
  /** Test metrics with the best checkpoint, when the run finished. */
  test: ClassificationMetrics | null;
  /** The untrained model on the test split, when recorded: the test side of "before → after". */
  baselineTest: ClassificationMetrics | null;
  /** Temperature scaling and its effect (metrics.json `calibration`); absent for older or multi-label runs. */
  calibration?: CalibrationReport | null;
  /** The run's abstain threshold (run.json `uncertaintyThreshold`), when one was picked. */
  uncertaintyThreshold?: number | null;
  /** Its per-class thresholds (run.json `uncertaintyThresholds`, index = label id), when picked per class. */
  uncertaintyThresholds?: number[] | null;
}

export interface ConfusionData {
  run: RunSummary;
  split: EvalSplit;
  /** Splits that have predictions or metrics on disk. */
  splits: EvalSplit[];
  /** confusion[gold][predicted] counts, label order = run.labels. Empty for a multi-label run. */
  confusion: number[][];
  /** Multi-label runs: per label `[tn, fp, fn, tp]` of its yes/no decision (index = label id); replaces the K×K matrix. */
  labelConfusion?: LabelConfusion[];
}

/** One label's 2×2 confusion: true negatives, false positives (extra), false negatives (missed), true positives. */
export type LabelConfusion = [number, number, number, number];

/** A cell of a label's 2×2 grid that has examples to browse: predicted and given, only predicted, only given. */
export type LabelOutcome = 'tp' | 'fp' | 'fn';

/** One validation/test example as the browser shows it. `index` is its position in the split's predictions file. */
export interface ExampleRow {
  index: number;
  text: string;
  gold: number;
  predicted: number;
  confidence: number;
  loss: number;
  /** Source position (1-based line) for the jump; false when the example has no file. */
  hasSource: boolean;
  /** The most probable classes as [label id, probability], best first (up to 3; empty without probabilities). */
  top: Array<[number, number]>;
  /** Multi-label runs: the given and the predicted label ids (then `gold` and `predicted` are −1). */
  goldLabels?: number[];
  predictedLabels?: number[];
}

export interface ExampleFilter {
  /** Multi-label: a label among the given ones. */
  gold: number | null;
  /** Multi-label: a label among the predicted ones. */
  predicted: number | null;
  /** Multi-label: a given label the model did not predict. */
  missed: number | null;
  /** Multi-label: a predicted label that was not given. */
  extra: number | null;
  correctness: 'all' | 'correct' | 'incorrect';
  minConfidence: number;
  maxConfidence: number;
  search: string;
}

export type ExampleSortKey = 'index' | 'confidence' | 'loss';

export interface ExamplesData {
  run: RunSummary;
  split: EvalSplit;
  splits: EvalSplit[];
  rows: ExampleRow[];
}

/** One run in the comparison. */
export interface CompareRun {
  run: RunSummary;
  epochs: EpochPoint[];
  final: ClassificationMetrics | null;
  test: ClassificationMetrics | null;
}

export interface CompareData {
  runs: CompareRun[];
}

/** Host → page. */
export type HostMessage =
  | { type: 'dashboard/init'; data: DashboardData }
  | { type: 'run/progress'; progress: RunProgress }
  | { type: 'run/epoch'; report: EpochReport }
  | { type: 'run/state'; change: RunStateChange }
  | { type: 'run/test'; runId: string; test: ClassificationMetrics }
  | { type: 'confusion/init'; data: ConfusionData }
  | { type: 'examples/init'; data: ExamplesData; filter: Partial<ExampleFilter> | null }
  | { type: 'examples/filter'; filter: Partial<ExampleFilter> }
  | { type: 'compare/init'; data: CompareData }
  /** Dashboard: the run's abstain threshold is now `threshold` (and the setting too, when `setting`). */
  | { type: 'dashboard/uncertainty'; runId: string; threshold: number; perClass?: number[]; setting: boolean }
  | { type: 'error'; message: string };

/** Page → host. Every one is validated by the host before use (src/extension/webviews/parsePageMessage.ts). */
export type PageMessage =
  /** The page's script is running and wants its data. */
  | { type: 'ready' }
  /** Dashboard Stop button. */
  | { type: 'stopRun'; runId: string }
  /** Open the run's report.md or reveal its exported model folder. */
  | { type: 'openArtifact'; runId: string; artifact: 'report' | 'model' }
  /** Misclassified browser: open the example's source JSONL at its line, text selected. */
  | { type: 'openExample'; runId: string; split: EvalSplit; index: number }
  /** Confusion matrix cell click: open the browser filtered to this (gold, predicted) pair. */
  | { type: 'openMisclassified'; runId: string; split: EvalSplit; gold: number; predicted: number }
  /** Multi-label 2×2 grid cell click: open the browser filtered to the examples of one label's outcome. */
  | { type: 'openLabelOutcome'; runId: string; split: EvalSplit; label: number; outcome: LabelOutcome }
  /** Switch the split a confusion matrix or browser shows. */
  | { type: 'selectSplit'; split: EvalSplit }
  /** Run comparison: ask the host to let the user pick runs again. */
  | { type: 'pickRuns' }
  /**
   * Dashboard: make `threshold` the run's abstain (UNCERTAIN) threshold, picked for `target` on validation; with
   * `perClass`, one threshold per predicted class (index = label id), `threshold` staying the fallback.
   */
  | { type: 'setUncertaintyThreshold'; runId: string; threshold: number; target: ThresholdTarget; coverage: number; accuracy: number; perClass?: number[] };

export type PageMessageType = PageMessage['type'];

/** What a page keeps with `setState` so the serializer can bring it back after a reload. */
export interface PanelState {
  /** Host-side identity of what the panel shows (run folders); the host validates it on revive. */
  runDirs: string[];
  split?: EvalSplit;
  /** Page-local view settings (sort, filters, zoom, scroll), opaque to the host. */
  view?: Record<string, unknown>;
}
