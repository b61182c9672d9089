// Wires the model-in-the-editor features into activate(): the active model, the hover, label-issue
// detection with its diagnostics, quick fixes and the "Label issues" view. activate() calls this once.
import { commandIds, contextKeys } from '../commands/commandIds';
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ActiveModelInfo, ModelPredictParams, ModelPredictResult } from '../../protocol/model';
import type { LabelIssuesFindParams, LabelIssuesProgress } from '../../protocol/labelIssues';
import { EngineErrorCodes } from '../../protocol/errors';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import { settingsSection, type WorkbenchSettings } from '../settings';
import { ActiveModelState } from '../activeModel/activeModelState';
import { PredictionHoverProvider } from '../hover/predictionHoverProvider';
import { isJsonlDocument } from '../hover/hoverTarget';
import { datasetFormatOf } from '../../common/datasetFormat';
import { correctionsCsv, defaultCorrectionsPath, writeCorrections } from '../tabular/labelCorrections';
import { baselineComparison, LabelIssueDiagnostics, weakModelMessage } from '../diagnostics/labelIssueDiagnostics';
import { LabelIssueCodeActionProvider, labelIssueCommandIds, labelIssueFixEdit } from '../diagnostics/labelIssueCodeActions';
import { ReviewStore, type ReviewSubject } from '../diagnostics/reviewStore';
import { LabelIssueItem, LabelIssuesTreeProvider, labelIssuesViewId } from './labelIssuesTree';
import { readRunFolder } from '../views/runFolderReader';
import { requireWorkspaceTrust } from '../trust/workspaceTrust';
import { stepLabelIssue, type IssuePosition } from './labelIssueNavigation';
import { plural } from '../../common/plural';

/** The engine calls these features make; `EngineClient` satisfies it. */
export interface PredictionEngine {
  setActiveModel(path: string): Promise<ActiveModelInfo>;
  predict(params: ModelPredictParams, token?: vscode.CancellationToken): Promise<ModelPredictResult>;
  findLabelIssues(params: LabelIssuesFindParams, token?: vscode.CancellationToken): Promise<LabelIssueReport>;
  /** `labelIssues/progress` notifications (fraction 0..1 of the job named by `jobId`). */
  onLabelIssuesProgress(listener: (progress: LabelIssuesProgress) => void): { dispose(): unknown };
}

export interface PredictionFeatures {
  activeModel: ActiveModelState;
  diagnostics: LabelIssueDiagnostics;
}


/**
 * Registers everything and returns the active-model state (status bar text: `activeModel.statusText()`,
 * changes: `activeModel.onDidChange`) and the diagnostics (for tests and other views).
 * Commands registered here: findLabelIssues, setActiveModel, clearActiveModel and the label-issue actions
 * in `labelIssueCommandIds` (except browseMisclassified, which the misclassified browser owns), and next/previous
 * label issue.
 */
