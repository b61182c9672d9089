// Handlers of the commands on a run: stop, resume, delete, reveal folder, the three result views, comparison and
// export ("Set active model" lives with the hover in src/extension/labelIssues). Each takes a Runs tree node, a
// run id, or nothing (then the user picks).
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { isSameOrInside } from '../../common/isSameOrInside';
import type { ModelExportResult, OnnxExportOptions } from '../../protocol/model';
import { describeExport } from '../../common/describeExport';
import type { RunStateName } from '../../protocol/train';
import { requireWorkspaceTrust } from '../trust/workspaceTrust';
import { pickRuns, resolveRun } from './resolveRun';
import { showFailure } from './showFailure';
import { revealFolder } from '../revealFolder';
import { plural } from '../../common/plural';
import { trackRunProgress } from './trackRunProgress';
import type { WorkbenchServices } from './workbenchServices';

const all: RunStateName[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];
const finished: RunStateName[] = ['completed', 'cancelled', 'interrupted'];

export async function stopRunCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  const run = await resolveRun(arg, s.runsTree, ['queued', 'running'], 'stop');
  if (!run) return;
  try {
    await s.engine.cancelRun(run.runId);
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not stop run {0}', run.runId), error);
  }
}

export async function resumeRunCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('resumeRun'))) return;
  const run = await resolveRun(arg, s.runsTree, ['cancelled', 'interrupted', 'failed'], 'resume');
  if (!run) return;
  try {
    const ref = await s.engine.resumeRun(run.runDir);
    void s.runsTree.refresh();
    await trackRunProgress(s, ref, vscode.l10n.t('Resuming run {0}', run.runId));
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not resume run {0}', run.runId), error);
  }
}

export async function deleteRunCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('deleteRun'))) return;
  const run = await resolveRun(arg, s.runsTree, all, 'delete');
  if (!run) return;
  if (run.state === 'running' || run.state === 'queued') {
    const stop = vscode.l10n.t('Stop run');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Run {0} is {1}. Stop it before deleting it.', run.runId, run.state), stop);
    if (choice === stop) await stopRunCommand(s, run.runId);
    return;
  }
  const isActiveModel = isActiveModelRun(s, run.runDir);
  const remove = vscode.l10n.t('Delete');
  const confirm = await vscode.window.showWarningMessage(
    isActiveModel ? vscode.l10n.t('Delete run {0}? It is the active model.', run.runId) : vscode.l10n.t('Delete run {0}?', run.runId),
    {
      modal: true,
      detail: vscode.l10n.t('This deletes {0} with its checkpoints, predictions and exported model. It cannot be undone.', run.runDir)
        + (isActiveModel ? ` ${vscode.l10n.t('Hover predictions and label checks stop using it until you set another active model.')}` : ''),
    },
    remove,
  );
  if (confirm !== remove) return;
  try {
    await s.engine.deleteRun(run.runDir);
    await s.panels.runDeleted(run.runDir);
    if (isActiveModel) {
      await s.activeModel.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Run {0} was the active model: no model is active now. Choose another with "Set active model".', run.runId));
    }
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not delete run {0}', run.runId), error);
  }
  await s.runsTree.refresh();
}

/** Whether the active model was loaded from `runDir` (the run itself or a folder inside it). */
function isActiveModelRun(s: WorkbenchServices, runDir: string): boolean {
  const path = s.activeModel.current?.path;
  return path !== undefined && isSameOrInside(path, runDir);
}

export async function revealRunFolderCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  const run = await resolveRun(arg, s.runsTree, all, 'reveal');
  if (run) await revealFolder(run.runDir);
}

export async function openDashboardCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  const run = await resolveRun(arg, s.runsTree, all, 'open the dashboard of');
  if (run) s.panels.openDashboard(run.runDir);
}

export async function openConfusionMatrixCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  const run = await resolveRun(arg, s.runsTree, finished, 'show the confusion matrix of');
  if (run) s.panels.openConfusionMatrix(run.runDir);
}

export async function browseMisclassifiedCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  const run = await resolveRun(arg, s.runsTree, finished, 'browse the misclassified examples of');
  if (run) await s.panels.openExamples(run.runDir, 'test', { correctness: 'incorrect' });
}

export async function compareRunsCommand(s: WorkbenchServices): Promise<void> {
  const runs = await pickRuns(s.runsTree, 'compare');
  if (runs) await s.panels.openComparison(runs.map((r) => r.runDir));
}

