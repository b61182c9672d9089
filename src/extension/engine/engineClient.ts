/**
 * The extension's handle on the engine: starts it lazily on first request, offers typed requests and events,
 * notices when it dies (runs in flight become `interrupted`), restarts it on next use with back-off, and
 * shuts it down on dispose. No `vscode` import, so it runs under plain Node in tests.
 */
import { JobExport, RunImport, type JobExportParams, type JobExportResult, type RunImportParams, type RunImportResult } from '../../protocol/remoteJob';
import { CancellationToken, Emitter, ResponseError, type Event, type MessageConnection, type RequestType } from 'vscode-jsonrpc/node';
import { EngineCrashed, Exit, Initialize, Log, PROTOCOL_VERSION, Shutdown, type InitializeResult, type InterruptedRunRef } from '../../protocol/engine';
import type { DatasetReport } from '../../protocol/dataset';
import { DatasetInspect, type DatasetInspectParams } from '../../protocol/datasetInspect';
import { EngineErrorCodes, type EngineErrorData } from '../../protocol/errors';
import { SuggestLabels, type SuggestLabelsParams, type SuggestLabelsResult } from '../../protocol/activeLearning';
import { LabelIssuesFind, LabelIssuesProgressNotification, type LabelIssuesFindParams, type LabelIssuesProgress } from '../../protocol/labelIssues';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import {
  ModelExport, ModelPredict, ModelSetActive,
  type ActiveModelInfo, type ModelExportParams, type ModelExportResult, type ModelPredictParams, type ModelPredictResult,
} from '../../protocol/model';
import {
  RunCancel, RunDelete, RunSetUncertaintyThreshold, type RunSetUncertaintyThresholdParams, RunEpochNotification, RunList, RunProgressNotification, RunResume, RunStart, RunStateNotification, RunTestNotification,
  type RunRef, type RunSummary, type RunTestReport, type TrainConfigInput,
} from '../../protocol/runs';
import type { BackendName, EpochReport, LogMessage, RunProgress, RunStateChange } from '../../protocol/train';
import { startEngineProcess, type EngineExit, type EngineProcess, type EngineProcessOptions } from './engineProcess';
import type { OutputSink } from './outputSink';
import { RestartPolicy, type RestartPolicyOptions } from './restartPolicy';

export interface EngineClientOptions {
  process: EngineProcessOptions;
  output: OutputSink;
  /** Sent in `initialize`, for the engine's log. Default `vscode`. */
  clientName?: string;
  restart?: RestartPolicyOptions;
  /** The backend for predictions, read at each (re)start (the `engine.backend` setting). Default `auto`. */
  backend?: () => 'auto' | BackendName;
  /** How long `dispose` waits for a polite shutdown before killing. Default 3 s. */
  shutdownTimeoutMs?: number;
}

/** The engine died while the client did not ask it to. */
export interface EngineCrash {
  exit: EngineExit;
  /** Runs that were queued or training; they are reported `interrupted` and marked so on disk at the next start. */
  interruptedRuns: InterruptedRunRef[];
  /** False once the restart budget is spent: the user must restart it explicitly. */
  willRestart: boolean;
  message: string;
}

/** Thrown by requests when the engine cannot be (re)started: disposed, or it kept crashing. */
export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

const terminalStates = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

export class EngineClient {
  private readonly progressEmitter = new Emitter<RunProgress>();
  private readonly epochEmitter = new Emitter<EpochReport>();
  private readonly runStateEmitter = new Emitter<RunStateChange>();
  private readonly testEmitter = new Emitter<RunTestReport>();
  private readonly logEmitter = new Emitter<LogMessage>();
  private readonly crashEmitter = new Emitter<EngineCrash>();
  private readonly readyEmitter = new Emitter<InitializeResult>();
  private readonly labelIssuesProgressEmitter = new Emitter<LabelIssuesProgress>();

