// Restricted Mode: in an untrusted workspace, reading and browsing work, but training and loading models from the
// workspace are refused with an explanation (a model folder or training config from an untrusted repository
// makes the engine read and execute on files the user has not vetted).
import * as vscode from 'vscode';

export const manageTrustAction = 'Manage Workspace Trust';

/**
 * True when the workspace is trusted; otherwise explains why `action` is refused and offers to manage trust.
 * @param action what the user tried, in sentence case ("Fine-tuning", "Setting the active model").
 */
export async function requireWorkspaceTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `${action} is disabled in Restricted Mode. It loads model files and runs training on data from this workspace, ` +
      'which you have not marked as trusted. Inspecting datasets and browsing runs still work.',
    manageTrustAction,
  );
  if (choice === manageTrustAction) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
