// Host of the confusion matrix of one run and split. Counts come from the split's predictions file when present
// (so a clicked cell matches the browser's filter exactly), else from the metrics recorded for the split.
import * as vscode from 'vscode';
import type { EvalSplit, PageMessage } from '../../../webview-ui/shared/messages';
import { PanelHost } from './panelHost';
import { availableSplits, confusionFromPredictions, readPredictions, readRunRecord } from './runFiles';
import type { WebviewServices } from './webviewServices';

export class ConfusionPanel extends PanelHost {
  static readonly viewType = 'classifierWorkbench.confusionMatrix';
  private runId: string | null = null;

  constructor(
    panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices,
    readonly runDir: string, private split: EvalSplit,
    /** Opens the misclassified browser of this run filtered to a cell. */
    private readonly openCell: (runDir: string, split: EvalSplit, gold: number, predicted: number) => Promise<void>,
  ) {
    super(panel, extensionUri, services, 'confusion');
  }

  protected async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready': return this.load();
      case 'selectSplit': this.split = message.split; return this.load();
      case 'openMisclassified':
        if (message.runId !== this.runId) return this.reject(message);
        return this.openCell(this.runDir, message.split, message.gold, message.predicted);
      case 'stopRun':
      case 'openArtifact':
      case 'openExample':
      case 'pickRuns':
        return this.reject(message);
      default: { const unhandled: never = message; void unhandled; }
    }
  }

  /** Re-reads the run from disk and sends the matrix (also used after the run finishes). */
  async load(): Promise<void> {
    const record = await readRunRecord(this.runDir);
    this.runId = record.run.runId;
    const splits = await availableSplits(this.runDir);
    const metricSplits: EvalSplit[] = [];
    if (record.final) metricSplits.push('validation');
    if (record.test) metricSplits.push('test');
    const all = [...new Set<EvalSplit>([...splits, ...metricSplits])];
    if (!all.includes(this.split) && all.length) this.split = all.includes('test') ? 'test' : all[0];
    let confusion: number[][];
    if (splits.includes(this.split)) {
      const { records } = await readPredictions(this.runDir, this.split, record.run.labels);
      confusion = confusionFromPredictions(records, record.run.labels.length);
    } else {
      confusion = (this.split === 'test' ? record.test : record.final)?.confusion ?? [];
    }
    this.panel.title = `Confusion matrix: ${record.run.runId} (${this.split})`;
    this.post({ type: 'confusion/init', data: { run: record.run, split: this.split, splits: all, confusion } });
  }
}
