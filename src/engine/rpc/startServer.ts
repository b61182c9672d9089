/**
 * The engine's JSON-RPC server on stdin/stdout: wires the connection, the run queue, the active model and the
 * request handlers. Uncaught errors are logged and reported, not fatal; the process exits when the client
 * goes away or after `shutdown`.
 */
import { createMessageConnection, ErrorCodes, ResponseError, StreamMessageReader, StreamMessageWriter, type NotificationType } from 'vscode-jsonrpc/node';
import { EngineCrashed, Exit, Log } from '../../protocol/engine';
import { RunEpochNotification, RunProgressNotification, RunStateNotification, RunTestNotification, type RunTestReport } from '../../protocol/runs';
import type { EpochReport, LogMessage, RunProgress, RunStateChange, TrainEvent } from '../../protocol/train';
import { ActiveModel } from './activeModel';
import { startPredictorThread } from './predictorThread';
import { registerDatasetHandlers } from './datasetHandlers';
import type { EngineLibrary } from './engineLibrary';
import { registerLabelIssuesHandlers } from './labelIssuesHandlers';
import { registerActiveLearningHandlers } from './activeLearningHandlers';
import { registerRemoteJobHandlers } from './remoteJobHandlers';
import { registerLifecycleHandlers } from './lifecycleHandlers';
import { createMessageFraming } from './messageFraming';
import { registerModelHandlers } from './modelHandlers';
import { registerRunHandlers } from './runHandlers';
import { RunScheduler } from './runScheduler';
import type { ServerContext } from './serverContext';

export interface ServerOptions {
  /** Largest accepted message body in bytes. Default 64 MiB. */
  maxMessageBytes?: number;
  /** Heap cap of the active model's thread, in MiB (`defaultPredictorHeapMb`). */
  predictorHeapMb?: number;
}

/** Starts serving on this process's stdin/stdout, forwarding requests to `library`. */
export function startServer(library: EngineLibrary, options: ServerOptions = {}): void {
  const maxMessageBytes = options.maxMessageBytes ?? 64 * 1024 * 1024;
  const writer = new StreamMessageWriter(process.stdout);
  // Only well-formed frames reach the JSON-RPC reader (which never recovers from a bad one); a bad frame is
  // answered with a parse error and the stream resumes at the next header.
  const input = process.stdin.pipe(createMessageFraming(maxMessageBytes, {
    onOversized: ({ bytes, id }) => {
      const error = new ResponseError(ErrorCodes.InvalidRequest,
        `Message of ${bytes} bytes refused: the engine accepts at most ${maxMessageBytes} bytes per message. Send fewer texts per request.`,
        { detail: `message of ${bytes} bytes exceeds ${maxMessageBytes}` });
      void writer.write({ jsonrpc: '2.0', id, error: error.toJson() } as never);
      log('warn', `refused a message of ${bytes} bytes (limit ${maxMessageBytes})`);
    },
    onMalformed: (reason) => {
      const error = new ResponseError(ErrorCodes.ParseError, `Malformed message dropped: ${reason}. The engine skipped to the next message header.`, { detail: reason });
      void writer.write({ jsonrpc: '2.0', id: null, error: error.toJson() } as never);
      log('warn', `dropped a malformed message: ${reason}`);
    },
  }));
  const connection = createMessageConnection(new StreamMessageReader(input), writer);

  /** Sends a notification; false when the connection is already gone. */
  function notify<P>(type: NotificationType<P>, params: P): boolean {
    try {
      void connection.sendNotification(type, params).catch(() => undefined);
      return true;
    } catch {
      return false;
    }
  }

  function log(level: LogMessage['level'], message: string, runId?: string, editorMessage?: string): void {
    // Once the connection is gone, stderr still reaches the client's log while the pipe lives.
    if (!notify(Log.type, { level, message, ...(runId ? { runId } : {}), ...(editorMessage ? { editorMessage } : {}) })) process.stderr.write(`[${level}]${runId ? ` ${runId}:` : ''} ${editorMessage ?? message}\n`);
  }

  function forward(event: TrainEvent): void {
    if (event.type === 'log') return log(event.level, event.message, event.runId, event.editorMessage);
    const { type: _type, ...payload } = event;
    if (event.type === 'progress') notify(RunProgressNotification.type, payload as RunProgress);
    else if (event.type === 'epoch') notify(RunEpochNotification.type, payload as EpochReport);
    else if (event.type === 'state') notify(RunStateNotification.type, payload as RunStateChange);
    else notify(RunTestNotification.type, payload as RunTestReport);
  }

  let exiting = false;
  const exit = (code = 0) => {
    if (exiting) return;
    exiting = true;
    // Let the last response drain before the process goes.
    process.stdout.write('', () => process.exit(code));
    setTimeout(() => process.exit(code), 1000).unref();
  };

  const scheduler = new RunScheduler({
    onEvent: forward,
    markInterrupted: (runDir, message) => library.markInterrupted(runDir, message),
    markCancelled: (runDir, message) => library.markCancelled(runDir, message),
    log: (m) => log('warn', m),
  });
  const ctx: ServerContext = { connection, notify, library, scheduler, activeModel: new ActiveModel((path, backend) => startPredictorThread(path, backend, options.predictorHeapMb), (m) => log('warn', m)), maxMessageBytes, log, exit: () => exit(0) };

  process.on('uncaughtException', (error) => {
    log('error', `uncaught exception: ${error.stack ?? error.message}`);
    notify(EngineCrashed.type, { message: error.message });
  });
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.stack ?? reason.message : String(reason);
    log('error', `unhandled rejection: ${message}`);
    notify(EngineCrashed.type, { message });
  });

  registerLifecycleHandlers(ctx);
  registerDatasetHandlers(ctx);
  registerRunHandlers(ctx);
  registerModelHandlers(ctx);
  registerLabelIssuesHandlers(ctx);
  registerActiveLearningHandlers(ctx);
  registerRemoteJobHandlers(ctx);
  connection.onNotification(Exit.type, () => exit(0));
  connection.onError(([error]) => log('warn', `unreadable message: ${error.message}`));
  // The client went away (closed our stdin, or died), or someone asked us to stop: leave the run folders
  // saying `interrupted` (resumable), not `running`.
  const stopAndExit = () => void scheduler.stop().finally(() => exit(0));
  connection.onClose(stopAndExit);
  process.once('SIGTERM', stopAndExit);
  process.once('SIGINT', stopAndExit);
  connection.listen();
}
