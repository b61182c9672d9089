// Entry point: activate only wires things together. Nothing here loads tfjs or starts the engine; the engine
// client spawns dist/engine.js on the first request, and the trees read the disk only when they are shown.
import { resolve } from 'node:path';
import { datasetGlob } from '../common/datasetFormat';
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import type { TrainEvent } from '../protocol/train';
import { commandIds, contextKeys } from './commands/commandIds';
import { DatasetReportDocuments, reportScheme } from './commands/datasetReportDocuments';
import { registerCommands } from './commands/registerCommands';
import { pickRuns } from './commands/resolveRun';
import type { WorkbenchServices } from './commands/workbenchServices';
import type { EngineClient } from './engine/engineClient';
import { createEngineClient, restartEngine } from './engine/vscodeEngine';
import { registerPredictionFeatures } from './labelIssues/registerPredictionFeatures';
import { registerActiveLearning } from './activeLearning/registerActiveLearning';
import { rememberModel } from './quickPick/modelCandidates';
import { defaultRunsFolder, readSettings, resolveRunsFolder, runsFolderForDataset, settingsSection } from './settings';
import { ActiveModelStatusBar } from './statusBar/activeModelStatusBar';
import { forgetDeletedActiveModel } from './activeModel/activeModelState';
import { RunStatusBar } from './statusBar/runStatusBar';
import { datasetsRestrictedMessage, runsRestrictedMessage, showRestrictedModeNotices } from './trust/restrictedModeNotices';
import { CreatedFolderWatcher, datasetSearchExclude } from './views/createdFolderWatcher';
import { DatasetsTreeProvider, isExcludedDatasetPath } from './views/datasetsTree';
import { summarizeDataset } from './views/datasetSummary';
import { readRunsFolders } from './views/runFolderReader';
import { RunsTreeProvider } from './views/runsTree';
import { RunHistoryLog } from './engine/runHistoryLog';
import { onFailureShown } from './commands/showFailure';
import { registerWebviewPanels } from './webviews/registerWebviewPanels';

