// Host of the misclassified-example browser of one run and split: sends the split's predictions once, keeps them
// to resolve "open this example" by index, and forwards filters asked for by the confusion matrix.
import * as vscode from 'vscode';
import type { EvalSplit, ExampleFilter, ExampleRow, PageMessage } from '../../../webview-ui/shared/messages';
import { PanelHost } from './panelHost';
import { openExampleSource } from './openExampleSource';
import { availableSplits, readPredictions, readRunRecord, type PredictionRecord } from './runFiles';
import type { WebviewServices } from './webviewServices';

export class ExamplesPanel extends PanelHost {
  static readonly viewType = 'classifierWorkbench.examples';
  private runId: string | null = null;
  private dataset = '';
  private records: PredictionRecord[] = [];
  private loadedSplit: EvalSplit | null = null;
  private ready = false;

  constructor(
    panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices,
    readonly runDir: string, private split: EvalSplit, private pendingFilter: Partial<ExampleFilter> | null,
  ) {
    super(panel, extensionUri, services, 'examples');
  }

  protected async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready': this.ready = true; return this.load();
      case 'selectSplit': this.split = message.split; return this.load();
      case 'openExample': {
        if (message.runId !== this.runId || message.split !== this.loadedSplit) return this.reject(message);
        const record = this.records[message.index];
        if (!record) return this.reject(message);
        return openExampleSource(record, this.dataset);
      }
      case 'stopRun':
      case 'openArtifact':
      case 'openMisclassified':
      case 'pickRuns':
        return this.reject(message);
      default: { const unhandled: never = message; void unhandled; }
    }
  }

  /** Shows the (gold, predicted) pair of a confusion cell; reloads first when the split differs. */
  async showFilter(split: EvalSplit, filter: Partial<ExampleFilter>): Promise<void> {
    this.panel.reveal();
    if (!this.ready || split !== this.loadedSplit) {
      this.split = split;
      this.pendingFilter = filter;
      if (this.ready) await this.load();
      return;
    }
    this.post({ type: 'examples/filter', filter });
  }

  async load(): Promise<void> {
    const record = await readRunRecord(this.runDir);
    this.runId = record.run.runId;
    this.dataset = record.run.dataset;
    const splits = await availableSplits(this.runDir);
    if (splits.length === 0) throw new Error(`Run ${record.run.runId} has no predictions yet (predictions/validation.jsonl or test.jsonl).`);
    if (!splits.includes(this.split)) this.split = splits.includes('test') ? 'test' : splits[0];
    const { records, skipped } = await readPredictions(this.runDir, this.split, record.run.labels);
    if (skipped) this.services.log(`${this.runDir}: skipped ${skipped} unreadable prediction lines in ${this.split}.`);
    this.records = records;
    this.loadedSplit = this.split;
    const rows: ExampleRow[] = records.map((r, index) => ({
      index, text: r.text, gold: r.gold, predicted: r.predicted, confidence: r.confidence, loss: r.loss, hasSource: r.file !== null && r.line !== null,
    }));
    this.panel.title = `Examples: ${record.run.runId} (${this.split})`;
    this.post({ type: 'examples/init', data: { run: record.run, split: this.split, splits, rows }, filter: this.pendingFilter });
    this.pendingFilter = null;
  }
}
