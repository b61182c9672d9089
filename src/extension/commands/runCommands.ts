// Handlers of the commands on a run: stop, resume, delete, reveal folder, the three result views, comparison and
// export ("Set active model" lives with the hover in src/extension/labelIssues). Each takes a Runs tree node, a
// run id, or nothing (then the user picks).
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { isSameOrInside } from '../../common/isSameOrInside';
import type { ModelExportResult } from '../../protocol/model';
import { describeExport } from '../../common/describeExport';
import type { RunStateName } from '../../protocol/train';
import { requireWorkspaceTrust } from '../trust/workspaceTrust';
import { pickRuns, resolveRun } from './resolveRun';
import { showFailure } from './showFailure';
import { revealFolder } from '../revealFolder';
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
    await showFailure(`Could not stop run ${run.runId}`, error);
  }
}

export async function resumeRunCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('resumeRun'))) return;
  const run = await resolveRun(arg, s.runsTree, ['cancelled', 'interrupted', 'failed'], 'resume');
  if (!run) return;
  try {
    const ref = await s.engine.resumeRun(run.runDir);
    void s.runsTree.refresh();
    await trackRunProgress(s, ref, `Resuming run ${run.runId}`);
  } catch (error) {
    await showFailure(`Could not resume run ${run.runId}`, error);
  }
}

export async function deleteRunCommand(s: WorkbenchServices, arg?: unknown): Promise<void> {
  if (!(await requireWorkspaceTrust('deleteRun'))) return;
  const run = await resolveRun(arg, s.runsTree, all, 'delete');
  if (!run) return;
  if (run.state === 'running' || run.state === 'queued') {
    const choice = await vscode.window.showWarningMessage(`Run ${run.runId} is ${run.state}. Stop it before deleting it.`, 'Stop run');
    if (choice) await stopRunCommand(s, run.runId);
    return;
  }
  const isActiveModel = isActiveModelRun(s, run.runDir);
  const confirm = await vscode.window.showWarningMessage(
    isActiveModel ? `Delete run ${run.runId}? It is the active model.` : `Delete run ${run.runId}?`,
    {
      modal: true,
      detail: `This deletes ${run.runDir} with its checkpoints, predictions and exported model. It cannot be undone.`
        + (isActiveModel ? ' Hover predictions and label checks stop using it until you set another active model.' : ''),
    },
    'Delete',
  );
  if (confirm !== 'Delete') return;
  try {
    await s.engine.deleteRun(run.runDir);
    if (isActiveModel) {
      await s.activeModel.clear();
      void vscode.window.showInformationMessage(`Run ${run.runId} was the active model: no model is active now. Choose another with "Set active model".`);
    }
  } catch (error) {
    await showFailure(`Could not delete run ${run.runId}`, error);
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
  const outDir = await pickExportFolder(run.runId, run.runDir);
  if (!outDir) return;
  let result: ModelExportResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${run.runId}…` }, () => s.engine.exportModel({ runDir: run.runDir, outDir }));
  } catch (error) {
    await showFailure(`Could not export run ${run.runId}`, error);
    return;
  }
  // The export has succeeded: what follows (reveal, copy) reports its own trouble, never "could not export".
  const choice = await vscode.window.showInformationMessage(describeExport(result, run.runId), 'Reveal folder', 'Copy path');
  if (choice === 'Reveal folder') await revealFolder(result.outDir);
  if (choice === 'Copy path') await vscode.env.clipboard.writeText(result.outDir);
}

/**
 * Where an export goes: a visible folder in the workspace by default (`exported-models/<run id>` beside the
 * runs' hidden folder), the run's own `model/` folder, or a folder the user picks. The engine refuses a folder
 * that holds other files, so nothing of the user's is overwritten.
 */
async function pickExportFolder(runId: string, runDir: string): Promise<string | undefined> {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(runDir))?.uri.fsPath ?? dirname(dirname(dirname(runDir)));
  const visible = join(root, 'exported-models', runId);
  const items: (vscode.QuickPickItem & { target: string | 'choose' })[] = [
    { label: '$(folder) exported-models/' + runId, description: 'in the workspace (recommended)', detail: visible, target: visible },
    { label: '$(archive) The run folder', description: 'model/ inside the run', detail: join(runDir, 'model'), target: join(runDir, 'model') },
    { label: '$(folder-opened) Choose a folder…', description: `a ${runId} folder is made inside it`, target: 'choose' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Export run ${runId}`, placeHolder: 'Where should the model folder be written?' });
  if (!picked) return undefined;
  if (picked.target !== 'choose') return picked.target;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(root), openLabel: 'Export here' });
  return chosen?.[0] ? join(chosen[0].fsPath, runId) : undefined;
}