  /** `run/progress` from the engine, about every step. */
  readonly onProgress: Event<RunProgress> = this.progressEmitter.event;
  /** `run/epoch`: validation metrics after each epoch. */
  readonly onEpoch: Event<EpochReport> = this.epochEmitter.event;
  /** `run/state`, plus `interrupted` for runs in flight when the engine dies. */
  readonly onRunState: Event<RunStateChange> = this.runStateEmitter.event;
  readonly onRunTest: Event<RunTestReport> = this.testEmitter.event;
  readonly onLog: Event<LogMessage> = this.logEmitter.event;
  /** The engine died unexpectedly (the UI offers "Show log" / "Restart engine"). */
  readonly onCrash: Event<EngineCrash> = this.crashEmitter.event;
  /** An engine process finished its handshake (first start or restart). */
  readonly onReady: Event<InitializeResult> = this.readyEmitter.event;

  private readonly policy: RestartPolicy;
  private engine: EngineProcess | undefined;
  private started: Promise<{ connection: MessageConnection; info: InitializeResult }> | undefined;
  /** Runs queued or training in the current engine: runId → runDir. */
  private readonly inFlight = new Map<string, string>();
  /** Runs the last engine left behind, handed to the next one in `initialize`. */
  private pendingInterrupted: InterruptedRunRef[] = [];
  private hasCrashed = false;
  private gaveUp = false;
  private disposed = false;
  private stderrRest = '';
  /** Set while `stop` runs: the exit it causes is not a crash. */
  private stopping = false;

  constructor(private readonly options: EngineClientOptions) {
    this.policy = new RestartPolicy(options.restart);
  }

  /** The handshake result of the running engine, if one is running. */
  async info(): Promise<InitializeResult> {
    return (await this.ensureStarted()).info;
  }

  /** The engine's process id while one runs (for the log and for tests that kill it). */
  get pid(): number | undefined {
    return this.engine?.pid;
  }

  /** Whether an engine process is currently alive. */
  get isRunning(): boolean {
    return this.engine !== undefined;
  }

  /** Sends a typed request, starting (or restarting) the engine first if needed. */
  async request<P, R>(type: RequestType<P, R, EngineErrorData>, params: P, token?: CancellationToken): Promise<R> {
    const { connection } = await this.ensureStarted();
    return connection.sendRequest(type, params, token ?? CancellationToken.None);
  }

  /** Queue a training run; resolves when it is queued, with its id and folder. */
  async startRun(config: TrainConfigInput): Promise<RunRef> {
    return this.track(await this.request(RunStart.type, { config }));
  }

  /** Continue a cancelled, interrupted or failed run from its last checkpoint. */
  async resumeRun(runDir: string): Promise<RunRef> {
    return this.track(await this.request(RunResume.type, { runDir }));
  }

  /** Stop a run; resolves once it has stopped, with its final state. */
  cancelRun(runId: string): Promise<RunRef> {
    return this.request(RunCancel.type, { runId });
  }

  listRuns(runsDir: string): Promise<RunSummary[]> {
    return this.request(RunList.type, { runsDir });
  }

  deleteRun(runDir: string): Promise<void> {
    return this.request(RunDelete.type, { runDir });
  }

  setUncertaintyThreshold(params: RunSetUncertaintyThresholdParams): Promise<void> {
    return this.request(RunSetUncertaintyThreshold.type, params);
  }

  setActiveModel(path: string): Promise<ActiveModelInfo> {
    return this.request(ModelSetActive.type, { path });
  }

  predict(params: ModelPredictParams, token?: CancellationToken): Promise<ModelPredictResult> {
    return this.request(ModelPredict.type, params, token);
  }

  exportModel(params: ModelExportParams): Promise<ModelExportResult> {
    return this.request(ModelExport.type, params);
  }

  inspectDataset(params: DatasetInspectParams): Promise<DatasetReport> {
    return this.request(DatasetInspect.type, params);
  }

