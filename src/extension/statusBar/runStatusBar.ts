// The status-bar item of the running run: epoch, step, loss and ETA; a click opens its dashboard. Hidden when
// no run trains. Updates are cheap (a text assignment), so it follows every progress notification.
import * as vscode from 'vscode';
import type { RunProgress, RunStateChange } from '../../protocol/train';
import { commandIds } from '../commands/commandIds';
import { formatDuration, progressPercent } from '../views/runsTree';

/** `$(sync~spin) Epoch 2/3 · step 45/100 · loss 0.412 · ETA 1 min 05 s`. */
export function runStatusText(p: RunProgress): string {
  return `$(sync~spin) ${vscode.l10n.t('Epoch {0}/{1} · step {2}/{3} · loss {4} · ETA {5}', p.epoch, p.epochs, p.step, p.totalSteps, p.loss.toFixed(3), formatDuration(p.etaSeconds))}`;
}

export class RunStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private runId: string | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('classifierWorkbench.run', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Classifier Workbench run');
  }

  /** The run currently shown, if any. */
  get shownRun(): string | undefined {
    return this.runId;
  }

  update(p: RunProgress): void {
    this.runId = p.runId;
    this.item.text = runStatusText(p);
    this.item.tooltip = vscode.l10n.t('Run {0}: {1}% done, {2} samples/s, learning rate {3}. Click to open the dashboard.', p.runId, progressPercent(p), p.samplesPerSecond.toFixed(1), p.learningRate.toExponential(2));
    this.item.command = { command: commandIds.openDashboard, title: vscode.l10n.t('Open dashboard'), arguments: [p.runId] };
    this.item.show();
  }

  /** Shows a queued/started run at once; hides the item when the shown run stops. */
  state(change: RunStateChange): void {
    if (change.state === 'running' || change.state === 'queued') {
      if (this.runId && this.runId !== change.runId) return;
      this.runId = change.runId;
      this.item.text = change.state === 'queued' ? `$(clock) ${vscode.l10n.t('Run queued')}` : `$(sync~spin) ${vscode.l10n.t('Run starting…')}`;
      this.item.tooltip = vscode.l10n.t('Run {0}. Click to open the dashboard.', change.runId);
      this.item.command = { command: commandIds.openDashboard, title: vscode.l10n.t('Open dashboard'), arguments: [change.runId] };
      this.item.show();
      return;
    }
    if (change.runId !== this.runId) return;
    this.runId = undefined;
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
