// Registers the commands this part of the extension owns. Handlers get their arguments from menus (a Uri, a
// tree node), the status bar (a run id) or nothing (palette: they ask). A failure that escapes a handler is
// still shown with a next step, never swallowed.
import * as vscode from 'vscode';
import { chooseActiveModelCommand } from './chooseActiveModelCommand';
import { commandIds } from './commandIds';
import type { DatasetReportDocuments } from './datasetReportDocuments';
import { fineTuneCommand } from './fineTuneCommand';
import { inspectDatasetCommand } from './inspectDatasetCommand';
import { openSampleCommand } from './openSampleCommand';
import {
  browseMisclassifiedCommand, compareRunsCommand, deleteRunCommand, exportModelCommand, openConfusionMatrixCommand,
  openDashboardCommand, resumeRunCommand, revealRunFolderCommand, stopRunCommand,
} from './runCommands';
import { importRunFolderCommand, runElsewhereFromRunCommand } from './runElsewhereCommand';
import { showFailure } from './showFailure';
import type { WorkbenchServices } from './workbenchServices';

/**
 * Registers every command of commandIds except findLabelIssues and setActiveModel (registered with the hover
 * and diagnostics in src/extension/labelIssues) and the active-learning ones (src/extension/activeLearning).
 * @returns the registrations, to be added to `context.subscriptions`.
 */
export function registerCommands(s: WorkbenchServices, reports: DatasetReportDocuments, globalStorage: vscode.Uri): vscode.Disposable[] {
  const handlers: [string, string, (arg?: unknown) => Promise<unknown> | unknown][] = [
    [commandIds.fineTune, vscode.l10n.t('Fine-tuning failed'), (arg) => fineTuneCommand(s, arg)],
    [commandIds.inspectDataset, vscode.l10n.t('Inspecting the dataset failed'), (arg) => inspectDatasetCommand(s, reports, arg)],
    [commandIds.stopRun, vscode.l10n.t('Stopping the run failed'), (arg) => stopRunCommand(s, arg)],
    [commandIds.resumeRun, vscode.l10n.t('Resuming the run failed'), (arg) => resumeRunCommand(s, arg)],
    [commandIds.openDashboard, vscode.l10n.t('Opening the dashboard failed'), (arg) => openDashboardCommand(s, arg)],
    [commandIds.openConfusionMatrix, vscode.l10n.t('Opening the confusion matrix failed'), (arg) => openConfusionMatrixCommand(s, arg)],
    [commandIds.browseMisclassified, vscode.l10n.t('Opening the misclassified examples failed'), (arg) => browseMisclassifiedCommand(s, arg)],
    [commandIds.exportModel, vscode.l10n.t('Export failed'), (arg) => exportModelCommand(s, arg)],
    [commandIds.compareRuns, vscode.l10n.t('Comparing runs failed'), () => compareRunsCommand(s)],
    [commandIds.deleteRun, vscode.l10n.t('Deleting the run failed'), (arg) => deleteRunCommand(s, arg)],
    [commandIds.revealRunFolder, vscode.l10n.t('Revealing the run folder failed'), (arg) => revealRunFolderCommand(s, arg)],
    [commandIds.showEngineLog, vscode.l10n.t('Showing the log failed'), () => s.showLog()],
    [commandIds.restartEngine, vscode.l10n.t('Restarting the engine failed'), () => s.restartEngine()],
    [commandIds.refreshDatasets, vscode.l10n.t('Refreshing datasets failed'), () => s.datasetsTree.refresh()],
    [commandIds.refreshRuns, vscode.l10n.t('Refreshing runs failed'), () => s.runsTree.refresh()],
    [commandIds.openSample, vscode.l10n.t('Opening the sample failed'), () => openSampleCommand(s.extensionUri, globalStorage)],
    [commandIds.chooseActiveModel, vscode.l10n.t('Choosing the active model failed'), () => chooseActiveModelCommand(s)],
    [commandIds.runElsewhere, vscode.l10n.t('Writing the training job failed'), (arg) => runElsewhereFromRunCommand(s, arg)],
    [commandIds.importRunFolder, vscode.l10n.t('Importing the run folder failed'), (arg) => importRunFolderCommand(s, arg)],
  ];
  return handlers.map(([id, doing, handler]) => vscode.commands.registerCommand(id, async (arg?: unknown) => {
    try {
      await handler(arg);
    } catch (error) {
      await showFailure(doing, error);
    }
  }));
}
