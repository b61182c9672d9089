/** `dataset/inspect`: validate and describe a dataset file, straight from the library; cancellable. */
import { DatasetInspect } from '../../protocol/datasetInspect';
import { onRequest, type ServerContext } from './serverContext';
import { datasetReadSpec } from './datasetReadSpec';

export function registerDatasetHandlers(ctx: ServerContext): void {
  onRequest(ctx, DatasetInspect.type, {
    path: { kind: 'string', required: true },
    ...datasetReadSpec,
    validationSplit: { kind: 'number', min: 0, max: 1 },
    seed: { kind: 'integer' },
  }, async (params, token) => {
    // Large files take seconds to scan: the request's cancellation stops the scan.
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await ctx.library.inspectDataset(params, controller.signal);
    } finally {
      subscription.dispose();
    }
  });
}
