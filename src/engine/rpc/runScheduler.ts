/**
 * One run trains at a time; the others wait in order as `queued`. Each run trains in its own worker thread,
 * its events are relayed as they come, and cancel reaches the training loop through shared memory.
 */
import { EngineErrorCodes } from '../../protocol/errors';
import type { RunRef } from '../../protocol/runs';
import type { RunStateName, TrainEvent } from '../../protocol/train';
import { EngineError } from '../index';
import { claimRun, releaseRun } from './runOwner';
import { startWorker, type RunningWorker } from './workerRunner';
import { serializedEditorMessage } from './rpcErrors';
import type { WorkerJob } from './workerJob';

interface ScheduledRun {
  runId: string;
  runDir: string;
  job: WorkerJob & { kind: 'train' | 'resume' };
  state: RunStateName;
  worker?: RunningWorker;
  /** Resolves with the final state once the run has stopped. */
  finished: Promise<RunStateName>;
  finish: (state: RunStateName) => void;
}

export interface RunSchedulerOptions {
  /** Where run events go (the RPC server turns them into notifications). */
  onEvent: (event: TrainEvent) => void;
  /** Called for a run whose worker died without a final state, so the run folder says `interrupted`. */
  markInterrupted: (runDir: string, message: string) => Promise<void>;
  /** Called for a queued run cancelled before it started. */
  markCancelled: (runDir: string, message: string) => Promise<void>;
  log: (message: string) => void;
  /** Starts a run's worker thread (tests inject failures here). */
  startWorker?: typeof startWorker;
}

const terminal = new Set<RunStateName>(['completed', 'failed', 'cancelled', 'interrupted']);

export class RunScheduler {
  private readonly queue: ScheduledRun[] = [];
  private active: ScheduledRun | undefined;
  private stopped = false;

  private readonly startWorker: typeof startWorker;

  constructor(private readonly options: RunSchedulerOptions) {
    this.startWorker = options.startWorker ?? startWorker;
  }

  /** Queue a run; it starts at once when nothing else trains. */
  enqueue(runId: string, runDir: string, job: WorkerJob & { kind: 'train' | 'resume' }): RunRef {
    if (this.stopped) throw new EngineError(EngineErrorCodes.runState, 'The engine is shutting down; start the run again after it restarts.');
    if (this.find(runId)) throw new EngineError(EngineErrorCodes.runState, `Run ${runId} is already queued or training.`);
    let finish!: (state: RunStateName) => void;
    const finished = new Promise<RunStateName>((resolve) => (finish = resolve));
    const run: ScheduledRun = { runId, runDir, job, state: 'queued', finished, finish };
    this.queue.push(run);
    this.options.onEvent({ type: 'state', runId, state: 'queued' });
    this.pump();
    return { runId, runDir, state: run.state };
  }

  /** Queued and training runs, training first. */
  list(): RunRef[] {
    return [this.active, ...this.queue].filter((r): r is ScheduledRun => r !== undefined).map(({ runId, runDir, state }) => ({ runId, runDir, state }));
  }

  /** The run with this id or folder, if it is queued or training here. */
  find(runIdOrDir: string): RunRef | undefined {
    return this.list().find((r) => r.runId === runIdOrDir || r.runDir === runIdOrDir);
  }

  /**
   * Stop a run: a queued one leaves the queue, a training one stops at its next step (keeping
   * `checkpoints/last`). Resolves with its final state.
   * @throws EngineError(runNotFound) when the run is neither queued nor training here.
   */
  async cancel(runId: string): Promise<RunRef> {
    const queued = this.queue.findIndex((r) => r.runId === runId);
    if (queued >= 0) {
      const [run] = this.queue.splice(queued, 1);
      await this.cancelQueued(run!, 'Cancelled before it started.');
      return { runId, runDir: run!.runDir, state: 'cancelled' };
    }
    const run = this.active;
    if (!run || run.runId !== runId) throw new EngineError(EngineErrorCodes.runNotFound, `Run ${runId} is not queued or training in this engine.`);
    run.worker?.cancel();
    const state = await run.finished;
    return { runId, runDir: run.runDir, state };
  }