export function registerPredictionFeatures(context: vscode.ExtensionContext, engine: PredictionEngine, settings: () => WorkbenchSettings): PredictionFeatures {
  const activeModel = new ActiveModelState(context.workspaceState, engine);
  const diagnostics = new LabelIssueDiagnostics(vscode.languages.createDiagnosticCollection('classifierWorkbench.labelIssues'), readLinesOf);
  const tree = new LabelIssuesTreeProvider(diagnostics);
  const treeView = vscode.window.createTreeView(labelIssuesViewId, { treeDataProvider: tree, showCollapseAll: false });
  treeView.message = treeMessage(diagnostics);
  const hover = new PredictionHoverProvider(engine, activeModel, settings, undefined, (file, line) => diagnostics.notesAt(file, line));
  let reviews: ReviewStore | undefined;
  const pendingUpdates = new Map<string, ReturnType<typeof setTimeout>>();

  const setHasModel = () => vscode.commands.executeCommand('setContext', contextKeys.hasActiveModel, activeModel.current !== undefined);
  void setHasModel();
  const setHasIssues = () => vscode.commands.executeCommand('setContext', contextKeys.hasLabelIssues, diagnostics.openItems().length > 0);
  void setHasIssues();

  const record = async (subject: ReviewSubject, decision: 'accepted' | 'dismissed', newLabel?: string) => {
    if (!reviews) return;
    await reviews.record(subject, decision, newLabel);
    // After a relabel the edited document is open: re-check its lines now rather than after the typing debounce.
    const edited = decision === 'accepted' ? vscode.workspace.textDocuments.find((d) => d.uri.fsPath === subject.file) : undefined;
    if (edited) diagnostics.updateDocument(subject.file, edited.getText());
    else diagnostics.refresh();
  };

  const findLabelIssues = async (target?: vscode.Uri | { runDir: string; runId: string }) => {
    // Restricted Mode: detection trains models on workspace data (see src/extension/trust).
    if (!(await requireWorkspaceTrust('findLabelIssues'))) return;
    const current = settings();
    const job = await labelIssueJob(target, activeModel, current);
    if (!job) return;
    const { file, model, runDir, runId } = job;
    const jobId = `label-issues-${Date.now()}`;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Finding label issues in {0} ({1}, 5-fold)', basename(file), model), cancellable: true },
      async (progress, token) => {
        let reported = 0;
        const subscription = engine.onLabelIssuesProgress((p) => {
          if (p.jobId !== jobId) return;
          // withProgress takes increments, the engine sends totals.
          const percent = Math.round(p.fraction * 100);
          const message = p.phase === 'encode' ? vscode.l10n.t('embedding the lines with {0} (once for all folds)', model)
            : (p.repeats ?? 1) > 1 ? vscode.l10n.t('fold {0} of {1}, pass {2} of {3}', p.fold + 1, p.folds, (p.repeat ?? 0) + 1, p.repeats ?? 1)
              : vscode.l10n.t('fold {0} of {1}', p.fold + 1, p.folds);
          progress.report({ increment: percent - reported, message });
          reported = percent;
        });
        try {
          return await engine.findLabelIssues({ dataset: file, ...current.dataset, model, runDir, jobId }, token);
        } finally {
          subscription.dispose();
        }
      },
    );
    reviews = new ReviewStore(reviewsPath(file, runDir));
    await reviews.load();
    await diagnostics.show(report, reviews, runId, { raiseWhenWeak: current.raiseWeakLabelIssues });
    const open = diagnostics.openItems().length;
    if (diagnostics.issuesHeldBack) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}', basename(file), weakModelMessage(report)));
    } else {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0}: {1} and {2} in {3} ({4} not yet reviewed; out-of-fold accuracy {5}%). Judged by {6}.', basename(file), plural(report.issues.length, 'likely label issue'), plural(report.duplicates.length, 'conflicting duplicate group'), plural(report.examples, 'line'), open, (report.outOfFoldAccuracy * 100).toFixed(1), report.judge?.summary ?? report.model),
      );
    }
    await vscode.commands.executeCommand(`${labelIssuesViewId}.focus`);
  };

  const setModel = async (target?: string | vscode.Uri | { runDir: string; runId: string }) => {
    if (!(await requireWorkspaceTrust('loadModel'))) return;
    let path: string | undefined;
    let runId: string | undefined;
    if (typeof target === 'string') path = target;
    else if (target instanceof vscode.Uri) path = target.fsPath;
    else if (target && typeof target === 'object' && 'runDir' in target) ({ runDir: path, runId } = target);
    path ??= (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Use as active model') }))?.[0]?.fsPath;
    if (!path) return;
    const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading model…' }, () => activeModel.set(path!, runId));
    hover.cache.clear();
    // A run's abstain threshold, picked in its dashboard, becomes the setting while the run is active (issue 19).
    if (info.uncertaintyThreshold !== undefined && info.uncertaintyThreshold !== settings().uncertaintyThreshold) {
      await vscode.workspace.getConfiguration(settingsSection).update('uncertaintyThreshold', info.uncertaintyThreshold, vscode.ConfigurationTarget.Workspace);
    }
  };

  const exportCorrections = async () => {
    const report = diagnostics.currentReport;
    if (!report) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No label issues to export: run "Find label issues" on a dataset first.'));
      return;
    }
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(defaultCorrectionsPath(report.dataset)), filters: { CSV: ['csv'] }, saveLabel: vscode.l10n.t('Export corrections') });
    if (!target) return;
    await writeCorrections(target.fsPath, correctionsCsv(report, reviews));
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1} label issues with their decisions (accepted rows carry the corrected label).', basename(target.fsPath), report.issues.length));
  };

  /** Parquet rows cannot be opened or edited in the editor: the issue is shown, and accepting records a correction. */
  const showParquetIssue = async (item: LabelIssueItem) => {
    const { subject } = item.flag;
    const choice = await vscode.window.showInformationMessage(
      item.flag.suggestions[0]
        ? vscode.l10n.t('{0} row {1}: "{2}" is labelled {3}; suggested {4}. Parquet files are read-only here: accepted fixes go into an exported corrections file.', basename(subject.file), subject.line, subject.text.slice(0, 200), subject.givenLabel, item.flag.suggestions[0])
        : vscode.l10n.t('{0} row {1}: "{2}" is labelled {3}. Parquet files are read-only here: accepted fixes go into an exported corrections file.', basename(subject.file), subject.line, subject.text.slice(0, 200), subject.givenLabel),
      exportAction(),
    );
    if (choice === exportAction()) await exportCorrections();
  };

  const openIssue = async (item: LabelIssueItem) => {
    if (datasetFormatOf(item.flag.subject.file) === 'parquet') return showParquetIssue(item);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(item.flag.subject.file));
    const line = item.flag.subject.line - 1;
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, document.lineAt(line).text.length) });
  };

  /** Next/previous label issue: from the issue under the cursor (else the one opened last) in the list's order. */
  let lastStepped: IssuePosition | undefined;
  const stepIssue = async (direction: 1 | -1) => {
    const editor = vscode.window.activeTextEditor;
    const at = editor ? { file: editor.document.uri.fsPath, line: editor.selection.active.line + 1 } : undefined;
    const next = stepLabelIssue(diagnostics.openItems(), direction, at, lastStepped);
    if (!next) return void vscode.window.showInformationMessage(vscode.l10n.t('No label issue left to review: run "Find label issues" on a dataset.'));
    lastStepped = { file: next.subject.file, line: next.subject.line };
    await openIssue(new LabelIssueItem(next));
  };

  const acceptIssue = async (item: LabelIssueItem) => {
    const label = item.flag.suggestions[0];
    if (!label) return;
    if (datasetFormatOf(item.flag.subject.file) === 'parquet') {
      await record(item.flag.subject, 'accepted', label);
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} row {1}: recorded {2} as the correction (the Parquet file is not changed).', basename(item.flag.subject.file), item.flag.subject.line, label), exportAction());
      if (choice === exportAction()) await exportCorrections();
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(item.flag.subject.file));
    const edit = labelIssueFixEdit(document, item.flag.subject.line - 1, item.flag, label, diagnostics.currentReport?.fieldMapping ?? diagnostics.currentReport?.labelField);
    if (!edit || !(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0}:{1}: the line has no label value to change any more.', basename(item.flag.subject.file), item.flag.subject.line));
      return;
    }
    await record(item.flag.subject, 'accepted', label);
  };

  context.subscriptions.push(
    activeModel,
    diagnostics,
    tree,
    activeModel.onDidChange(() => { hover.cache.clear(); void setHasModel(); }),
    vscode.languages.registerHoverProvider(PredictionHoverProvider.documentSelector, hover),
    vscode.languages.registerCodeActionsProvider([{ language: 'jsonl' }, { pattern: '**/*.{jsonl,csv,tsv}' }], new LabelIssueCodeActionProvider(diagnostics), {
      providedCodeActionKinds: LabelIssueCodeActionProvider.providedCodeActionKinds,
    }),
    treeView,
    diagnostics.onDidChange(() => { treeView.message = treeMessage(diagnostics); void setHasIssues(); }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      // Typing in a large dataset fires per keystroke; re-check the flagged lines once the user pauses.
      const file = e.document.uri.fsPath;
      clearTimeout(pendingUpdates.get(file));
      pendingUpdates.set(file, setTimeout(() => { pendingUpdates.delete(file); diagnostics.updateDocument(file, e.document.getText()); }, 200));
    }),
    { dispose: () => pendingUpdates.forEach((timer) => clearTimeout(timer)) },
    vscode.commands.registerCommand(commandIds.findLabelIssues, guarded(findLabelIssues)),
    vscode.commands.registerCommand(commandIds.setActiveModel, guarded(setModel)),
    vscode.commands.registerCommand(commandIds.clearActiveModel, guarded(() => activeModel.clear())),
    vscode.commands.registerCommand(labelIssueCommandIds.markReviewed, guarded((subject: ReviewSubject) => record(subject, 'dismissed'))),
    vscode.commands.registerCommand(labelIssueCommandIds.recordRelabel, guarded((subject: ReviewSubject, label: string) => record(subject, 'accepted', label))),
    vscode.commands.registerCommand(labelIssueCommandIds.acceptLabelIssue, guarded(acceptIssue)),
    vscode.commands.registerCommand(labelIssueCommandIds.dismissLabelIssue, guarded((item: LabelIssueItem) => record(item.flag.subject, 'dismissed'))),
    vscode.commands.registerCommand(labelIssueCommandIds.openLabelIssue, guarded(openIssue)),
    vscode.commands.registerCommand(commandIds.exportLabelCorrections, guarded(exportCorrections)),
    vscode.commands.registerCommand(commandIds.nextLabelIssue, guarded(() => stepIssue(1))),
    vscode.commands.registerCommand(commandIds.previousLabelIssue, guarded(() => stepIssue(-1))),
  );
  void loadLastReport(activeModel).then(async (last) => {
    // A detection the user started meanwhile wins over the restored one.
    if (!last || diagnostics.currentReport) return;
    reviews = last.reviews;
    await diagnostics.show(last.report, last.reviews, last.runId, { raiseWhenWeak: settings().raiseWeakLabelIssues });
  }).catch(() => undefined);
  return { activeModel, diagnostics };
}

