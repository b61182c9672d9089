// The active-model status bar item's click: pick a completed run (newest first) or a model folder, or clear the
// choice. Loading goes through "Set active model" (src/extension/labelIssues), which owns the active model. In
// Restricted Mode loading is off, so the pick offers no model at all: it says why (and still lets the user clear).
import * as vscode from 'vscode';
import { runDescription, runLabel } from '../views/runsTree';
import { manageTrustAction, restrictedModeReason } from '../trust/workspaceTrust';
import type { WorkbenchServices } from './workbenchServices';
import { commandIds } from './commandIds';

type Choice = vscode.QuickPickItem & { action: 'run' | 'browse' | 'clear' | 'trust'; runId?: string; runDir?: string };

/** Shows the pick and hands the choice to setActiveModel / clearActiveModel. */
export async function chooseActiveModelCommand(s: WorkbenchServices): Promise<void> {
  if (!vscode.workspace.isTrusted) return restrictedModePick(s);
  if (!s.runsTree.records.length) await s.runsTree.refresh();
  const current = s.activeModel.current?.path;
  const items: Choice[] = s.runsTree.records
    .filter((r) => r.state === 'completed')
    .map((r) => ({ action: 'run', runId: r.runId, runDir: r.runDir, label: `${r.runDir === current ? '$(check)' : '$(beaker)'} ${runLabel(r, undefined, s.runsTree.records)}`, description: runDescription(r, undefined), detail: r.runDir }));
  items.push({ action: 'browse', label: `$(folder-opened) ${vscode.l10n.t('Browse for a model folder…')}`, description: vscode.l10n.t('an exported run or a Hugging Face folder') });
  if (current) items.push(clearItem());
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Active model'),
    placeHolder: items.length > 2 ? vscode.l10n.t('The model hover and label-issue diagnostics use') : vscode.l10n.t('No completed run yet: fine-tune one, or browse for a model folder'),
    matchOnDescription: true,
  });
  if (!picked) return;
  if (picked.action === 'clear') return void (await vscode.commands.executeCommand(commandIds.clearActiveModel));
  // setActiveModel takes a run as { runId, runDir }; without an argument it asks for a folder.
  const arg = picked.action === 'run' ? { runId: picked.runId, runDir: picked.runDir } : undefined;
  await vscode.commands.executeCommand(commandIds.setActiveModel, arg);
}

/** Restricted Mode: no model to pick (loading one would be refused); the reason, trust, and clearing the current one. */
async function restrictedModePick(s: WorkbenchServices): Promise<void> {
  const items: Choice[] = [{ action: 'trust', label: `$(shield) ${manageTrustAction()}`, detail: restrictedModeReason('loadModel') }];
  if (s.activeModel.current) items.push(clearItem());
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Active model (Restricted Mode)'),
    placeHolder: vscode.l10n.t('Loading a model is off until you trust this workspace'),
  });
  if (picked?.action === 'trust') await vscode.commands.executeCommand('workbench.trust.manage');
  if (picked?.action === 'clear') await vscode.commands.executeCommand(commandIds.clearActiveModel);
}

function clearItem(): Choice {
  return { action: 'clear', label: `$(close) ${vscode.l10n.t('Clear the active model')}`, description: vscode.l10n.t('hover stops predicting') };
}
