// Host of the metrics dashboard of one run: sends the run's recorded curves and metrics once the page is ready,
// then forwards the engine's live events so the page updates in place.
import * as vscode from 'vscode';
import type { TrainEvent } from '../../protocol/train';
import type { PageMessage } from '../../../webview-ui/shared/messages';
import { PanelHost } from './panelHost';
import { openRunArtifact } from './openRunArtifact';
import { readRunRecord } from './runFiles';
import type { WebviewServices } from './webviewServices';

export class DashboardPanel extends PanelHost {
  static readonly viewType = 'classifierWorkbench.dashboard';
  private runId: string | null = null;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices, readonly runDir: string) {
    super(panel, extensionUri, services, 'dashboard');
  }

  protected async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready': return this.load();
      case 'stopRun':
        if (message.runId !== this.runId) return this.reject(message);
        return this.services.stopRun(message.runId);
      case 'openArtifact':
        if (message.runId !== this.runId) return this.reject(message);
        return openRunArtifact(this.runDir, message.artifact);
      case 'setUncertaintyThreshold': {
        if (message.runId !== this.runId) return this.reject(message);
        const { setting } = await this.services.setUncertaintyThreshold(this.runDir, message.threshold, { target: message.target, coverage: message.coverage, accuracy: message.accuracy }, message.perClass);
        return this.post({ type: 'dashboard/uncertainty', runId: message.runId, threshold: message.threshold, ...(message.perClass ? { perClass: message.perClass } : {}), setting });
      }
      case 'openExample':
      case 'openMisclassified':
      case 'openLabelOutcome':
      case 'selectSplit':
      case 'pickRuns':
        return this.reject(message);
      default: {
        const unhandled: never = message;
        void unhandled;
      }
    }
  }

  private async load(): Promise<void> {
    const data = await readRunRecord(this.runDir);
    this.runId = data.run.runId;
    this.panel.title = vscode.l10n.t('Dashboard: {0}', data.run.runId);
    this.post({ type: 'dashboard/init', data });
  }

  /** Forwards one engine event of this run to the page; a finished run is re-read for its test metrics and files. */
  handleTrainEvent(event: TrainEvent): void {
    if (event.runId !== this.runId) return;
    switch (event.type) {
      case 'progress': { const { type, ...progress } = event; void type; this.post({ type: 'run/progress', progress }); break; }
      case 'epoch': { const { type, ...report } = event; void type; this.post({ type: 'run/epoch', report }); break; }
      case 'test': this.post({ type: 'run/test', runId: event.runId, test: event.test }); break;
      case 'state': {
        const { type, ...change } = event; void type;
        this.post({ type: 'run/state', change });
        if (change.state !== 'running' && change.state !== 'queued') void this.load().catch((e: Error) => this.services.log(e.message));
        break;
      }
      case 'log': break;
      default: { const unhandled: never = event; void unhandled; }
    }
  }
}
