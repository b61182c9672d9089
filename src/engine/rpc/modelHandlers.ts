/** `model/*` requests: the active model for predictions, and export of a run's model. */
import { ModelExport, ModelPredict, ModelSetActive } from '../../protocol/model';
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

  onRequest(ctx, ModelExport.type, { runDir: { kind: 'string', required: true }, outDir: { kind: 'string' } }, async ({ runDir, outDir }) => ctx.library.exportModel(runDir, outDir));
}
