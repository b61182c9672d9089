/**
 * `activeLearning/suggest`: predicting over a whole pool can take a transformer minutes, so it runs in its own
 * worker thread (hover predictions keep answering); the request's cancellation token stops it between batches.
 */
import { EngineErrorCodes } from '../../protocol/errors';
import { SuggestLabels, type SuggestLabelsResult } from '../../protocol/activeLearning';
import { EngineError } from '../index';
import { onRequest, type ServerContext } from './serverContext';
import { startWorker } from './workerRunner';

/** The largest batch one request may ask for: a person labels these one by one. */
const maxSuggestions = 1000;

export function registerActiveLearningHandlers(ctx: ServerContext): void {
  onRequest(ctx, SuggestLabels.type, {
    unlabeled: { kind: 'string', required: true },
    model: { kind: 'string', required: true },
    revision: { kind: 'string' },
    n: { kind: 'integer', min: 1, max: maxSuggestions },
    measure: { kind: 'string', oneOf: ['margin', 'entropy', 'leastConfidence'] },
    textField: { kind: 'string' },
    labelField: { kind: 'string' },
    labeledDataset: { kind: 'string' },
    excludeTexts: { kind: 'string[]' },
  }, async (params, token) => {
    const worker = startWorker({ kind: 'suggest', params }, () => undefined);
    const subscription = token.onCancellationRequested(() => worker.cancel());
    try {
      const outcome = await worker.outcome;
      if (outcome.kind === 'done') return outcome.result as SuggestLabelsResult;
      if (outcome.kind === 'error') throw outcome.error;
      throw new EngineError(EngineErrorCodes.internal, outcome.message);
    } finally {
      subscription.dispose();
    }
  });
}
