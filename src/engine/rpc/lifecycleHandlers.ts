/** `initialize` and `shutdown`: the handshake (protocol version check, capabilities) and the polite stop. */
import { Initialize, PROTOCOL_VERSION, Shutdown, type InitializeParams } from '../../protocol/engine';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../index';
import { onRequest, type ServerContext } from './serverContext';

export function registerLifecycleHandlers(ctx: ServerContext): void {
  const { library } = ctx;
  const { engineVersion } = library;
  onRequest(ctx, Initialize.type, {
    protocolVersion: { kind: 'integer', required: true },
    client: { kind: 'string', required: true },
    backend: { kind: 'string', oneOf: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] },
  }, async (params: InitializeParams) => {
    if (params.protocolVersion !== PROTOCOL_VERSION) {
      throw new EngineError(EngineErrorCodes.protocolMismatch,
        `The extension speaks protocol version ${params.protocolVersion} and the engine (${engineVersion}) speaks ${PROTOCOL_VERSION}. Reinstall the extension so both parts come from the same build.`);
    }
    const markedInterrupted: string[] = [];
    for (const run of Array.isArray(params.interruptedRuns) ? params.interruptedRuns : []) {
      if (typeof run?.runDir !== 'string' || ctx.scheduler.find(run.runDir)) continue;
      try {
        await library.markInterrupted(run.runDir, 'The engine stopped unexpectedly while the run was training; resume it to continue.');
        markedInterrupted.push(run.runId);
      } catch (error) {
        ctx.log('warn', `could not mark ${run.runDir} interrupted: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    ctx.activeModel.backend = params.backend ?? 'auto';
    ctx.log('info', `engine ${engineVersion} ready for ${params.client} (protocol ${PROTOCOL_VERSION})`);
    return {
      protocolVersion: PROTOCOL_VERSION,
      engineVersion,
      backend: await library.selectBackend(params.backend ?? 'auto'),
      capabilities: {
        concurrentPredict: true,
        maxConcurrentRuns: 1,
        maxMessageBytes: ctx.maxMessageBytes,
        modelKinds: library.modelKinds,
        modes: library.modes,
      },
      markedInterrupted,
    };
  });

  ctx.connection.onRequest(Shutdown.type, async () => {
    await ctx.scheduler.stop();
    ctx.activeModel.dispose();
    ctx.log('info', 'engine shut down');
    // Exit once the answer is on its way; the client may also send `exit` or close stdin.
    setImmediate(() => ctx.exit());
  });
}
