// Host of the run comparison: two or more runs side by side (metrics, per-class F1 deltas, overlaid curves).
import * as vscode from 'vscode';
import type { PageMessage } from '../../../webview-ui/shared/messages';
import { PanelHost } from './panelHost';
import { buildCompareData } from './panelData';
import type { WebviewServices } from './webviewServices';

export class ComparePanel extends PanelHost {
  static readonly viewType = 'classifierWorkbench.compareRuns';

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices, private runDirs: string[]) {
    super(panel, extensionUri, services, 'compare');
  }

  protected async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready': return this.load();
      case 'pickRuns': {
        // "Choose runs…" starts from the runs shown, so adding or dropping one is one tick.
        const picked = await this.services.pickRunDirs(this.runDirs);
        if (picked && picked.length >= 2) { this.runDirs = picked; await this.load(); }
        return;
      }
      case 'stopRun':
      case 'setUncertaintyThreshold':
      case 'openArtifact':
      case 'openExample':
      case 'openMisclassified':
      case 'openLabelOutcome':
      case 'selectSplit':
        return this.reject(message);
      default: { const unhandled: never = message; void unhandled; }
    }
  }

  /** A run folder was deleted: the comparison drops it (and closes when no run is left). */
  async runDeleted(runDir: string): Promise<void> {
    if (!this.runDirs.includes(runDir)) return;
    this.runDirs = this.runDirs.filter((d) => d !== runDir);
    if (!this.runDirs.length) return this.dispose();
    await this.load();
  }

  /** Shows another set of runs in this panel. */
  async showRuns(runDirs: string[]): Promise<void> {
    this.runDirs = runDirs;
    this.panel.reveal();
    await this.load();
  }

  async load(): Promise<void> {
    const data = await buildCompareData(this.runDirs);
    this.panel.title = `Compare ${data.runs.length} runs`;
    this.post({ type: 'compare/init', data });
  }
}