  /** Shutdown: empty the queue, stop the training thread now and mark its run `interrupted` (resumable). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const run of this.queue.splice(0)) await this.cancelQueued(run, 'The engine shut down before the run started.');
    const run = this.active;
    if (!run) return;
    await run.worker?.terminate();
    await run.finished;
  }

  private pump(): void {
    if (this.active || this.stopped) return;
    const run = this.queue.shift();
    if (!run) return;
    // The final state is announced only once the job has returned, so `completed` means every run file is written.
    let finalEvent: (TrainEvent & { type: 'state' }) | undefined;
    let worker: RunningWorker;
    try {
      claimRun(run.runDir);
      worker = this.startWorker(run.job, (message) => {
        if (message.type !== 'event') return;
        const { event } = message;
        if (event.type === 'state' && event.runId === run.runId) {
          run.state = event.state;
          if (terminal.has(event.state)) {
            finalEvent = event;
            return;
          }
        }
        this.options.onEvent(event);
      });
    } catch (error) {
      // No worker, so this run must not become the active one: a run that is active without a worker would keep
      // every later run queued and `stop` waiting forever.
      void this.failToStart(run, error);
      return;
    }
    this.active = run;
    run.state = 'running';
    run.worker = worker;
    void worker.outcome.then(async (outcome) => {
      try {
        if (finalEvent) {
          this.options.onEvent(finalEvent);
          run.finish(run.state);
        } else if (outcome.kind === 'done') this.settle(run, 'completed');
        else if (outcome.kind === 'error' && outcome.error.code === EngineErrorCodes.cancelled) this.settle(run, 'cancelled', outcome.error.message);
        else if (outcome.kind === 'error') this.settle(run, 'failed', outcome.error.message, serializedEditorMessage(outcome.error));
        else {
          const message = this.stopped ? 'The engine shut down while the run was training; resume it to continue.' : outcome.message;
          await this.options.markInterrupted(run.runDir, message).catch((error: unknown) => this.options.log(`could not mark ${run.runDir} interrupted: ${String(error)}`));
          this.settle(run, 'interrupted', message);
        }
        if (outcome.kind === 'error') this.options.log(`run ${run.runId}: ${outcome.error.message}`);
      } finally {
        // Whatever went wrong above, the run leaves the active slot and the queue moves on.
        run.finish(run.state);
        this.release(run);
        this.active = undefined;
        this.pump();
      }
    });
  }

  /** A run whose worker could not be started: recorded as `interrupted` (resumable), and the queue moves on. */
  private async failToStart(run: ScheduledRun, error: unknown): Promise<void> {
    const message = `The run could not start: ${error instanceof Error ? error.message : String(error)}. Resume it to try again.`;
    this.options.log(`run ${run.runId}: ${message}`);
    this.release(run);
    try {
      await this.options.markInterrupted(run.runDir, message).catch((e: unknown) => this.options.log(`could not mark ${run.runDir} interrupted: ${String(e)}`));
      this.settle(run, 'interrupted', message);
    } finally {
      run.finish(run.state);
      this.pump();
    }
  }

  private release(run: ScheduledRun): void {
    try {
      releaseRun(run.runDir);
    } catch (error) {
      this.options.log(`could not release ${run.runDir}: ${String(error)}`);
    }
  }

  private async cancelQueued(run: ScheduledRun, message: string): Promise<void> {
    await this.options.markCancelled(run.runDir, message).catch((error: unknown) => this.options.log(`could not mark ${run.runDir} cancelled: ${String(error)}`));
    this.settle(run, 'cancelled', message);
  }

  /** @param editorMessage the message worded for VS Code (settings and dialogue steps, not CLI flags), when it differs. */
  private settle(run: ScheduledRun, state: RunStateName, message?: string, editorMessage?: string): void {
    run.state = state;
    this.options.onEvent({ type: 'state', runId: run.runId, state, ...(message ? { message } : {}), ...(message && editorMessage && editorMessage !== message ? { editorMessage } : {}) });
    run.finish(state);
  }
}
