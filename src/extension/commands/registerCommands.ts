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
    [commandIds.fineTune, 'Fine-tuning failed', (arg) => fineTuneCommand(s, arg)],
    [commandIds.inspectDataset, 'Inspecting the dataset failed', (arg) => inspectDatasetCommand(s, reports, arg)],
    [commandIds.stopRun, 'Stopping the run failed', (arg) => stopRunCommand(s, arg)],
    [commandIds.resumeRun, 'Resuming the run failed', (arg) => resumeRunCommand(s, arg)],
    [commandIds.openDashboard, 'Opening the dashboard failed', (arg) => openDashboardCommand(s, arg)],
    [commandIds.openConfusionMatrix, 'Opening the confusion matrix failed', (arg) => openConfusionMatrixCommand(s, arg)],
    [commandIds.browseMisclassified, 'Opening the misclassified examples failed', (arg) => browseMisclassifiedCommand(s, arg)],
    [commandIds.exportModel, 'Export failed', (arg) => exportModelCommand(s, arg)],
    [commandIds.compareRuns, 'Comparing runs failed', () => compareRunsCommand(s)],
    [commandIds.deleteRun, 'Deleting the run failed', (arg) => deleteRunCommand(s, arg)],
    [commandIds.revealRunFolder, 'Revealing the run folder failed', (arg) => revealRunFolderCommand(s, arg)],
    [commandIds.showEngineLog, 'Showing the log failed', () => s.showLog()],
    [commandIds.restartEngine, 'Restarting the engine failed', () => s.restartEngine()],
    [commandIds.refreshDatasets, 'Refreshing datasets failed', () => s.datasetsTree.refresh()],
    [commandIds.refreshRuns, 'Refreshing runs failed', () => s.runsTree.refresh()],
    [commandIds.openSample, 'Opening the sample failed', () => openSampleCommand(s.extensionUri, globalStorage)],
    [commandIds.chooseActiveModel, 'Choosing the active model failed', () => chooseActiveModelCommand(s)],
    [commandIds.runElsewhere, 'Writing the training job failed', (arg) => runElsewhereFromRunCommand(s, arg)],
    [commandIds.importRunFolder, 'Importing the run folder failed', (arg) => importRunFolderCommand(s, arg)],
  ];
  return handlers.map(([id, doing, handler]) => vscode.commands.registerCommand(id, async (arg?: unknown) => {
    try {
      await handler(arg);
    } catch (error) {
      await showFailure(doing, error);
    }
  }));
}