/**
 * What to judge, with which model, and which run keeps the reviews: a run (from the Runs view) judges its own
 * dataset with its own model kind; a file (explorer, editor, Datasets view, or a picker) uses the default model
 * and the active model's run, if any.
 */
async function labelIssueJob(target: vscode.Uri | { runDir: string; runId: string } | undefined, activeModel: ActiveModelState, settings: WorkbenchSettings): Promise<{ file: string; model: string; runDir?: string; runId?: string } | undefined> {
  if (target && !(target instanceof vscode.Uri) && typeof target.runDir === 'string') {
    const record = await readRunFolder(target.runDir);
    if (!record?.config.dataset) throw new Error(`${target.runDir}: run.json names no dataset.`);
    return { file: record.config.dataset, model: record.config.model ?? settings.defaultModel, runDir: target.runDir, runId: target.runId };
  }
  const editor = vscode.window.activeTextEditor;
  const file = (target instanceof vscode.Uri ? target.fsPath : undefined)
    ?? (editor && isJsonlDocument(editor.document) ? editor.document.uri.fsPath : undefined)
    ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('JSON Lines')]: ['jsonl'] }, openLabel: vscode.l10n.t('Find label issues') }))?.[0]?.fsPath;
  if (!file) return undefined;
  // The active model's run keeps the reviews only if it was trained on this very file.
  const current = activeModel.current;
  const run = current?.runId ? await readRunFolder(current.path) : undefined;
  const sameData = run?.config.dataset !== undefined && resolve(run.config.dataset) === resolve(file);
  return { file, model: judgeModel(settings.defaultModel, run?.config.model), runDir: sameData ? current?.path : undefined, runId: sameData ? current?.runId : undefined };
}

