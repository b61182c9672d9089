// "Fine-tune classifier": refuse in Restricted Mode, validate the dataset in the engine (problems go to the
// Problems panel; a dataset training cannot use is refused with the reason), ask model/mode/hyperparameters
// through the multi-step pick, start the run and follow it.
import * as vscode from 'vscode';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { DatasetReadOptions, DatasetReport } from '../../protocol/dataset';
import type { TrainConfigInput } from '../../protocol/runs';
import { FineTuneFlow, type FineTuneChoice } from '../quickPick/fineTuneFlow';
import { gatherModelChoices, hubCacheDir, listCachedModels, listModelFolders } from '../quickPick/modelCandidates';
import { showFineTuneFlow } from '../quickPick/showFineTuneFlow';
import { requireWorkspaceTrust } from '../trust/workspaceTrust';
import { explainRefusal, firstProblem, summariseProblems } from './datasetDiagnostics';
import { inspectWithEngine } from './inspectWithEngine';
import { resolveDataset } from './resolveDataset';
import { runElsewhere } from './runElsewhereCommand';
import { workspaceFolderOf } from './workspaceFolderOf';
import { absoluteModelArgument } from '../../common/modelArgument';
import { openFileAt, showFailure } from './showFailure';
import { proposeDefaults } from './proposeDefaults';
import { trackRunProgress } from './trackRunProgress';
import type { WorkbenchServices } from './workbenchServices';

/** Command handler; `arg` is the explorer/editor resource or a Datasets tree node. */
export async function fineTuneCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('fineTune'))) return;
  const uri = await resolveDataset(arg, s.datasetsTree);
  if (!uri) return;
  const report = await inspectWithEngine(s, uri);
  if (!report) return;
  if (!report.trainable) return void showRefusal(report);

  const settings = s.settings();
  const [models, proposal] = await Promise.all([findModels(s), proposeDefaults(s, uri, settings, report)]);
  const flow = new FineTuneFlow({
    defaults: { model: proposal?.model ?? settings.defaultModel, mode: proposal?.mode ?? settings.defaultMode, hyperparameters: settings.hyperparameters },
    models, defaultsDetail: proposal?.detail, ngramAlternative: proposal?.ngramAlternative,
    // From the palette the file is the active editor's or a pick: every step's title names it.
    dataset: vscode.workspace.asRelativePath(uri),
  });
  const choice = await showFineTuneFlow(flow);
  if (!choice) return;
  await s.recentModels.remember(choice.model);

  const config = toTrainConfig(uri.fsPath, choice, settings.backend, s.runsFolderFor(uri.fsPath), settings.dataset, workspaceFolderOf(uri.fsPath));
  if (choice.destination === 'elsewhere') return void (await runElsewhere(s, config, workspaceFolderOf(uri.fsPath)));
  const name = uri.fsPath.split(/[\\/]/).pop() ?? uri.fsPath;
  try {
    const run = await s.engine.startRun(config);
    void s.runsTree.refresh();
    void vscode.commands.executeCommand('classifierWorkbench.runs.focus');
    const caveat = summariseProblems(report);
    if (caveat) void vscode.window.showWarningMessage(vscode.l10n.t('Training on {0}: {1} (see the Problems panel).', name, caveat), vscode.l10n.t('Show problems')).then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
    await trackRunProgress(s, run, vscode.l10n.t('Fine-tuning {0} on {1}', choice.model, name));
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not start fine-tuning on {0}', name), error);
  }
}

/** The `run/start` config for the user's choice; unset epochs, batch size and learning rate are left to the engine's per-model defaults. */
export function toTrainConfig(dataset: string, choice: FineTuneChoice, backend: TrainConfigInput['backend'], runsDir: string, readOptions: DatasetReadOptions = {}, workspaceFolder?: string): TrainConfigInput {
  const h = choice.hyperparameters;
  const config: TrainConfigInput = {
    dataset, ...readOptions, model: absoluteModelArgument(choice.model, workspaceFolder ?? dirname(dataset)), ...(choice.revision ? { revision: choice.revision } : {}), mode: choice.mode, backend, runsDir,
    // The Engine: Backend setting promises a fallback when the chosen backend is not installed.
    backendFallback: true,
    maxLength: h.maxLength, patience: h.patience, validationSplit: h.validationSplit,
  };
  if (h.classWeights !== 'none') config.classWeights = h.classWeights === 'balanced' || isAbsolute(h.classWeights) ? h.classWeights : resolvePath(workspaceFolder ?? dirname(dataset), h.classWeights);
  if (h.epochs !== null) config.epochs = h.epochs;
  if (h.batchSize !== null) config.batchSize = h.batchSize;
  if (h.learningRate !== null) config.learningRate = h.learningRate;
  return config;
}

async function showRefusal(report: DatasetReport): Promise<void> {
  const first = firstProblem(report);
  const openAtLine = vscode.l10n.t('Open file at line');
  const showProblems = vscode.l10n.t('Show problems');
  const actions = first ? [openAtLine, showProblems] : [showProblems];
  const choice = await vscode.window.showErrorMessage(explainRefusal(report), ...actions);
  if (choice === openAtLine && first) await openFileAt(first.file, first.line, first.column);
  if (choice === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

async function findModels(s: WorkbenchServices) {
  const [configs, cached] = await Promise.all([
    // Exported run models (`<run>/model/`) are useful bases; checkpoints are not.
    vscode.workspace.findFiles('**/config.json', '{**/node_modules/**,**/checkpoints/**,**/.git/**}', 200).then((uris) => uris.map((u) => u.fsPath)),
    listCachedModels(hubCacheDir()),
  ]);
  return gatherModelChoices({
    recent: s.recentModels.get(),
    workspaceFolders: await listModelFolders(configs),
    cached,
    relative: (p) => vscode.workspace.asRelativePath(p),
  });
}