  /** k-fold label-issue detection in the engine's worker; cancel with `token`. */
  findLabelIssues(params: LabelIssuesFindParams, token?: CancellationToken): Promise<LabelIssueReport> {
    return this.request(LabelIssuesFind.type, params, token);
  }

  /** The unlabeled lines to label next, ranked in the engine's worker; cancel with `token`. */
  suggestLabels(params: SuggestLabelsParams, token?: CancellationToken): Promise<SuggestLabelsResult> {
    return this.request(SuggestLabels.type, params, token);
  }

  /** Write the run `config` describes as a Hugging Face Trainer + accelerate job folder. */
  exportJob(params: JobExportParams): Promise<JobExportResult> {
    return this.request(JobExport.type, params);
  }

  /** Check a run folder trained elsewhere against the data here and make it a run of the runs folder. */
  importRun(params: RunImportParams): Promise<RunImportResult> {
    return this.request(RunImport.type, params);
  }

  /** `labelIssues/progress` of running `findLabelIssues` jobs. */
  readonly onLabelIssuesProgress: Event<LabelIssuesProgress> = this.labelIssuesProgressEmitter.event;

  /** The user's "Restart engine": clears the restart budget, stops the current engine politely, starts a new one. */
  async restart(): Promise<InitializeResult> {
    this.policy.reset();
    this.gaveUp = false;
    await this.stop();
    this.hasCrashed = false;
    return this.info();
  }