/**
 * The model that judges a file's labels: the strongest the user has. When the default is the n-gram model and the
 * active model is a run of a pretrained encoder, that run's base encoder (its folder or Hugging Face id) — not its
 * fine-tuned weights, which may have learnt these very labels — embeds the lines for a linear head per fold.
 * A run from `scratch` has no pretrained encoder; it and an n-gram run leave the default.
 */
export function judgeModel(defaultModel: string, activeRunBaseModel: string | undefined): string {
  if (defaultModel !== 'ngram' || !activeRunBaseModel) return defaultModel;
  return activeRunBaseModel === 'ngram' || activeRunBaseModel === 'scratch' ? defaultModel : activeRunBaseModel;
}

/** The line above the Label issues list: what was judged and how much is left to review. */
export function treeMessage(diagnostics: LabelIssueDiagnostics): string {
  const report = diagnostics.currentReport;
  if (!report) return 'Run "Find label issues" on a JSONL file to list lines whose label is likely wrong.';
  const open = diagnostics.openItems().length;
  if (diagnostics.issuesHeldBack) {
    const r = report.reliability!;
    return `${basename(report.dataset)}: ranked only, not raised in Problems — the out-of-fold model (${report.model}) is too weak to judge labels (${baselineComparison(report)}). ${open} hints below.${r.suggestions.length ? ` To do better: ${r.suggestions.join('; ')}.` : ''}`;
  }
  return `${basename(report.dataset)}: ${open} to review of ${report.issues.length} flagged lines and ${report.duplicates.length} conflicting duplicates (${report.judge?.summary ?? report.model}; out-of-fold accuracy ${(report.outOfFoldAccuracy * 100).toFixed(1)}%).`;
}

