// Which dataset a command acts on: the explorer/editor-title resource, a Datasets tree node, the active dataset
// editor (JSONL, CSV, TSV), or (from the palette) one the user picks.
import * as vscode from 'vscode';
import type { DatasetsTreeProvider } from '../views/datasetsTree';
import { commandIds } from './commandIds';
import { datasetFormatOf } from '../../common/datasetFormat';
import { evaluationSplitOf } from '../../common/datasetSplitNames';

/**
 * The dataset URI from a command argument, the active editor, or a quick pick of the workspace's datasets.
 * @returns undefined when the user dismissed the pick or there is no dataset file at all (after saying so).
 */
export async function resolveDataset(arg: unknown, datasets: DatasetsTreeProvider): Promise<vscode.Uri | undefined> {
  const fromArg = datasetUriOf(arg);
  if (fromArg) return fromArg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && datasetFormatOf(active.fsPath)) return active;
  await datasets.getChildren();
  const candidates = datasets.datasets;
  if (!candidates.length) {
    const openSample = vscode.l10n.t('Open sample');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('No dataset in this workspace. Open a folder with a .jsonl file (one {"text", "label"} object per line) or a .csv, .tsv or .parquet file with text and label columns, or try the sample.'), openSample);
    if (choice === openSample) await vscode.commands.executeCommand(commandIds.openSample);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    datasetPickItems(candidates, (uri) => vscode.workspace.asRelativePath(uri)),
    { title: vscode.l10n.t('Pick a dataset'), placeHolder: vscode.l10n.t('JSONL, CSV, TSV and Parquet files in the workspace'), matchOnDescription: true },
  );
  return picked?.uri;
}

type DatasetPickItem = vscode.QuickPickItem & { uri?: vscode.Uri };

/**
 * The dataset pick list: files to train on first, then validation and then test splits under their own separators,
 * so the item a quick pick preselects (the first) is never an evaluation split while a training file exists.
 */
export function datasetPickItems(uris: readonly vscode.Uri[], relative: (uri: vscode.Uri) => string): DatasetPickItem[] {
  const groups: [string | undefined, vscode.Uri[]][] = [
    [undefined, uris.filter((u) => !evaluationSplitOf(u.fsPath))],
    [vscode.l10n.t('Validation splits'), uris.filter((u) => evaluationSplitOf(u.fsPath) === 'validation')],
    [vscode.l10n.t('Test splits'), uris.filter((u) => evaluationSplitOf(u.fsPath) === 'test')],
  ];
  const items: DatasetPickItem[] = [];
  for (const [title, group] of groups) {
    if (!group.length) continue;
    if (title && items.length) items.push({ label: title, kind: vscode.QuickPickItemKind.Separator });
    for (const uri of group) items.push({ label: uri.fsPath.split(/[\\/]/).pop() ?? uri.fsPath, description: relative(uri), uri });
  }
  return items;
}

/** The URI in an explorer/editor argument or a Datasets tree node (both are the file's `Uri`). */
export function datasetUriOf(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri && datasetFormatOf(arg.fsPath) ? arg : undefined;
}
