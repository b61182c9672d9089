// Host of the confusion matrix of one run and split (data: panelData.ts buildConfusionData).
import * as vscode from 'vscode';
import type { EvalSplit, LabelOutcome, PageMessage } from '../../../webview-ui/shared/messages';
import { PanelHost } from './panelHost';
import { buildConfusionData } from './panelData';
import type { WebviewServices } from './webviewServices';

export class ConfusionPanel extends PanelHost {
  static readonly viewType = 'classifierWorkbench.confusionMatrix';
  private runId: string | null = null;

  constructor(
    panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices,
    readonly runDir: string, private split: EvalSplit,
    /** Opens the misclassified browser of this run filtered to a cell. */
    private readonly openCell: (runDir: string, split: EvalSplit, gold: number, predicted: number) => Promise<void>,
    /** Multi-label: opens the browser filtered to one label's outcome (a cell of its 2×2 grid). */
    private readonly openLabelOutcome: (runDir: string, split: EvalSplit, label: number, outcome: LabelOutcome) => Promise<void>,
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
      case 'openLabelOutcome':
        if (message.runId !== this.runId) return this.reject(message);
        return this.openLabelOutcome(this.runDir, message.split, message.label, message.outcome);
      case 'stopRun':
      case 'setUncertaintyThreshold':
      case 'openArtifact':
      case 'openExample':
      case 'pickRuns':
        return this.reject(message);
      default: { const unhandled: never = message; void unhandled; }
    }
  }

  /** Re-reads the run from disk and sends the matrix (also used after the run finishes). */
  async load(): Promise<void> {
    const data = await buildConfusionData(this.runDir, this.split);
    this.runId = data.run.runId;
    this.split = data.split;
    this.panel.title = vscode.l10n.t('Confusion matrix: {0} ({1})', data.run.runId, data.split);
    this.post({ type: 'confusion/init', data });
  }
}
