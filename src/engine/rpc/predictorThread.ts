/**
 * The active model lives in its own worker thread, with a cap on its heap: loading a model folder runs code driven
 * by untrusted files (`config.json` sizes, `tokenizer.json`), and a failure there (an out-of-memory abort, a crash)
 * must end that thread, not the engine process and the training run it serves. The RPC thread keeps only a
 * handle: `ready` (the labels once loaded), `predict` (probabilities by message), `dispose`.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import type { BackendName } from '../../protocol/train';
import type { EngineLibrary } from './engineLibrary';
import { serializeError, type SerializedEngineError } from './rpcErrors';
import { createCancelFlag } from './sharedAbortSignal';
import { workerRole } from './workerJob';
import { spawnEngineThread } from './workerRunner';

/** The job a predictor thread is started with. */
export interface PredictorJob {
  kind: 'predictor';
  path: string;
  backend: 'auto' | BackendName;
}

/** RPC thread → predictor thread. */
type PredictorRequest = { type: 'predict'; id: number; texts: readonly string[] } | { type: 'dispose' };

/** Predictor thread → RPC thread. */
type PredictorReply =
  | ({ type: 'ready' } & PredictorModelInfo)
  | { type: 'loadFailed'; error: SerializedEngineError }
  | { type: 'predictions'; id: number; probs: Float32Array }
  | { type: 'predictFailed'; id: number; error: SerializedEngineError };

/**
 * Heap cap of a predictor thread, in MiB. Weights and tensors live outside the V8 heap (ArrayBuffers, wasm memory);
 * the heap holds the tokenizer's vocabulary and the label map, well under this for real models (a 250k-token
 * XLM-R vocabulary takes a few hundred MiB).
 */
export const defaultPredictorHeapMb = 1536;

/** What a loaded model is: its labels, multi-label its per-label decision thresholds, and a run's abstain threshold(s). */
export interface PredictorModelInfo {
  labels: string[];
  thresholds?: number[];
  uncertaintyThreshold?: number;
  uncertaintyThresholds?: number[];
}

/** Why a predictor thread failed: an engine error from its code, or the thread itself died. */
export type PredictorFailure = { kind: 'error'; error: SerializedEngineError } | { kind: 'died'; message: string };

export interface PredictorThread {
  /** The model's labels (and thresholds) once loaded; rejects with a `PredictorFailure`. */
  readonly ready: Promise<PredictorModelInfo>;
  /** Class probabilities, row-major `[texts.length × K]`; rejects with a `PredictorFailure`. */
  predict(texts: readonly string[]): Promise<Float32Array>;
  /** Called once if the thread dies after it was ready (out of memory while predicting, a crash). */
  onDeath(listener: (message: string) => void): void;
  /** Releases the model and ends the thread. */
  dispose(): void;
}

/** Describes how a thread ended, in words a user can act on. */
function deathMessage(error: Error | undefined, code: number, heapMb: number): string {
  if ((error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `the model needed more than ${heapMb} MiB of memory to load or run; check the sizes in its config.json and tokenizer files`;
  }
  return error ? `the model's thread crashed (${error.message})` : `the model's thread stopped (exit code ${code})`;
}

/** Starts a thread that loads the model at `path` with the `backend` chosen at `initialize`. */
export function startPredictorThread(path: string, backend: 'auto' | BackendName, heapMb = defaultPredictorHeapMb): PredictorThread {
  const job: PredictorJob = { kind: 'predictor', path, backend };
  const worker: Worker = spawnEngineThread({ role: workerRole, job, cancelFlag: createCancelFlag() }, { maxOldGenerationSizeMb: heapMb });
  const pending = new Map<number, { resolve: (probs: Float32Array) => void; reject: (failure: PredictorFailure) => void }>();
  let nextId = 0;
  let dead: string | undefined;
  let disposed = false;
  let deathListener: ((message: string) => void) | undefined;
  let resolveReady!: (info: PredictorModelInfo) => void;
  let rejectReady!: (failure: PredictorFailure) => void;
  let isReady = false;
  const ready = new Promise<PredictorModelInfo>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A caller that never awaits `ready` (a load overtaken by a later one) must not leave an unhandled rejection.
  ready.catch(() => undefined);

  let lastError: Error | undefined;
  worker.on('error', (error) => (lastError = error));
  worker.on('message', (reply: PredictorReply) => {
    if (reply.type === 'ready') {
      isReady = true;
      const { type: _ready, ...info } = reply;
      void _ready;
      resolveReady(info);
    } else if (reply.type === 'loadFailed') {
      rejectReady({ kind: 'error', error: reply.error });
      void worker.terminate();
    } else {
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.type === 'predictions') request?.resolve(reply.probs);
      else request?.reject({ kind: 'error', error: reply.error });
    }
  });
  worker.on('exit', (code) => {
    dead = deathMessage(lastError, code, heapMb);
    rejectReady({ kind: 'died', message: dead });
    for (const request of pending.values()) request.reject({ kind: 'died', message: dead });
    pending.clear();
    if (isReady && !disposed) deathListener?.(dead);
  });

  return {
    ready,
    predict: (texts) => {
      if (dead) return Promise.reject({ kind: 'died', message: dead } satisfies PredictorFailure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'predict', id, texts } satisfies PredictorRequest);
      });
    },
    onDeath: (listener) => (deathListener = listener),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (!dead) worker.postMessage({ type: 'dispose' } satisfies PredictorRequest);
      // A thread that does not end by itself (a stuck load) is stopped.
      setTimeout(() => void worker.terminate(), 2000).unref();
    },
  };
}

/** The thread side: loads the model, says `ready`, then answers `predict` until `dispose`. */
export async function servePredictor(job: PredictorJob, port: MessagePort, library: EngineLibrary): Promise<void> {
  const post = (reply: PredictorReply) => port.postMessage(reply);
  let predictor: Awaited<ReturnType<EngineLibrary['loadPredictor']>>;
  try {
    await library.selectBackend(job.backend);
    predictor = await library.loadPredictor(job.path);
  } catch (error) {
    post({ type: 'loadFailed', error: serializeError(error) });
    return;
  }
  port.on('message', (request: PredictorRequest) => {
    if (request.type === 'dispose') {
      predictor.dispose?.();
      port.close();
      return;
    }
    predictor.predictProbs(request.texts).then(
      (probs) => post({ type: 'predictions', id: request.id, probs }),
      (error: unknown) => post({ type: 'predictFailed', id: request.id, error: serializeError(error) }),
    );
  });
  post({
    type: 'ready', labels: [...predictor.labels],
    ...(predictor.thresholds ? { thresholds: [...predictor.thresholds] } : {}),
    ...(predictor.uncertaintyThreshold !== undefined ? { uncertaintyThreshold: predictor.uncertaintyThreshold } : {}),
    ...(predictor.uncertaintyThresholds ? { uncertaintyThresholds: [...predictor.uncertaintyThresholds] } : {}),
  });
}
