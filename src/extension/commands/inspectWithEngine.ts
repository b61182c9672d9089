// Runs `dataset/inspect` in the engine with a cancellable progress notification and publishes the problems
// as diagnostics. Shared by "Inspect dataset" and "Fine-tune classifier" (which validates first).
import * as vscode from 'vscode';
import type { DatasetReport } from '../../protocol/dataset';
import { DatasetInspect } from '../../protocol/datasetInspect';
import { publishDatasetProblems } from './datasetDiagnostics';
import { showFailure } from './showFailure';
import type { WorkbenchServices } from './workbenchServices';

/**
 * The engine's report on a dataset file, after publishing its problems; undefined when cancelled or failed
 * (the failure has been shown).
 */
export async function inspectWithEngine(s: WorkbenchServices, uri: vscode.Uri): Promise<DatasetReport | undefined> {
  const name = uri.fsPath.split(/[\\/]/).pop();
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', name ?? ''), cancellable: true },
      (_progress, token) => s.engine.request(DatasetInspect.type, { path: uri.fsPath, ...s.settings().dataset, validationSplit: s.settings().hyperparameters.validationSplit }, token),
    );
    publishDatasetProblems(s.datasetProblems, report);
    return report;
  } catch (error) {
    if (isCancellation(error)) return undefined;
    await showFailure(vscode.l10n.t('Could not inspect {0}', name ?? ''), error);
    return undefined;
  }
}

/** A JSON-RPC request cancelled by the user's token, or the engine's `cancelled` error. */
export function isCancellation(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === -32800 || code === -32007;
}
