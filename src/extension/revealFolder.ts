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
  const choice = await vscode.window.showInformationMessage(`${folder} is outside this workspace.`, 'Open in new window', 'Copy path');
  try {
    if (choice === 'Open in new window') await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    if (choice === 'Copy path') await vscode.env.clipboard.writeText(folder);
  } catch (error) {
    void vscode.window.showWarningMessage(`Could not open ${folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