  /** Shut the engine down (runs in flight become `interrupted`, resumable) and release everything. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.stop();
    for (const emitter of [this.progressEmitter, this.epochEmitter, this.runStateEmitter, this.testEmitter, this.logEmitter, this.crashEmitter, this.readyEmitter, this.labelIssuesProgressEmitter]) {
      emitter.dispose();
    }
  }

  private track(ref: RunRef): RunRef {
    if (!terminalStates.has(ref.state)) this.inFlight.set(ref.runId, ref.runDir);
    return ref;
  }

  private ensureStarted(): Promise<{ connection: MessageConnection; info: InitializeResult }> {
    if (this.disposed) return Promise.reject(new EngineUnavailableError('The engine client was disposed.'));
    if (this.gaveUp) {
      return Promise.reject(new EngineUnavailableError('The engine stopped repeatedly and was not restarted. Use "Restart engine" to try again, or "Show log" to see why.'));
    }
    if (!this.started) {
      const started = this.spawn().catch((error: unknown) => {
        // A failed start is not cached: the next request tries again (within the restart budget).
        if (this.started === started) this.started = undefined;
        throw error;
      });
      this.started = started;
    }
    return this.started;
  }

  private async spawn(): Promise<{ connection: MessageConnection; info: InitializeResult }> {
    if (this.hasCrashed) {
      const decision = this.policy.nextRestart(Date.now());
      if (!decision.allowed) {
        this.gaveUp = true;
        throw new EngineUnavailableError('The engine stopped repeatedly (more than 3 times in 3 minutes) and was not restarted. Use "Restart engine" to try again, or "Show log" to see why.');
      }
      this.output(`Restarting the engine in ${decision.delayMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    }
    const engine = startEngineProcess(this.options.process, (text) => this.onStderr(text));
    this.engine = engine;
    const { connection } = engine;
    connection.onNotification(RunProgressNotification.type, (p) => this.progressEmitter.fire(p));
    connection.onNotification(RunEpochNotification.type, (e) => this.epochEmitter.fire(e));
    connection.onNotification(RunTestNotification.type, (t) => this.testEmitter.fire(t));
    connection.onNotification(RunStateNotification.type, (s) => {
      if (terminalStates.has(s.state)) this.inFlight.delete(s.runId);
      this.runStateEmitter.fire(s);
    });
    connection.onNotification(Log.type, (m) => {
      // The engine words a line for VS Code when the CLI's would name a CLI command or flag.
      this.output(`[${m.level}]${m.runId ? ` ${m.runId}:` : ''} ${m.editorMessage ?? m.message}`);
      this.logEmitter.fire(m);
    });
    connection.onNotification(LabelIssuesProgressNotification.type, (p) => this.labelIssuesProgressEmitter.fire(p));
    connection.onNotification(EngineCrashed.type, (m) => this.output(`[error] engine: ${m.message}`));
    connection.onError(([error]) => this.output(`[error] connection: ${error.message}`));
    void engine.exited.then((exit) => this.onExit(engine, exit));
    connection.listen();
    this.output(`Engine started (pid ${engine.pid ?? '?'}).`);

    const handedOver = this.pendingInterrupted;
    let info: InitializeResult;
    try {
      info = await connection.sendRequest(Initialize.type, {
        protocolVersion: PROTOCOL_VERSION,
        client: this.options.clientName ?? 'vscode',
        interruptedRuns: handedOver,
        backend: this.options.backend?.() ?? 'auto',
      });
    } catch (error) {
      // A refused handshake is not a crash: forget the process before it exits.
      this.engine = undefined;
      engine.kill();
      if (error instanceof ResponseError && error.code === EngineErrorCodes.protocolMismatch) {
        this.gaveUp = true;
        throw new EngineUnavailableError(`The engine speaks a different protocol version: ${error.message} Reinstall the extension so both parts match.`);
      }
      throw error;
    }
    if (info.protocolVersion !== PROTOCOL_VERSION) {
      this.gaveUp = true;
      this.engine = undefined;
      engine.kill();
      throw new EngineUnavailableError(`The engine speaks protocol version ${info.protocolVersion}, the extension ${PROTOCOL_VERSION}. Reinstall the extension so both parts match.`);
    }
    this.pendingInterrupted = this.pendingInterrupted.filter((r) => !handedOver.includes(r));
    this.readyEmitter.fire(info);
    return { connection, info };
  }

  private onExit(engine: EngineProcess, exit: EngineExit): void {
    engine.connection.dispose();
    if (this.engine !== engine) return;
    this.engine = undefined;
    this.started = undefined;
    if (this.stopping) return;
    this.hasCrashed = true;
    const interruptedRuns = [...this.inFlight].map(([runId, runDir]) => ({ runId, runDir }));
    this.inFlight.clear();
    this.pendingInterrupted.push(...interruptedRuns);
    const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
    const message = `The engine ${how}.${interruptedRuns.length ? ` ${interruptedRuns.length} run(s) interrupted; resume them from their last checkpoint.` : ''}`;
    this.output(`[error] ${message}`);
    for (const run of interruptedRuns) this.runStateEmitter.fire({ runId: run.runId, state: 'interrupted', message });
    this.crashEmitter.fire({ exit, interruptedRuns, willRestart: this.policy.canRestart(Date.now()), message });
  }

  /** Polite stop: `shutdown`, then `exit`, then kill if it lingers. */
  private async stop(): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    this.stopping = true;
    try {
      const timeoutMs = this.options.shutdownTimeoutMs ?? 3000;
      const timeout = () => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      await Promise.race([engine.connection.sendRequest(Shutdown.type).catch(() => undefined), timeout()]);
      try {
        void engine.connection.sendNotification(Exit.type).catch(() => undefined);
      } catch {
        // Already closed: the engine is exiting on its own.
      }
      if ((await Promise.race([engine.exited, timeout()])) === 'timeout') engine.kill('SIGKILL');
      await engine.exited;
      // Runs the engine shut down are interrupted on disk by the engine itself.
      for (const [runId] of this.inFlight) this.runStateEmitter.fire({ runId, state: 'interrupted', message: 'The engine was stopped.' });
      this.inFlight.clear();
    } finally {
      this.stopping = false;
    }
  }

  private onStderr(text: string): void {
    const lines = (this.stderrRest + text).split(/\r?\n/);
    this.stderrRest = lines.pop() ?? '';
    for (const line of lines) this.output(line);
  }

  private output(line: string): void {
    this.options.output.appendLine(line);
  }
}