/** Reviews go with the run when there is one (DESIGN.md), else next to the dataset. */
function reviewsPath(datasetFile: string, runDir: string | undefined): string {
  return runDir ? join(runDir, 'reviews.json') : join(dirname(datasetFile), '.classifier-workbench', 'label-issues', `${basename(datasetFile)}.reviews.json`);
}

/** After a reload, the active run's last label-issue report and its reviews (undefined if there is none). */
async function loadLastReport(activeModel: ActiveModelState): Promise<{ report: LabelIssueReport; reviews: ReviewStore; runId: string } | undefined> {
  const current = activeModel.current;
  if (!current?.runId) return undefined;
  try {
    const report = JSON.parse(await readFile(join(current.path, 'label-issues.json'), 'utf8')) as LabelIssueReport;
    if (report.version !== 1) return undefined;
    const reviews = new ReviewStore(join(current.path, 'reviews.json'));
    await reviews.load();
    return { report, reviews, runId: current.runId };
  } catch {
    return undefined;
  }
}

/** Open documents may hold unsaved edits: prefer them over the file on disk. */
async function readLinesOf(file: string): Promise<string[]> {
  // Parquet is binary: its flagged rows are listed, never looked up in the text.
  if (datasetFormatOf(file) === 'parquet') return [];
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  const text = open ? open.getText() : await readFile(file, 'utf8');
  return text.split(/\r?\n/);
}

/** Command handlers report failures as one message (the engine's message names file and line), never a stack. */
function guarded<A extends unknown[]>(handler: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await handler(...args);
    } catch (error) {
      if (isCancelled(error)) return;
      void vscode.window.showErrorMessage(vscode.l10n.t('Classifier Workbench: {0}', error instanceof Error ? error.message : String(error)));
    }
  };
}

function isCancelled(error: unknown): boolean {
  const code = !!error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  // -32800 is JSON-RPC's RequestCancelled (the engine stopped because the token fired).
  return code === EngineErrorCodes.cancelled || code === -32800;
}

/** The "Export corrections" button of the Parquet messages, translated when shown. */
function exportAction(): string {
  return vscode.l10n.t('Export corrections');
}
