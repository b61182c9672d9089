// Opens a run's report.md (rendered) or reveals its exported model folder, from the dashboard's links.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { revealFolder } from '../revealFolder';

/** Opens `report.md` in the Markdown preview, or reveals `model/` in the explorer (or the OS file manager). */
export async function openRunArtifact(runDir: string, artifact: 'report' | 'model'): Promise<void> {
  if (artifact === 'report') {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(join(runDir, 'report.md')));
    return;
  }
  await revealFolder(join(runDir, 'model'));
}
