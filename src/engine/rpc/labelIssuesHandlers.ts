/**
 * `labelIssues/find`: k-fold training is heavy, so it runs in its own worker thread (predictions keep
 * answering); the request's cancellation token stops it within one step.
 */
import { EngineErrorCodes } from '../../protocol/errors';
import { LabelIssuesFind, LabelIssuesProgressNotification } from '../../protocol/labelIssues';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import { EngineError } from '../index';
import { onRequest, type ServerContext } from './serverContext';
import { startWorker } from './workerRunner';
import { datasetReadSpec } from './datasetReadSpec';

const minFractionStep = 0.01;

export function registerLabelIssuesHandlers(ctx: ServerContext): void {
  onRequest(ctx, LabelIssuesFind.type, {
    dataset: { kind: 'string', required: true },
    ...datasetReadSpec,
    model: { kind: 'string' },
    revision: { kind: 'string' },
    mode: { kind: 'string', oneOf: ['feature-extraction', 'full'] },
    folds: { kind: 'integer', min: 2 },
    repeats: { kind: 'integer', min: 1 },
    seed: { kind: 'integer' },
    runDir: { kind: 'string' },
    jobId: { kind: 'string' },
  }, async (params, token) => {
    // Every step reports progress; the client needs a percent at most every `minFractionStep`.
    let lastFraction = -1;
    const worker = startWorker({ kind: 'labelIssues', params }, (message) => {
      if (message.type !== 'labelIssuesProgress') return;
      const { fold, folds, repeat, repeats, phase, fraction } = message.progress;
      if (fraction - lastFraction < minFractionStep && fraction < 1) return;
      lastFraction = fraction;
      ctx.notify(LabelIssuesProgressNotification.type, { jobId: params.jobId, fold, folds, repeat, repeats, phase, fraction });
    });
    const subscription = token.onCancellationRequested(() => worker.cancel());
    try {
      const outcome = await worker.outcome;
      if (outcome.kind === 'done') return outcome.result as LabelIssueReport;
      if (outcome.kind === 'error') throw outcome.error;
      throw new EngineError(EngineErrorCodes.internal, outcome.message);
    } finally {
      subscription.dispose();
    }
  });
}