const recentModelsKey = 'classifierWorkbench.recentModels';
let engineToStop: EngineClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Classifier Workbench');
  const runHistory = new RunHistoryLog(output);
  // Crashes are reported (with Show log / Restart engine) by createEngineClient itself.
  const engine = createEngineClient(context, output);
  engineToStop = engine;
  const settings = () => readSettings();
  const workspacePaths = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  /** Runs folders named by the setting (none when it is empty: runs then sit beside their datasets). */
  const configuredRunsFolders = () => workspacePaths().flatMap((p) => resolveRunsFolder(settings(), p) ?? []);
  const runsFolderFor = (datasetPath: string) =>
    runsFolderForDataset(settings(), datasetPath, vscode.workspace.getWorkspaceFolder(vscode.Uri.file(datasetPath))?.uri.fsPath);
  /** Every runs folder to show: the configured ones plus each `.classifier-workbench/runs` found (CLI runs too). */
  const findRunsFolders = async () => {
    const runJsons = await vscode.workspace.findFiles(`**/${defaultRunsFolder}/*/run.json`, '**/node_modules/**', 10000);
    const found = runJsons.map((u) => u.fsPath.replace(/[\\/][^\\/]+[\\/]run\.json$/, ''));
    return [...new Set([...configuredRunsFolders(), ...found])];
  };

  const runsTree = new RunsTreeProvider(async () => readRunsFolders(await findRunsFolders()), { openCommand: commandIds.openDashboard });
  const isExcludedDataset = (path: string) => isExcludedDatasetPath(path, configuredRunsFolders());
  const datasetsTree = new DatasetsTreeProvider({
    findDatasets: () => vscode.workspace.findFiles(datasetGlob, datasetSearchExclude, 5000),
    summarize: (uri) => summarizeDataset(uri.fsPath),
    relativePath: (uri) => vscode.workspace.asRelativePath(uri),
  }, isExcludedDataset);
  const datasetProblems = vscode.languages.createDiagnosticCollection('classifierWorkbench.dataset');
  const reports = new DatasetReportDocuments();

  const prediction = registerPredictionFeatures(context, engine, settings);
  const panels = registerWebviewPanels(context, {
    stopRun: async (runId) => void (await engine.cancelRun(runId)),
    setUncertaintyThreshold: async (runDir, threshold, target, perClass) => {
      await engine.setUncertaintyThreshold({ runDir, threshold, target, ...(perClass ? { perClass } : {}) });
      // The active model's threshold is the one hovers use: the setting follows the run (issue 19).
      const active = prediction.activeModel.current;
      if (active?.runId === undefined || resolve(active.path) !== resolve(runDir)) return { setting: false };
      // Per-class thresholds come with the model: load it again so hovers get them.
      prediction.activeModel.invalidateEngineCopy();
      await vscode.workspace.getConfiguration(settingsSection).update('uncertaintyThreshold', threshold, vscode.ConfigurationTarget.Workspace);
      return { setting: true };
    },
    pickRunDirs: async (selected) => (await pickRuns(runsTree, 'compare', selected))?.map((r) => r.runDir),
    log: (message) => output.appendLine(message),
  });
  const runStatus = new RunStatusBar();
  const datasetsView = vscode.window.createTreeView('classifierWorkbench.datasets', { treeDataProvider: datasetsTree, showCollapseAll: true });
  const runsView = vscode.window.createTreeView('classifierWorkbench.runs', { treeDataProvider: runsTree, showCollapseAll: true, canSelectMany: false });
  const modelStatus = new ActiveModelStatusBar(prediction.activeModel);
  runsTree.setActiveModel(prediction.activeModel.current?.path);

  const services: WorkbenchServices = {
    engine, runsTree, datasetsTree, panels, datasetProblems, settings, runsFolderFor,
    activeModel: prediction.activeModel,
    recentModels: {
      get: () => context.globalState.get<string[]>(recentModelsKey, []),
      remember: (model) => context.globalState.update(recentModelsKey, rememberModel(context.globalState.get<string[]>(recentModelsKey, []), model)),
    },
    showLog: () => output.show(true),
    runHistory,
    restartEngine: () => restartEngine(engine, output),
    extensionUri: context.extensionUri,
  };

  registerActiveLearning(context, services);

  const datasetWatcher = vscode.workspace.createFileSystemWatcher(datasetGlob);
  // The file watcher can miss a dataset written into a folder just created: new folders are searched as well.
  const createdFolders = new CreatedFolderWatcher({ datasetGlob, isExcluded: isExcludedDataset, add: (uri) => datasetsTree.add(uri) });
  // Runs written by the CLI or another window appear and change state too; writes within a second share one re-read
  // (a throttle, not a debounce: run.json of a training run is rewritten often, and the tree must still update).
  const runWatcher = vscode.workspace.createFileSystemWatcher('**/run.json');
  let runRefresh: ReturnType<typeof setTimeout> | undefined;
  const refreshRunsSoon = (uri: vscode.Uri) => {
    const path = uri.fsPath.replace(/\\/g, '/');
    if (!path.includes(`/${defaultRunsFolder}/`) && !configuredRunsFolders().some((dir) => uri.fsPath.startsWith(dir))) return;
    runRefresh ??= setTimeout(() => {
      runRefresh = undefined;
      void runsTree.refresh();
    }, 1000);
  };
  const feedPanels = (event: TrainEvent) => panels.handleTrainEvent(event);
  const running = new Set<string>();
  const setRunning = () => vscode.commands.executeCommand('setContext', contextKeys.runInProgress, running.size > 0);

  context.subscriptions.push(
    output, runsTree, datasetsTree, datasetProblems, reports, runStatus, modelStatus, datasetWatcher, createdFolders, runWatcher,
    { dispose: () => clearTimeout(runRefresh) },
    datasetsView, runsView,
    // Restricted Mode: the views say training is off and why (their welcome content does when they are empty).
    ...showRestrictedModeNotices([
      { view: runsView, hasItems: () => runsTree.records.length > 0, onDidChangeTreeData: runsTree.onDidChangeTreeData, message: runsRestrictedMessage },
      { view: datasetsView, hasItems: () => datasetsTree.datasets.length > 0, onDidChangeTreeData: datasetsTree.onDidChangeTreeData, message: datasetsRestrictedMessage },
    ]),
    vscode.workspace.registerTextDocumentContentProvider(reportScheme, reports),
    ...registerCommands(services, reports, context.globalStorageUri),
    datasetWatcher.onDidCreate((uri) => datasetsTree.add(uri)),
    datasetWatcher.onDidChange((uri) => {
      datasetsTree.invalidate(uri);
      // Line numbers of an edited file no longer hold; "Inspect dataset" publishes fresh ones.
      datasetProblems.delete(uri);
    }),
    datasetWatcher.onDidDelete((uri) => {
      datasetsTree.remove(uri);
      datasetProblems.delete(uri);
    }),
    runWatcher.onDidCreate(refreshRunsSoon),
    runWatcher.onDidChange(refreshRunsSoon),
    runWatcher.onDidDelete((uri) => {
      refreshRunsSoon(uri);
      void forgetDeletedActiveModel(prediction.activeModel, dirname(uri.fsPath));
    }),
    engine.onProgress((p) => {
      runsTree.applyProgress(p);
      runStatus.update(p);
      feedPanels({ type: 'progress', ...p });
    }),
    engine.onEpoch((e) => {
      runsTree.applyEpoch(e);
      feedPanels({ type: 'epoch', ...e });
    }),
    engine.onRunTest((t) => feedPanels({ type: 'test', ...t })),
    onFailureShown((message) => runHistory.error(message)),
    engine.onRunState((s) => {
      const record = runsTree.record(s.runId);
      runHistory.state(s, record ? { ...record, dataset: record.dataset && vscode.workspace.asRelativePath(record.dataset) } : {});
      runsTree.applyState(s);
      runStatus.state(s);
      feedPanels({ type: 'state', ...s });
      if (s.state === 'running' || s.state === 'queued') running.add(s.runId);
      else running.delete(s.runId);
      void setRunning();
    }),
    engine.onReady(() => prediction.activeModel.invalidateEngineCopy()),
    engine.onCrash(() => prediction.activeModel.invalidateEngineCopy()),
    prediction.activeModel.onDidChange((record) => runsTree.setActiveModel(record?.path)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${settingsSection}.runsFolder`)) {
        void runsTree.refresh();
        void datasetsTree.refresh();
      }
      if (e.affectsConfiguration(`${settingsSection}.engine.backend`) && engine.isRunning) {
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('The backend setting applies to new runs. Restart the engine to use it for predictions too (a running run is interrupted and can be resumed).'), vscode.l10n.t('Restart engine'));
        if (choice) await vscode.commands.executeCommand(commandIds.restartEngine);
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      void runsTree.refresh();
      void datasetsTree.refresh();
    }),
    // Trust unlocks training; the trees already show everything, so only menus (via isWorkspaceTrusted) change.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void runsTree.refresh()),
  );
}

/** Shuts the engine down politely: a run in flight becomes `interrupted` and can be resumed after reload. */
export async function deactivate(): Promise<void> {
  await engineToStop?.dispose();
  engineToStop = undefined;
}
