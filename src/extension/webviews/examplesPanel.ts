// Host of the misclassified-example browser of one run and split: sends the split's predictions once, keeps them
// to resolve "open this example" by index, and forwards filters asked for by the confusion matrix.
import * as vscode from 'vscode';
import type { EvalSplit, ExampleFilter, PageMessage } from '../../../webview-ui/shared/messages';
import { PanelHost } from './panelHost';
import { openExampleSource } from './openExampleSource';
import { buildExamplesData } from './panelData';
import type { PredictionRecord } from './runFiles';
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
      case 'setUncertaintyThreshold':
      case 'openArtifact':
      case 'openMisclassified':
      case 'openLabelOutcome':
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
    const { data, records, skipped } = await buildExamplesData(this.runDir, this.split);
    if (skipped) this.services.log(`${this.runDir}: skipped ${skipped} unreadable prediction lines in ${data.split}.`);
    this.runId = data.run.runId;
    this.dataset = data.run.dataset;
    this.records = records;
    this.split = data.split;
    this.loadedSplit = data.split;
    this.panel.title = vscode.l10n.t('Examples: {0} ({1})', data.run.runId, data.split);
    this.post({ type: 'examples/init', data, filter: this.pendingFilter });
    this.pendingFilter = null;
  }
}
