/** `model/*` requests: the active model for predictions, export of a run's model, and the default model to propose. */
import { ModelExport, ModelPredict, ModelSetActive } from '../../protocol/model';
import { ModelRecommend } from '../../protocol/modelRecommendation';
import { datasetReadSpec } from './datasetReadSpec';
import { onRequest, type ServerContext } from './serverContext';

/** Texts per `model/predict`: hover asks for one, the examples browser for a page. */
const maxTextsPerPredict = 4096;

export function registerModelHandlers(ctx: ServerContext): void {
  onRequest(ctx, ModelSetActive.type, { path: { kind: 'string', required: true } }, async ({ path }) => ctx.activeModel.set(path));

  onRequest(ctx, ModelPredict.type, {
    texts: { kind: 'string[]', required: true, max: maxTextsPerPredict },
    topK: { kind: 'integer', min: 1 },
    threshold: { kind: 'number', min: 0, max: 1 },
  }, async (params) => ctx.activeModel.predict(params));

  // `onnx.quantize` is checked by exportRun, which names the values it takes.
  onRequest(ctx, ModelExport.type, { runDir: { kind: 'string', required: true }, outDir: { kind: 'string' }, onnx: { kind: 'object' } }, async ({ runDir, outDir, onnx }) => ctx.library.exportModel(runDir, outDir, onnx ? { onnx } : {}));

  onRequest(ctx, ModelRecommend.type, {
    path: { kind: 'string', required: true },
    ...datasetReadSpec,
    maxLength: { kind: 'integer', min: 8, max: 8192 },
    epochs: { kind: 'integer', min: 1, max: 1000 },
    batchSize: { kind: 'integer', min: 1, max: 4096 },
    validationSplit: { kind: 'number', min: 0, max: 0.5 },
    backend: { kind: 'string', oneOf: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] },
    offline: { kind: 'boolean' },
    timeoutMs: { kind: 'integer', min: 100, max: 60_000 },
    timeBudgetSeconds: { kind: 'number', min: 1 },
    facts: { kind: 'object' },
  }, async (params, token) => {
    // Inspecting a large file takes seconds: the request's cancellation stops it (the Hub waits are bounded anyway).
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await ctx.library.recommendModel(params, controller.signal);
    } finally {
      subscription.dispose();
    }
  });
}
