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
          progress.report({ increment: Math.max(0, percent - reported), message: `epoch ${p.epoch}/${p.epochs} · ${percent}% · loss ${p.loss.toFixed(3)}` });
          reported = Math.max(reported, percent);
        }),
        s.engine.onRunState((change) => {
          if (change.runId === run.runId && terminal.has(change.state)) finish(change.state, change.message);
        }),
        token.onCancellationRequested(() => {
          progress.report({ message: 'stopping after this step…' });
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
  if (state === 'completed') {
    const metric = record?.bestAccuracy !== undefined ? ` Best validation accuracy ${record.bestAccuracy.toFixed(3)}${record.bestMacroF1 !== undefined ? `, macro F1 ${record.bestMacroF1.toFixed(3)}` : ''}.` : '';
    const choice = await vscode.window.showInformationMessage(`Run ${run.runId} completed.${metric}`, 'Open dashboard', 'Use as active model');
    if (choice === 'Open dashboard') await vscode.commands.executeCommand(commandIds.openDashboard, run.runId);
    // The setActiveModel handler (src/extension/labelIssues) takes a string as a folder path, so pass the run.
    if (choice === 'Use as active model') await vscode.commands.executeCommand(commandIds.setActiveModel, { runId: run.runId, runDir: run.runDir });
  } else if (state === 'failed') {
    const choice = await vscode.window.showErrorMessage(`Run ${run.runId} failed${message ? `: ${message}` : '.'}`, 'Show log', 'Open dashboard');
    if (choice === 'Show log') s.showLog();
    if (choice === 'Open dashboard') await vscode.commands.executeCommand(commandIds.openDashboard, run.runId);
  } else if (state === 'interrupted') {
    const choice = await vscode.window.showWarningMessage(`Run ${run.runId} was interrupted${message ? `: ${message}` : '.'} Its last checkpoint is kept.`, 'Resume run', 'Show log');
    if (choice === 'Resume run') await vscode.commands.executeCommand(commandIds.resumeRun, run.runId);
    if (choice === 'Show log') s.showLog();
  } else if (state === 'cancelled') {
    const choice = await vscode.window.showInformationMessage(`Run ${run.runId} stopped. Its last checkpoint is kept.`, 'Resume run');
    if (choice === 'Resume run') await vscode.commands.executeCommand(commandIds.resumeRun, run.runId);
  }
}
