/**
 * The RPC-thread side of long jobs: starts a worker thread running the engine entry itself (the bundle is
 * one file), relays its messages, and cancels it through shared memory.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createCancelFlag, raiseCancelFlag } from './sharedAbortSignal';
import { workerRole, type WorkerData, type WorkerJob, type WorkerMessage } from './workerJob';
import type { SerializedEngineError } from './rpcErrors';

/** How long a worker may keep running after it reported its result. */
const lingerMs = 2000;

/** How a worker ended: its result, its error, or it died (terminated, out of memory, native crash). */
export type WorkerOutcome =
  | { kind: 'done'; result: unknown }
  | { kind: 'error'; error: SerializedEngineError }
  | { kind: 'died'; message: string };

export interface RunningWorker {
  readonly outcome: Promise<WorkerOutcome>;
  /** Ask the job to stop at its next check (within one training step). */
  cancel(): void;
  /** Stop the thread now, wherever it is. */
  terminate(): Promise<void>;
}

/**
 * A new thread running the engine's own entry file (dist/engine.js in the bundle) with `workerData`. Sources run
 * under tsx (tests, development), whose hooks worker threads do not inherit, so the thread registers them itself.
 * Its stdout goes to stderr: it must not reach the JSON-RPC stream.
 * @param resourceLimits caps on the thread's V8 heap: past them the thread dies with ERR_WORKER_OUT_OF_MEMORY and
 * the process lives on.
 */
export function spawnEngineThread(workerData: WorkerData, resourceLimits?: ResourceLimits): Worker {
  const entry = process.argv[1]!;
  const options = { workerData, stdout: true, ...(resourceLimits ? { resourceLimits } : {}) };
  const worker = entry.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, ...options })
    : new Worker(entry, options);
  worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return worker;
}

/**
 * Starts `job` in a new worker thread.
 * @param onMessage receives the job's events in order (not `done`/`error`, which settle `outcome`).
 */
export function startWorker(job: WorkerJob, onMessage: (message: WorkerMessage) => void): RunningWorker {
  const cancelFlag = createCancelFlag();
  const worker = spawnEngineThread({ role: workerRole, job, cancelFlag });
  let settled: WorkerOutcome | undefined;
  const outcome = new Promise<WorkerOutcome>((resolve) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done' || message.type === 'error') {
        settled = message.type === 'done' ? { kind: 'done', result: message.result } : { kind: 'error', error: message.error };
        resolve(settled);
        // The job has returned and written everything; a handle left open (a stray timer, a pool thread) must not
        // keep the thread, and with it the run queue, alive.
        setTimeout(() => void worker.terminate(), lingerMs).unref();
      } else {
        onMessage(message);
      }
    });
    worker.on('error', (error) => {
      settled ??= { kind: 'died', message: `The training thread crashed: ${error.message}` };
    });
    worker.on('exit', (code) => {
      resolve(settled ?? { kind: 'died', message: `The training thread stopped (exit code ${code}).` });
    });
  });
  return {
    outcome,
    cancel: () => raiseCancelFlag(cancelFlag),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
