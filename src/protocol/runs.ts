/**
 * Run messages: start, cancel, resume, list and delete training runs, and the notifications a run streams
 * while it trains. Payloads reuse the types of train.ts and metrics.ts.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { ThresholdTarget } from './calibration';
import type { EngineErrorData } from './errors';
import type { ClassificationMetrics } from './metrics';
import type { EpochReport, RunProgress, RunStateChange, RunStateName, TrainConfig } from './train';

/** What a caller may set in `run/start`: the dataset is required, everything else has an engine default. */
export type TrainConfigInput = Partial<TrainConfig> & { dataset: string };

/** Which run, where: every run request after `run/start` names the run folder. */
export interface RunRef {
  runId: string;
  /** Absolute path of `<runsDir>/<runId>`. */
  runDir: string;
  state: RunStateName;
}

/** One run as `run/list` shows it: what the Runs tree needs without reading the run folder itself. */
export interface RunSummary extends RunRef {
  /** The dataset and model the run trains (from run.json), when run.json exists. */
  dataset?: string;
  model?: string;
  mode?: string;
  /** ISO time the run was created. */
  createdAt?: string;
  /** Why, for failed/cancelled/interrupted. */
  message?: string;
  /** Best validation accuracy / macro F1 so far, when at least one epoch was evaluated. */
  bestAccuracy?: number;
  bestMacroF1?: number;
}

/** extension → engine: queue a run; resolves as soon as it is queued (or running), not when it ends. */
export interface RunStartParams {
  config: TrainConfigInput;
}
export namespace RunStart {
  export const method = 'run/start' as const;
  export const type = new RequestType<RunStartParams, RunRef, EngineErrorData>(method);
}

/** extension → engine: stop a queued or running run; it ends `cancelled` with `checkpoints/last` kept. */
export interface RunCancelParams {
  runId: string;
}
export namespace RunCancel {
  export const method = 'run/cancel' as const;
  /** Resolves once the run has stopped (within one training step) with its final state. */
  export const type = new RequestType<RunCancelParams, RunRef, EngineErrorData>(method);
}

/** extension → engine: continue a cancelled, interrupted or failed run from `checkpoints/last`. */
export interface RunResumeParams {
  runDir: string;
}
export namespace RunResume {
  export const method = 'run/resume' as const;
  /** Resolves when the run is queued again, like `run/start`. */
  export const type = new RequestType<RunResumeParams, RunRef, EngineErrorData>(method);
}

/** extension → engine: every run in a runs folder, plus runs queued in this engine. */
export interface RunListParams {
  runsDir: string;
}
export namespace RunList {
  export const method = 'run/list' as const;
  export const type = new RequestType<RunListParams, RunSummary[], EngineErrorData>(method);
}

/** extension → engine: delete a run folder; refused (`runState`) while the run is queued or running. */
export interface RunDeleteParams {
  runDir: string;
}
export namespace RunDelete {
  export const method = 'run/delete' as const;
  export const type = new RequestType<RunDeleteParams, void, EngineErrorData>(method);
}

/** extension → engine: set a finished run's abstain (`UNCERTAIN`) threshold, picked from its coverage–accuracy curve. */
export interface RunSetUncertaintyThresholdParams {
  runDir: string;
  threshold: number;
  /** How it was picked (target accuracy or coverage) and the validation point it gave. */
  target?: { target: ThresholdTarget; coverage: number; accuracy: number };
  /** Per-class thresholds (index = label id), picked per predicted class; `threshold` stays the global fallback. */
  perClass?: number[];
}
export namespace RunSetUncertaintyThreshold {
  export const method = 'run/setUncertaintyThreshold' as const;
  export const type = new RequestType<RunSetUncertaintyThresholdParams, void, EngineErrorData>(method);
}

export namespace RunProgressNotification {
  export const method = 'run/progress' as const;
  /** engine → extension: about every training step (step, epoch, loss, lr, samples/s, ETA). */
  export const type = new NotificationType<RunProgress>(method);
}

export namespace RunEpochNotification {
  export const method = 'run/epoch' as const;
  /** engine → extension: validation metrics after each epoch (epoch 0 = baseline). */
  export const type = new NotificationType<EpochReport>(method);
}

export namespace RunStateNotification {
  export const method = 'run/state' as const;
  /** engine → extension: a run changed state (queued, running, completed, failed, cancelled, interrupted). */
  export const type = new NotificationType<RunStateChange>(method);
}

/** The test-set evaluation of the best checkpoint, once at the end of a run. */
export interface RunTestReport {
  runId: string;
  test: ClassificationMetrics;
}
export namespace RunTestNotification {
  export const method = 'run/test' as const;
  /** engine → extension: test-set metrics of the best checkpoint, once, just before `completed`. */
  export const type = new NotificationType<RunTestReport>(method);
}
