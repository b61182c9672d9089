/**
 * Engine lifecycle messages: the handshake that checks both sides speak the same protocol, shutdown,
 * and the engine's log stream. Both the extension and the engine import this file.
 */
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { EngineErrorData } from './errors';
import type { BackendName, LogMessage } from './train';

/** Bumped on any incompatible change to a message in src/protocol; both sides must agree exactly. */
export const PROTOCOL_VERSION = 1;

/** A run the client saw in flight when the previous engine process died. */
export interface InterruptedRunRef {
  runId: string;
  runDir: string;
}

/** extension → engine: first message after spawn; checks the protocol version and reports what the engine can do. */
export interface InitializeParams {
  protocolVersion: number;
  /** Who is asking (`vscode`, `test`, ...), for the log. */
  client: string;
  /** Runs that were training when the previous engine died: the engine marks them `interrupted` on disk. */
  interruptedRuns?: InterruptedRunRef[];
  /** Backend for predictions in this engine (the `engine.backend` setting); runs take theirs from their config. Default `auto`. */
  backend?: 'auto' | BackendName;
}

export interface EngineCapabilities {
  /** Training happens in a worker thread, so predictions answer while a run trains. */
  concurrentPredict: boolean;
  /** At most this many runs train at once; the rest are `queued`. */
  maxConcurrentRuns: number;
  /** Messages larger than this are refused with an error. */
  maxMessageBytes: number;
  /** Model kinds and training modes the engine accepts in `run/start`. */
  modelKinds: string[];
  modes: string[];
}

export interface InitializeResult {
  protocolVersion: number;
  engineVersion: string;
  /** The tensor backend prediction uses in this process, and why a better one was not used (if so). */
  backend: { name: BackendName | 'none'; note?: string };
  capabilities: EngineCapabilities;
  /** Runs from `interruptedRuns` that the engine marked `interrupted` on disk. */
  markedInterrupted: string[];
}

export namespace Initialize {
  export const method = 'initialize' as const;
  /** extension → engine: handshake; fails with `protocolMismatch` when the versions differ. */
  export const type = new RequestType<InitializeParams, InitializeResult, EngineErrorData>(method);
}

export namespace Shutdown {
  export const method = 'shutdown' as const;
  /** extension → engine: stop training (the run becomes `interrupted`, resumable), answer, then exit. */
  export const type = new RequestType0<void, EngineErrorData>(method);
}

export namespace Log {
  export const method = 'log' as const;
  /** engine → extension: a line for the "Classifier Workbench" output channel. */
  export const type = new NotificationType<LogMessage>(method);
}

export namespace EngineCrashed {
  export const method = 'engine/crashed' as const;
  /** engine → extension: an uncaught error was logged; the engine keeps serving but the user should know. */
  export const type = new NotificationType<{ message: string }>(method);
}

/** Kept for symmetry with the eslint client: a parameterless "exit" the client may send after shutdown. */
export namespace Exit {
  export const method = 'exit' as const;
  /** extension → engine: exit now without waiting for anything. */
  export const type = new NotificationType0(method);
}
