// "Open sample dataset" (the walkthrough's first step): copies a bundled sample from the extension's samples/
// folder into the workspace (runs are written next to the dataset, never inside the installed extension) and
// opens it.
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
    void vscode.window.showErrorMessage('This installation has no sample dataset (samples/ is empty). Open any JSONL file with one {"text": ..., "label": ...} object per line instead.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? globalStorage;
  const target = join(folder.fsPath, 'classifier-workbench-sample');
  try {
    await mkdir(target, { recursive: true });
    for (const f of files) await copyFile(join(samplesDir, f), join(target, f));
    const main = files.find((f) => /train/.test(f)) ?? files[0];
    const uri = vscode.Uri.file(join(target, main));
    await vscode.window.showTextDocument(uri, { preview: false });
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage(`The sample is in ${target}. Open that folder to see it in the Datasets view.`);
    }
  } catch (error) {
    await showFailure('Could not copy the sample dataset', error);
  }
}
