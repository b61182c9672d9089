// Shows a folder to the user on any host. `revealFileInOS` exists only in desktop VS Code on a local window:
// code-server, vscode.dev and remote windows (SSH, containers, WSL) answer "command 'revealFileInOS' not found".
import * as vscode from 'vscode';

/**
 * Reveals `folder`: in the Explorer when it is inside the workspace; in the OS file manager on a local desktop
 * window; else (or if that fails) it offers to open the folder in a new window or copy its path. Never throws:
 * the action that produced the folder has succeeded whatever happens here.
 */
export async function revealFolder(folder: string): Promise<void> {
  const uri = vscode.Uri.file(folder);
  try {
    if (vscode.workspace.getWorkspaceFolder(uri)) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    if (vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined) {
      await vscode.commands.executeCommand('revealFileInOS', uri);
      return;
    }
  } catch {
    // Fall through to what every host can do.
  }
  const openWindow = vscode.l10n.t('Open in new window');
  const copy = vscode.l10n.t('Copy path');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} is outside this workspace.', folder), openWindow, copy);
  try {
    if (choice === openWindow) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    if (choice === copy) await vscode.env.clipboard.writeText(folder);
  } catch (error) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Could not open {0}: {1}', folder, error instanceof Error ? error.message : String(error)));
  }
}
