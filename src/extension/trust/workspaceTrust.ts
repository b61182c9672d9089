// Restricted Mode: in an untrusted workspace, reading and browsing work, but training, loading models from the
// workspace and having the engine write into it are refused with the reason (a model folder or training config
// from an untrusted repository makes the engine read and run on files the user has not vetted). The menus already
// show these commands disabled (`enablement` in package.json, listed in trustedCommands.ts); this is the refusal for
// every other way in.
import * as vscode from 'vscode';

/** What a refused command was doing, one per kind of trusted work. */
export type TrustedAction =
  | 'fineTune' | 'resumeRun' | 'retrain' | 'findLabelIssues' | 'suggestLabels' | 'loadModel' | 'exportModel'
  | 'deleteRun' | 'exportJob' | 'importRun';

/** The label of the button that opens VS Code's trust editor. */
export function manageTrustAction(): string {
  return vscode.l10n.t('Manage Workspace Trust');
}

/**
 * Why `action` is off in Restricted Mode: one sentence pair naming the action and what it would do with the
 * workspace's files. Whole sentences, so translators see them whole.
 */
export function restrictedModeReason(action: TrustedAction): string {
  switch (action) {
    case 'fineTune': return vscode.l10n.t('Fine-tuning is disabled in Restricted Mode. It loads model files and trains on data from this workspace, which you have not marked as trusted.');
    case 'resumeRun': return vscode.l10n.t('Resuming a run is disabled in Restricted Mode. It loads the run\'s checkpoint and trains on data from this workspace, which you have not marked as trusted.');
    case 'retrain': return vscode.l10n.t('Retraining is disabled in Restricted Mode. It loads model files and trains on data from this workspace, which you have not marked as trusted.');
    case 'findLabelIssues': return vscode.l10n.t('Finding label issues is disabled in Restricted Mode. It trains models on data from this workspace, which you have not marked as trusted.');
    case 'suggestLabels': return vscode.l10n.t('Suggesting lines to label is disabled in Restricted Mode. It loads a model from this workspace, which you have not marked as trusted.');
    case 'loadModel': return vscode.l10n.t('Loading a model is disabled in Restricted Mode. It reads model files (configuration, tokenizer, weights) from this workspace, which you have not marked as trusted.');
    case 'exportModel': return vscode.l10n.t('Exporting a model is disabled in Restricted Mode. It reads the run\'s model files and writes a model folder into this workspace, which you have not marked as trusted.');
    case 'deleteRun': return vscode.l10n.t('Deleting a run is disabled in Restricted Mode. It removes folders from this workspace, which you have not marked as trusted.');
    case 'exportJob': return vscode.l10n.t('Writing a training job is disabled in Restricted Mode. It writes a job folder from a run\'s configuration in this workspace, which you have not marked as trusted.');
    case 'importRun': return vscode.l10n.t('Importing a run is disabled in Restricted Mode. It reads a run folder\'s model files and writes a run into this workspace, which you have not marked as trusted.');
  }
}

/** What still works, said after every refusal. */
export function restrictedModeStillWorks(): string {
  return vscode.l10n.t('Inspecting datasets and browsing runs still work.');
}

/**
 * True when the workspace is trusted; otherwise explains why `action` is refused and offers to manage trust.
 * @param action the kind of work the command was about to do.
 */
export async function requireWorkspaceTrust(action: TrustedAction): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = manageTrustAction();
  const choice = await vscode.window.showWarningMessage(`${restrictedModeReason(action)} ${restrictedModeStillWorks()}`, manage);
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
