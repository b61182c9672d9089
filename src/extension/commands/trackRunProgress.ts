// Shows a run's progress in a cancellable notification (`window.withProgress`) until it stops, then says how
// it ended with a next step (open the dashboard, use the model, show the log).
import * as vscode from 'vscode';
import type { RunRef } from '../../protocol/runs';
import type { RunStateName } from '../../protocol/train';
import { progressPercent } from '../views/runsTree';
import { commandIds } from './commandIds';
import type { WorkbenchServices } from './workbenchServices';

const terminal = new Set<RunStateName>(['completed', 'failed', 'cancelled', 'interrupted']);

/**
 * Follows the run until it reaches a terminal state; Cancel in the notification sends `run/cancel`.
 * @returns the final state.
 */
export function trackRunProgress(s: WorkbenchServices, run: RunRef, title: string): Thenable<{ state: RunStateName; message?: string }> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    new Promise<{ state: RunStateName; message?: string }>((resolve) => {
      let reported = 0;
      const subscriptions: { dispose(): unknown }[] = [];
      const finish = (state: RunStateName, message?: string) => {
        subscriptions.forEach((d) => d.dispose());
        resolve({ state, message });
      };
      subscriptions.push(
        s.engine.onProgress((p) => {
          if (p.runId !== run.runId) return;
          const percent = progressPercent(p);
          progress.report({ increment: Math.max(0, percent - reported), message: vscode.l10n.t('epoch {0}/{1} · {2}% · loss {3}', p.epoch, p.epochs, percent, p.loss.toFixed(3)) });
          reported = Math.max(reported, percent);
        }),
        s.engine.onRunState((change) => {
          if (change.runId === run.runId && terminal.has(change.state)) finish(change.state, change.editorMessage ?? change.message);
        }),
        token.onCancellationRequested(() => {
          progress.report({ message: vscode.l10n.t('stopping after this step…') });
          s.engine.cancelRun(run.runId).then(
            (ref) => finish(ref.state),
            () => finish('cancelled'),
          );
        }),
      );
      if (terminal.has(run.state)) finish(run.state);
    }),
  ).then((end) => {
    void announceEnd(s, run, end.state, end.message);
    return end;
  });
}

async function announceEnd(s: WorkbenchServices, run: RunRef, state: RunStateName, message?: string): Promise<void> {
  const record = s.runsTree.record(run.runId);
  const openDashboard = vscode.l10n.t('Open dashboard');
  const resume = vscode.l10n.t('Resume run');
  const showLog = vscode.l10n.t('Show log');
  if (state === 'completed') {
    const metric = record?.bestAccuracy === undefined ? ''
      : record.bestMacroF1 === undefined ? ` ${vscode.l10n.t('Best validation accuracy {0}.', record.bestAccuracy.toFixed(3))}`
        : ` ${vscode.l10n.t('Best validation accuracy {0}, macro F1 {1}.', record.bestAccuracy.toFixed(3), record.bestMacroF1.toFixed(3))}`;
    const useModel = vscode.l10n.t('Use as active model');
    const choice = await vscode.window.showInformationMessage(`${vscode.l10n.t('Run {0} completed.', run.runId)}${metric}`, openDashboard, useModel);
    if (choice === openDashboard) await vscode.commands.executeCommand(commandIds.openDashboard, run.runId);
    // The setActiveModel handler (src/extension/labelIssues) takes a string as a folder path, so pass the run.
    if (choice === useModel) await vscode.commands.executeCommand(commandIds.setActiveModel, { runId: run.runId, runDir: run.runDir });
  } else if (state === 'failed') {
    const text = message ? vscode.l10n.t('Run {0} failed: {1}', run.runId, message) : vscode.l10n.t('Run {0} failed.', run.runId);
    const choice = await vscode.window.showErrorMessage(text, showLog, openDashboard);
    if (choice === showLog) s.showLog();
    if (choice === openDashboard) await vscode.commands.executeCommand(commandIds.openDashboard, run.runId);
  } else if (state === 'interrupted') {
    const text = message ? vscode.l10n.t('Run {0} was interrupted: {1} Its last checkpoint is kept.', run.runId, message) : vscode.l10n.t('Run {0} was interrupted. Its last checkpoint is kept.', run.runId);
    const choice = await vscode.window.showWarningMessage(text, resume, showLog);
    if (choice === resume) await vscode.commands.executeCommand(commandIds.resumeRun, run.runId);
    if (choice === showLog) s.showLog();
  } else if (state === 'cancelled') {
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Run {0} stopped. Its last checkpoint is kept.', run.runId), resume);
    if (choice === resume) await vscode.commands.executeCommand(commandIds.resumeRun, run.runId);
  }
}
