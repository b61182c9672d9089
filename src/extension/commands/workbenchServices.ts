// What command handlers get from activate: the engine, the trees, the panels, the active model and the settings.
// Narrow structural types, so unit tests pass small fakes instead of the real engine client.
import type * as vscode from 'vscode';
import type { EngineClient } from '../engine/engineClient';
import type { WorkbenchSettings } from '../settings';
import type { DatasetsTreeProvider } from '../views/datasetsTree';
import type { RunsTreeProvider } from '../views/runsTree';
import type { RunHistoryLog } from '../engine/runHistoryLog';

/** The engine calls the commands make; `EngineClient` satisfies it. */
export type WorkbenchEngine = Pick<EngineClient,
  'request' | 'startRun' | 'resumeRun' | 'cancelRun' | 'deleteRun' | 'exportModel' | 'onProgress' | 'onRunState' | 'onEpoch' | 'suggestLabels' | 'exportJob' | 'importRun'>;

/** The panel openers the commands call; `WebviewPanels` satisfies it. */
export interface WorkbenchPanels {
  openDashboard(runDir: string): void;
  openConfusionMatrix(runDir: string): void;
  openExamples(runDir: string, split?: 'validation' | 'test', filter?: { correctness?: 'correct' | 'incorrect' | 'all' }): Promise<void>;
  openComparison(runDirs: string[]): Promise<void>;
  /** A run folder was deleted: views of it close, and an open comparison drops it. */
  runDeleted(runDir: string): Promise<void>;
}

/** The active model as commands use it; `ActiveModelState` satisfies it. */
export interface WorkbenchActiveModel {
  readonly current: { path: string; name: string; runId?: string } | undefined;
  /** Forgets the active model everywhere (status bar, hover cache, workspace state). */
  clear(): Promise<void>;
}

export interface WorkbenchServices {
  engine: WorkbenchEngine;
  runsTree: RunsTreeProvider;
  datasetsTree: DatasetsTreeProvider;
  panels: WorkbenchPanels;
  activeModel: WorkbenchActiveModel;
  /** Problems found by `dataset/inspect`, shown in the Problems panel. */
  datasetProblems: vscode.DiagnosticCollection;
  settings(): WorkbenchSettings;
  /** The runs folder for a dataset: the configured folder of the workspace folder holding it. */
  runsFolderFor(datasetPath: string): string;
  /** Remembers models the user trained, most recent first (globalState). */
  recentModels: { get(): string[]; remember(model: string): Thenable<void> };
  /** The output channel of the engine log. */
  showLog(): void;
  /** The run history in that channel: runs exported (state changes and errors are logged by activate). */
  runHistory: Pick<RunHistoryLog, 'exported'>;
  /** "Restart engine": a fresh engine with a cleared restart budget; failures are reported with the log. */
  restartEngine(): Promise<void>;
  extensionUri: vscode.Uri;
}
