// "Open sample dataset" (the walkthrough's first step): copies a bundled sample from the extension's samples/
// folder into the workspace (runs are written next to the dataset, never inside the installed extension) and
// opens it. With no folder open, or in Restricted Mode, the sample goes to the extension's global storage instead.
import * as vscode from 'vscode';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { showFailure } from './showFailure';

/** Sample files of the extension: `*.jsonl` in samples/ (siblings such as `*.validation.jsonl` come along). */
export async function listSamples(samplesDir: string): Promise<string[]> {
  try {
    return (await readdir(samplesDir)).filter((f) => f.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
}

export async function openSampleCommand(extensionUri: vscode.Uri, globalStorage: vscode.Uri): Promise<void> {
  const samplesDir = vscode.Uri.joinPath(extensionUri, 'samples').fsPath;
  const files = await listSamples(samplesDir);
  if (!files.length) {
    void vscode.window.showErrorMessage(vscode.l10n.t('This installation has no sample dataset (samples/ is empty). Open any JSONL file with one {"text": ..., "label": ...} object per line instead.'));
    return;
  }
  // Restricted Mode: nothing is written into a workspace the user has not trusted; the sample goes to the
  // extension's own storage and opens from there (it can be inspected, not trained on, until trust is granted).
  const folder = (vscode.workspace.isTrusted ? vscode.workspace.workspaceFolders?.[0]?.uri : undefined) ?? globalStorage;
  const target = join(folder.fsPath, 'classifier-workbench-sample');
  try {
    await mkdir(target, { recursive: true });
    for (const f of files) await copyFile(join(samplesDir, f), join(target, f));
    const main = files.find((f) => /train/.test(f)) ?? files[0];
    const uri = vscode.Uri.file(join(target, main));
    await vscode.window.showTextDocument(uri, { preview: false });
    if (folder === globalStorage && vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Restricted Mode: the sample was copied to {0}, outside this workspace, which you have not marked as trusted.', target));
    } else if (folder === globalStorage) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The sample is in {0}. Open that folder to see it in the Datasets view.', target));
    }
  } catch (error) {
    await showFailure(vscode.l10n.t('Could not copy the sample dataset'), error);
  }
}
