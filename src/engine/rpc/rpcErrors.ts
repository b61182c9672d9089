/**
 * How errors cross the wire: user-fixable `EngineError`s keep their code and file/line data, bad params get
 * JSON-RPC's InvalidParams, anything else is `internal` with the message (the stack goes to the log only).
 */
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { EngineErrorCodes, type EngineErrorData } from '../../protocol/errors';
import { EngineError, asEngineError, formatEngineError } from '../index';

/** A `ResponseError` for params that do not have the shape a method expects. */
export function invalidParams(method: string, detail: string): ResponseError<EngineErrorData> {
  return new ResponseError(ErrorCodes.InvalidParams, `Invalid params for ${method}: ${detail}`, { detail });
}

/** Turns whatever a handler threw into the `ResponseError` the client receives. */
export function toResponseError(thrown: unknown, log: (message: string) => void): ResponseError<EngineErrorData> {
  const error = asEngineError(thrown);
  if (error instanceof ResponseError) return error as ResponseError<EngineErrorData>;
  if (error instanceof EngineError) return new ResponseError(error.code, error.message, error.data);
  if (isSerializedEngineError(error)) return new ResponseError(error.code, error.message, error.data);
  const message = error instanceof Error ? error.message : String(error);
  log(`internal error: ${error instanceof Error ? error.stack ?? message : message}`);
  return new ResponseError(EngineErrorCodes.internal, `Internal engine error: ${message}. This is a bug; the engine log has the details.`, { detail: message });
}

/** An error as it comes back from a worker thread (structured clone drops the class). */
export interface SerializedEngineError {
  code: number;
  message: string;
  data: EngineErrorData;
}

/** Flattens an error so it survives `postMessage`; EngineError keeps its code and data. */
export function serializeError(thrown: unknown): SerializedEngineError {
  const error = asEngineError(thrown);
  if (error instanceof EngineError) return { code: error.code, message: error.message, data: error.data };
  if (error instanceof ResponseError) return { code: error.code, message: error.message, data: (error.data as EngineErrorData | undefined) ?? { detail: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  return { code: EngineErrorCodes.internal, message, data: { detail: stack ?? message } };
}

/** The VS Code wording of a worker's error (`file:line: editorDetail`, as `EngineError.editorMessage`), when it has one. */
export function serializedEditorMessage(error: SerializedEngineError): string | undefined {
  return error.data.editorDetail === undefined ? undefined : formatEngineError(error.data.editorDetail, error.data);
}

function isSerializedEngineError(error: unknown): error is SerializedEngineError {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Partial<SerializedEngineError>;
  return typeof e.code === 'number' && e.code !== EngineErrorCodes.internal && typeof e.message === 'string' && typeof e.data === 'object';
}
