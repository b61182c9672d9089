import type { ThresholdTarget } from '../../protocol/calibration';
// What the webview panels need from the rest of the extension, supplied by activate, so the
// panels never reach into the engine client or the trees directly.

export interface WebviewServices {
  /** Stop a running run (dashboard Stop button); the run's state change arrives later as a TrainEvent. */
  stopRun(runId: string): Promise<void>;
  /**
   * Make `threshold` the run's abstain threshold (written by the engine into run.json) and, when the run is the
   * active model, the `classifierWorkbench.uncertaintyThreshold` setting; resolves with whether the setting changed.
   * `perClass` (one per label) are per-class thresholds the engine keeps beside it (hovers read them from the model).
   */
  setUncertaintyThreshold(runDir: string, threshold: number, target: { target: ThresholdTarget; coverage: number; accuracy: number }, perClass?: number[]): Promise<{ setting: boolean }>;
  /** Let the user pick two or more run folders to compare, starting with `selected` ticked; undefined when cancelled. */
  pickRunDirs(selected: readonly string[]): Promise<string[] | undefined>;
  /** Append a line to the extension's log (rejected messages, load failures). */
  log(message: string): void;
}
