// Opens a run's report.md (rendered) or reveals its exported model folder, from the dashboard's links.
import * as vscode from 'vscode';
import { join } from 'node:path';

/** Opens `report.md` in the Markdown preview, or reveals `model/` in the explorer (or the OS file manager). */
export async function openRunArtifact(runDir: string, artifact: 'report' | 'model'): Promise<void> {
  if (artifact === 'report') {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(join(runDir, 'report.md')));
    return;
  }
  const modelUri = vscode.Uri.file(join(runDir, 'model'));
  // revealInExplorer only works inside the workspace; outside it the OS file manager is the next best thing.
  if (vscode.workspace.getWorkspaceFolder(modelUri)) await vscode.commands.executeCommand('revealInExplorer', modelUri);
  else await vscode.commands.executeCommand('revealFileInOS', modelUri);
}
