// The services the fine-tune command tests give the command: their fake engine, empty trees, the default settings
// and a runs folder. Import after '../useFakeVscode'.
import * as vscode from 'vscode';
import type { WorkbenchServices } from '../../../../src/extension/commands/workbenchServices';
import { defaultSettings } from '../../../../src/extension/settings';
import { DatasetsTreeProvider } from '../../../../src/extension/views/datasetsTree';
import { RunsTreeProvider } from '../../../../src/extension/views/runsTree';

/** Services around `engine` (a fake with what the test's flow calls), runs under `runsFolder`. */
export function fineTuneServices(engine: unknown, runsFolder: string): WorkbenchServices {
  return {
    engine,
    runsTree: new RunsTreeProvider(async () => []),
    datasetsTree: new DatasetsTreeProvider({ findDatasets: async () => [], summarize: async () => { throw new Error('unused'); }, relativePath: (u) => u.fsPath }),
    datasetProblems: vscode.languages.createDiagnosticCollection('t'),
    settings: () => defaultSettings,
    runsFolderFor: () => runsFolder,
    recentModels: { get: () => [], remember: async () => undefined },
  } as unknown as WorkbenchServices;
}
