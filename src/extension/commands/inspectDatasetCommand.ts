// "Inspect dataset": works in Restricted Mode too (it only reads; the report then says training is off). Problems go
// to the Problems panel and the report opens in the Markdown preview.
import * as vscode from 'vscode';
import { datasetReportMarkdown } from './datasetReportMarkdown';
import type { DatasetReportDocuments } from './datasetReportDocuments';
import { inspectWithEngine } from './inspectWithEngine';
import { resolveDataset } from './resolveDataset';
import type { WorkbenchServices } from './workbenchServices';

export async function inspectDatasetCommand(s: WorkbenchServices, reports: DatasetReportDocuments, arg?: unknown): Promise<void> {
  const uri = await resolveDataset(arg, s.datasetsTree);
  if (!uri) return;
  const report = await inspectWithEngine(s, uri);
  if (!report) return;
  s.datasetsTree.invalidate(uri);
  const doc = reports.set(uri.fsPath, datasetReportMarkdown(report, { trainingAllowed: vscode.workspace.isTrusted }));
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc);
}