export async function exportModelCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  // Restricted Mode: export reads the run's model files (as loading a model does) and writes into the workspace;
  // offering a folder outside it would still load untrusted model files, so export is off like loading.
  if (!(await requireWorkspaceTrust('exportModel'))) return;
  const run = await resolveRun(arg, s.runsTree, ['completed'], 'export');
  if (!run) return;
  // An n-gram run has one format (its own); a transformer run may add ONNX.
  const ngram = run.config.model === 'ngram';
  const format = ngram ? { onnx: undefined } : await pickExportFormat(run.runId);
  if (!format) return;
  // Two picks in a row say which step each is, as VS Code's multi-step inputs do; an n-gram run has one.
  const outDir = await pickExportFolder(run.runId, run.runDir, ngram ? undefined : '2/2');
  if (!outDir) return;
  let result: ModelExportResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0}…', run.runId) }, () => s.engine.exportModel({ runDir: run.runDir, outDir, ...(format.onnx ? { onnx: format.onnx } : {}) }));
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not export run {0}', run.runId), error);
    return;
  }
  // The export has succeeded: what follows (reveal, copy) reports its own trouble, never "could not export".
  const onnxFiles = result.files.filter((f) => f.endsWith('.onnx')).length;
  s.runHistory.exported(run.runId, result.outDir, `${result.format === 'ngram' ? 'n-gram model' : 'Hugging Face model folder'}${onnxFiles ? ` + ONNX (${plural(onnxFiles, 'model')})` : ''}, ${plural(result.files.length, 'file')}`);
  const reveal = vscode.l10n.t('Reveal folder');
  const copy = vscode.l10n.t('Copy path');
  // A run that did not complete exported its last checkpoint: said first, as a warning, so it is not taken for the final model.
  const choice = result.warning
    ? await vscode.window.showWarningMessage(`${result.warning} ${describeExport(result, run.runId, 'vscode')}`, reveal, copy)
    : await vscode.window.showInformationMessage(describeExport(result, run.runId, 'vscode'), reveal, copy);
  if (choice === reveal) await revealFolder(result.outDir);
  if (choice === copy) await vscode.env.clipboard.writeText(result.outDir);
}

/**
 * What a transformer run's export holds: the Hugging Face folder alone, or with its ONNX model (float32, or float32 and
 * int8). The descriptions say what each adds and what loads it, as the engine's ONNX options do.
 * @returns the `onnx` parameter of model/export (undefined: none), or undefined when the user dismissed the pick
 */
async function pickExportFormat(runId: string): Promise<{ onnx: OnnxExportOptions | undefined } | undefined> {
  const items: (vscode.QuickPickItem & { onnx: OnnxExportOptions | undefined })[] = [
    { label: `$(folder) ${vscode.l10n.t('Hugging Face folder')}`, description: vscode.l10n.t('config.json, model.safetensors, tokenizer: for transformers in Python'), onnx: undefined },
    { label: `$(package) ${vscode.l10n.t('Hugging Face folder + ONNX')}`, description: vscode.l10n.t('adds onnx/model.onnx: ONNX Runtime, transformers.js, Optimum'), onnx: {} },
    { label: `$(zap) ${vscode.l10n.t('Hugging Face folder + ONNX (int8)')}`, description: vscode.l10n.t('also onnx/model_quantized.onnx: int8 weights, about a quarter of the size, slightly different scores'), onnx: { quantize: 'int8' } },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export run {0} ({1})', runId, '1/2'), placeHolder: vscode.l10n.t('What should the export hold?') });
  return picked ? { onnx: picked.onnx } : undefined;
}

/**
 * Where an export goes: a visible folder in the workspace by default (`exported-models/<run id>` beside the
 * runs' hidden folder), the run's own `model/` folder, or a folder the user picks. The engine refuses a folder
 * that holds other files, so nothing of the user's is overwritten.
 * @param step shown in the title ("2/2") when this pick follows the format pick
 */
async function pickExportFolder(runId: string, runDir: string, step?: string): Promise<string | undefined> {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(runDir))?.uri.fsPath ?? dirname(dirname(dirname(runDir)));
  const visible = join(root, 'exported-models', runId);
  const items: (vscode.QuickPickItem & { target: string | 'choose' })[] = [
    { label: '$(folder) exported-models/' + runId, description: vscode.l10n.t('in the workspace (recommended)'), detail: visible, target: visible },
    { label: `$(archive) ${vscode.l10n.t('The run folder')}`, description: vscode.l10n.t('model/ inside the run'), detail: join(runDir, 'model'), target: join(runDir, 'model') },
    { label: `$(folder-opened) ${vscode.l10n.t('Choose a folder…')}`, description: vscode.l10n.t('a {0} folder is made inside it', runId), target: 'choose' },
  ];
  const title = step ? vscode.l10n.t('Export run {0} ({1})', runId, step) : vscode.l10n.t('Export run {0}', runId);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Where should the model folder be written?') });
  if (!picked) return undefined;
  if (picked.target !== 'choose') return picked.target;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(root), openLabel: vscode.l10n.t('Export here') });
  return chosen?.[0] ? join(chosen[0].fsPath, runId) : undefined;
}
