// Prints a training run's events for `train` and `runs resume`: JSON lines with --json; otherwise a progress
// bar on a terminal (one line per epoch when piped), the baseline, each epoch, and the final before/after table.
import type { TrainEvent } from '../../protocol/train';
import { type RunResult, formatMetricsTable } from '../index';
import type { CliContext } from './cliCommand';
import { TrainProgressBar } from './trainProgressBar';
import { ExitCodes } from './exitCodes';
import { shellQuote } from './shellQuote';

export class TrainEventPrinter {
  private readonly bar: TrainProgressBar | undefined;

  constructor(private readonly context: CliContext) {
    this.bar = !context.json && process.stderr.isTTY ? new TrainProgressBar(process.stderr) : undefined;
  }

  readonly onEvent = (event: TrainEvent): void => {
    const c = this.context;
    if (c.json) {
      c.stdout(`${JSON.stringify(event)}\n`);
      return;
    }
    switch (event.type) {
      case 'progress':
        this.bar?.update(event);
        return;
      case 'epoch': {
        this.bar?.stop();
        const v = event.validation;
        const head = event.epoch === 0 ? 'baseline (untrained)' : `epoch ${event.epoch}`;
        const train = event.trainLoss === null ? '' : `train loss ${event.trainLoss.toFixed(4)}, `;
        const scores = v.multiLabel
          ? `micro F1 ${pct(v.multiLabel.microF1)}, macro F1 ${pct(v.macroF1)} (thresholds tuned on validation)`
          : `accuracy ${pct(v.accuracy)}, macro F1 ${pct(v.macroF1)}`;
        c.stdout(`${head}: ${train}validation loss ${v.loss.toFixed(4)}, ${scores}${event.isBest ? ' ★' : ''}\n`);
        return;
      }
      case 'log':
        this.bar?.stop();
        c.stderr(`${event.message}\n`);
        return;
      case 'state':
      case 'test':
        return;
    }
  };

  /** Prints the outcome and returns the exit code. */
  finish(result: RunResult): number {
    this.bar?.stop();
    const c = this.context;
    if (c.json) {
      c.stdout(`${JSON.stringify({ type: 'result', runId: result.runId, runDir: result.runDir, state: result.state, bestEpoch: result.best?.epoch ?? null, test: result.test })}\n`);
      return result.state === 'cancelled' ? ExitCodes.interrupted : ExitCodes.ok;
    }
    if (result.state === 'cancelled') {
      c.stderr(`Run cancelled; checkpoints/last is kept. Resume with:\n  npx classifier-workbench runs resume ${shellQuote(result.runDir)}\n`);
      return ExitCodes.interrupted;
    }
    // Before/after on the test split when there is one; validation always (it is the only one without a test file).
    c.stdout('\n');
    if (result.test) {
      c.stdout(`${formatMetricsTable([
        ['before training (test)', result.baselineTest],
        [`after training (test, best epoch ${result.best?.epoch ?? '-'})`, result.test],
      ])}\n\n`);
    }
    c.stdout(`${formatMetricsTable([
      ['before training (validation)', result.baseline],
      [`after training (validation, best epoch ${result.best?.epoch ?? '-'})`, result.best?.validation ?? null],
    ])}\n\n`);
    if (result.test?.multiLabel) {
      const m = result.test;
      c.stdout(`Test (thresholds tuned on validation): micro F1 ${pct(m.multiLabel!.microF1)}, macro F1 ${pct(m.macroF1)}, samples F1 ${pct(m.multiLabel!.samplesF1)}, subset accuracy ${pct(m.accuracy)}\n`);
    }
    c.stdout(`Run folder: ${result.runDir}\nReport:     ${result.runDir}/report.md\nPredict:    npx classifier-workbench predict --model ${shellQuote(result.runDir)} "some text"\n`);
    return ExitCodes.ok;
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
