/**
 * `job/export` and `run/import`: runs elsewhere (src/engine/remoteJob/). Both read the dataset once on this thread
 * (a second or two for tens of thousands of lines) and write files; nothing trains here.
 */
import { JobExport, RunImport, type JobExportParams } from '../../protocol/remoteJob';
import { onRequest, type ServerContext } from './serverContext';
import { trainConfigSpec } from './runHandlers';
import { validateParams } from './validateParams';

export function registerRemoteJobHandlers(ctx: ServerContext): void {
  onRequest(ctx, JobExport.type, {
    config: { kind: 'object', required: true },
    outDir: { kind: 'string', required: true },
    gpus: { kind: 'integer', min: 0 },
    nodes: { kind: 'integer', min: 1 },
  }, async (params: JobExportParams) => {
    const config = validateParams<JobExportParams['config']>(JobExport.method, params.config, trainConfigSpec, 'params.config');
    return ctx.library.exportJob({ ...params, config });
  });

  onRequest(ctx, RunImport.type, {
    folder: { kind: 'string', required: true },
    dataset: { kind: 'string' },
    runsDir: { kind: 'string' },
  }, async (params) => ctx.library.importRun(params));
}
