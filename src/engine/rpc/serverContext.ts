/**
 * What every request handler shares: the connection, the run queue, the active model, the log, and one
 * `onRequest` wrapper that validates params and turns errors into `ResponseError`s.
 */
import type { CancellationToken, MessageConnection, NotificationType, RequestType } from 'vscode-jsonrpc/node';
import type { EngineErrorData } from '../../protocol/errors';
import type { LogMessage } from '../../protocol/train';
import type { ActiveModel } from './activeModel';
import type { EngineLibrary } from './engineLibrary';
import type { RunScheduler } from './runScheduler';
import { toResponseError } from './rpcErrors';
import { checkParamsDepth, validateParams, type FieldSpec } from './validateParams';

export interface ServerContext {
  connection: MessageConnection;
  /** Sends a notification unless the connection is gone (returns false then). */
  notify<P>(type: NotificationType<P>, params: P): boolean;
  library: EngineLibrary;
  scheduler: RunScheduler;
  activeModel: ActiveModel;
  maxMessageBytes: number;
  log(level: LogMessage['level'], message: string, runId?: string): void;
  /** Called by `shutdown` after it answered. */
  exit(): void;
}

/**
 * Registers `handler` for `type`, checking params against `spec` first (`null` = no params).
 * Whatever the handler throws reaches the client as a ResponseError; the engine keeps serving.
 */
export function onRequest<P, R>(
  ctx: ServerContext,
  type: RequestType<P, R, EngineErrorData>,
  spec: Record<string, FieldSpec> | null,
  handler: (params: P, token: CancellationToken) => Promise<R>,
): void {
  ctx.connection.onRequest(type, async (params: P, token: CancellationToken) => {
    try {
      checkParamsDepth(type.method, params);
      const checked = spec ? validateParams<P>(type.method, params, spec) : params;
      return await handler(checked, token);
    } catch (error) {
      // Internal errors are logged with their stack by toResponseError; the user-fixable ones only briefly.
      const responseError = toResponseError(error, (m) => ctx.log('error', `${type.method}: ${m}`));
      ctx.log('info', `${type.method} failed: ${responseError.message}`);
      return responseError;
    }
  });
}
