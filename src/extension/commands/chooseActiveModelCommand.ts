// The active-model status bar item's click: pick a completed run (newest first) or a model folder, or clear the
// choice. Loading goes through "Set active model" (src/extension/labelIssues), which owns the active model.
import * as vscode from 'vscode';
import { runDescription, runLabel } from '../views/runsTree';
import type { WorkbenchServices } from './workbenchServices';
import { commandIds } from './commandIds';

type Choice = vscode.QuickPickItem & { action: 'run' | 'browse' | 'clear'; runId?: string; runDir?: string };

/** Shows the pick and hands the choice to setActiveModel / clearActiveModel. */
export async function chooseActiveModelCommand(s: WorkbenchServices): Promise<void> {
  if (!s.runsTree.records.length) await s.runsTree.refresh();
  const current = s.activeModel.current?.path;
  const items: Choice[] = s.runsTree.records
    .filter((r) => r.state === 'completed')
    .map((r) => ({ action: 'run', runId: r.runId, runDir: r.runDir, label: `${r.runDir === current ? '$(check)' : '$(beaker)'} ${runLabel(r)}`, description: runDescription(r, undefined), detail: r.runDir }));
  items.push({ action: 'browse', label: '$(folder-opened) Browse for a model folder…', description: 'an exported run or a Hugging Face folder' });
  if (current) items.push({ action: 'clear', label: '$(close) Clear the active model', description: 'hover stops predicting' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Active model',
    placeHolder: items.length > 2 ? 'The model hover and label-issue diagnostics use' : 'No completed run yet: fine-tune one, or browse for a model folder',
    matchOnDescription: true,
  });
  if (!picked) return;
  if (picked.action === 'clear') return void (await vscode.commands.executeCommand(commandIds.clearActiveModel));
  // setActiveModel takes a run as { runId, runDir }; without an argument it asks for a folder.
  const arg = picked.action === 'run' ? { runId: picked.runId, runDir: picked.runDir } : undefined;
  await vscode.commands.executeCommand(commandIds.setActiveModel, arg);
}
