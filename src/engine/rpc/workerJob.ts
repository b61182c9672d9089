/**
 * The worker-thread side of long jobs (training, resuming, label-issue detection, suggestions to label): runs one job with the engine
 * library, streams its events to the RPC thread and reports the result. Training here keeps the RPC thread
 * free, so `model/predict` answers while a run trains.
 */
import { setPriority } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import type { OutOfFoldProgress } from '../index';
import type { LabelIssuesFindParams } from '../../protocol/labelIssues';
import type { SuggestLabelsParams } from '../../protocol/activeLearning';
import type { TrainEvent } from '../../protocol/train';
import type { EngineLibrary } from './engineLibrary';
import { serializeError, type SerializedEngineError } from './rpcErrors';
import { signalFromCancelFlag } from './sharedAbortSignal';
import { servePredictor, type PredictorJob } from './predictorThread';

export type WorkerJob =
  | { kind: 'train'; runId: string; runDir: string }
  | { kind: 'resume'; runId: string; runDir: string }
  | { kind: 'labelIssues'; params: LabelIssuesFindParams }
  | { kind: 'suggest'; params: SuggestLabelsParams }
  | PredictorJob;

/** What a worker posts back, in order: any number of events, then exactly one `done` or `error`. */
export type WorkerMessage =
  | { type: 'event'; event: TrainEvent }
  | { type: 'labelIssuesProgress'; progress: OutOfFoldProgress }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: SerializedEngineError };

/** Nice value of job threads: the RPC thread (predictions for hover) must win the CPU over training. */
const jobThreadNice = 10;

/**
 * On Linux, priority is per thread and `os.setPriority(0, n)` changes only the calling thread; threads it
 * starts later (data-parallel training workers) inherit it. Elsewhere it may affect the whole process, which
 * would slow predictions too, so it is skipped there.
 */
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, jobThreadNice);
  } catch {
    // Not allowed in some sandboxes: training still works, predictions just compete for the CPU.
  }
}

/** Marks a worker started by the RPC server (main.ts dispatches on it). */
export const workerRole = 'classifier-workbench-engine-worker';

export interface WorkerData {
  role: typeof workerRole;
  job: WorkerJob;
  cancelFlag: Int32Array;
}

/** Runs `data.job` with `library` to the end and posts its events and result on `port`. */
export async function runWorkerJob(data: WorkerData, port: MessagePort, library: EngineLibrary): Promise<void> {
  if (data.job.kind === 'predictor') return servePredictor(data.job, port, library);
  lowerThreadPriority();
  const post = (message: WorkerMessage) => port.postMessage(message);
  const { signal, dispose } = signalFromCancelFlag(data.cancelFlag);
  const onEvent = (event: TrainEvent) => post({ type: 'event', event });
  try {
    const { job } = data;
    let result: unknown;
    if (job.kind === 'train') result = await library.trainPreparedRun(job.runDir, { signal, onEvent });
    else if (job.kind === 'resume') result = await library.resumeRun(job.runDir, { signal, onEvent });
    else if (job.kind === 'suggest') result = await library.suggestLabels(job.params, signal);
    else if (job.kind === 'labelIssues') result = await library.findLabelIssues(job.params, { signal, onProgress: (progress) => post({ type: 'labelIssuesProgress', progress }) });
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  } finally {
    dispose();
  }
}
