// Wires "Suggest lines to label" into activate(): the "To label" view, the label pick (one line, or every line in
// turn from the keyboard), skipping, and "Retrain", which trains a new run on the grown training file and refreshes
// the view with that run's suggestions.
import * as vscode from 'vscode';
import { basename, extname, resolve } from 'node:path';
import type { LabelSuggestion } from '../../protocol/activeLearning';
import type { TrainConfig } from '../../protocol/train';
import type { TrainConfigInput } from '../../protocol/runs';
import { commandIds } from '../commands/commandIds';
import { resolveRun } from '../commands/resolveRun';
import { showFailure } from '../commands/showFailure';
import { trackRunProgress } from '../commands/trackRunProgress';
import type { WorkbenchServices } from '../commands/workbenchServices';
import { requireWorkspaceTrust } from '../trust/workspaceTrust';
import { readRunFolder } from '../views/runFolderReader';
import { detectTrainingFields, formatLabelledLine, labelLineInPlace } from './labelledLine';
import { labelPickItems, shortText, skipItemId, type LabelPickItem } from './labelPick';
import { saveDocument } from './saveDocument';
import { SkippedSuggestions, type StateStore } from './skippedSuggestions';
import { SuggestionItem, ToLabelTreeProvider, toLabelViewId, type LabelingSession } from './toLabelTree';

const batchSizeKey = 'classifierWorkbench.suggestBatchSize';
const defaultBatchSize = 20;
/**
 * The training-config keys a retrain keeps from the run it improves on. Epochs are left to the engine: the n-gram
 * model's default grows with the data (`defaultNgramEpochs`), and the data just grew.
 */
const retrainKeys: readonly (keyof TrainConfig)[] = ['model', 'revision', 'mode', 'backend', 'runsDir', 'seed', 'textField', 'labelField', 'labelNames', 'chatContext', 'classWeights', 'maxLength', 'patience', 'validationSplit', 'lora', 'batchSize', 'learningRate', 'weightDecay', 'ngram'];

export interface ActiveLearningFeature {
  tree: ToLabelTreeProvider;
  skipped: SkippedSuggestions;
}

/** Registers the view and its commands; returns the tree and the skipped-line store (for tests). */
export function registerActiveLearning(context: { subscriptions: { dispose(): unknown }[]; workspaceState: StateStore }, s: WorkbenchServices): ActiveLearningFeature {
  const tree = new ToLabelTreeProvider();
  const skipped = new SkippedSuggestions(context.workspaceState);
  const view = vscode.window.createTreeView(toLabelViewId, { treeDataProvider: tree, showCollapseAll: false });
  view.message = tree.message();
  const refreshed = tree.onDidChangeTreeData(() => { view.message = tree.message(); });

  const suggest = async (arg?: unknown, reuse?: { unlabeled: string; runDir: string; runId: string; n: number }) => {
    if (!(await requireWorkspaceTrust('suggestLabels'))) return;
    const unlabeled = reuse?.unlabeled ?? (await pickUnlabeledFile(arg));
    if (!unlabeled) return;
    const run = reuse ?? (await pickRun(s));
    if (!run) return;
    const n = reuse?.n ?? (await askBatchSize(context.workspaceState));
    if (n === undefined) return;
    const record = await readRunFolder(run.runDir);
    const trainingFile = record?.config.dataset;
    if (!trainingFile) throw new Error(vscode.l10n.t('{0}: run.json names no training file, so labelled lines would have nowhere to go; pick another run.', run.runDir));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ranking the unlabeled lines of {0} (run {1})', basename(unlabeled), run.runId), cancellable: true },
      (_progress, token) => s.engine.suggestLabels({ unlabeled, model: run.runDir, n, ...s.settings().dataset, excludeTexts: skipped.texts(unlabeled) }, token),
    );
    tree.show({ unlabeled, runDir: run.runDir, runId: run.runId, trainingFile: resolve(trainingFile), n, result, remaining: [...result.suggestions], labelled: 0 });
    await vscode.commands.executeCommand(`${toLabelViewId}.focus`);
    if (!result.suggestions.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}: nothing left to suggest ({1} already labelled, {2} skipped).', basename(unlabeled), result.excludedAsLabeled, result.excludedAsSkipped));
    }
  };

  /** Asks for the label(s) of one suggestion and records the answer; false when the user pressed Escape. */
  const labelOne = async (suggestion: LabelSuggestion, position?: string): Promise<boolean> => {
    const session = tree.session;
    if (!session) return false;
    const answer = await pickLabels(suggestion, session, position);
    if (!answer) return false;
    if (answer === 'skip') {
      await skipped.skip(session.unlabeled, suggestion.text);
      tree.remove(suggestion, false);
      return true;
    }
    await addLabelledLine(session, suggestion, answer, s);
    tree.remove(suggestion, true);
    return true;
  };

  const labelSuggestion = async (item?: SuggestionItem) => {
    const suggestion = item?.suggestion ?? tree.session?.remaining[0];
    if (suggestion) await labelOne(suggestion);
  };

  /** Keyboard-only flow: every remaining suggestion in turn, until the batch is done or Escape. */
  const labelAll = async () => {
    const session = tree.session;
    if (!session) return void vscode.window.showInformationMessage(vscode.l10n.t('No suggestions to label yet: run "Suggest lines to label" first.'));
    const total = session.remaining.length;
    for (let i = 0; tree.session === session && session.remaining.length; i++) {
      if (!(await labelOne(session.remaining[0]!, `${i + 1}/${total}`))) break;
    }
    if (tree.session === session && !session.remaining.length && session.labelled) {
      const retrainAction = vscode.l10n.t('Retrain');
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} line(s) labelled into {1}. Retrain to learn from them and get new suggestions?', session.labelled, basename(session.trainingFile)), retrainAction);
      if (choice === retrainAction) await retrain();
    }
  };

  const skip = async (item?: SuggestionItem) => {
    const session = tree.session;
    const suggestion = item?.suggestion ?? session?.remaining[0];
    if (!session || !suggestion) return;
    await skipped.skip(session.unlabeled, suggestion.text);
    tree.remove(suggestion, false);
  };

  const retrain = async () => {
    if (!(await requireWorkspaceTrust('retrain'))) return;
    const session = tree.session;
    if (!session) return void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to retrain: run "Suggest lines to label" and label some lines first.'));
    // The engine reads the file from disk: labels still only in the editor must be saved first.
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === session.trainingFile);
    if (document && !(await saveDocument(document))) throw new Error(vscode.l10n.t('{0} could not be saved; save it and retrain.', session.trainingFile));
    const record = await readRunFolder(session.runDir);
    if (!record) throw new Error(vscode.l10n.t('{0}: the run folder is gone; pick a run with "Suggest lines to label".', session.runDir));
    const run = await s.engine.startRun(retrainConfig(session.trainingFile, record.config));
    void s.runsTree.refresh();
    const end = await trackRunProgress(s, run, vscode.l10n.t('Retraining on {0} with {1} new label(s)', basename(session.trainingFile), session.labelled));
    if (end.state !== 'completed') return;
    await vscode.commands.executeCommand(commandIds.setActiveModel, { runId: run.runId, runDir: run.runDir });
    await suggest(undefined, { unlabeled: session.unlabeled, runDir: run.runDir, runId: run.runId, n: session.n });
  };

  const forgetSkipped = async () => {
    const session = tree.session;
    if (!session) return;
    await skipped.clear(session.unlabeled);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: skipped lines will be suggested again.', basename(session.unlabeled)));
  };

  const handlers: [string, string, (arg?: unknown) => Promise<unknown>][] = [
    [commandIds.suggestLabels, vscode.l10n.t('Suggesting lines to label failed'), (arg) => suggest(arg)],
    [commandIds.labelSuggestion, vscode.l10n.t('Labelling the line failed'), (arg) => labelSuggestion(arg as SuggestionItem | undefined)],
    [commandIds.labelSuggestions, vscode.l10n.t('Labelling the suggestions failed'), () => labelAll()],
    [commandIds.skipSuggestion, vscode.l10n.t('Skipping the line failed'), (arg) => skip(arg as SuggestionItem | undefined)],
    [commandIds.retrainWithLabels, vscode.l10n.t('Retraining failed'), () => retrain()],
    [commandIds.forgetSkippedSuggestions, vscode.l10n.t('Forgetting skipped lines failed'), () => forgetSkipped()],
  ];
  context.subscriptions.push(tree, view, refreshed, ...handlers.map(([id, doing, handler]) => vscode.commands.registerCommand(id, async (arg?: unknown) => {
    try {
      await handler(arg);
    } catch (error) {
      await showFailure(doing, error);
    }
  })));
  return { tree, skipped };
}

/** The file to suggest from: the explorer/editor resource, the active editor's file, or one the user opens. */
async function pickUnlabeledFile(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.scheme === 'file' && ['.jsonl', '.txt'].includes(extname(editor.document.uri.fsPath).toLowerCase())) return editor.document.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Unlabeled text')]: ['jsonl', 'txt'] }, openLabel: vscode.l10n.t('Suggest lines to label') });
  return picked?.[0]?.fsPath;
}

/** The active model's run when there is one, else a completed run the user picks. */
async function pickRun(s: WorkbenchServices): Promise<{ runDir: string; runId: string } | undefined> {
  const active = s.activeModel.current;
  if (active?.runId) return { runDir: active.path, runId: active.runId };
  const record = await resolveRun(undefined, s.runsTree, ['completed'], 'suggest lines with');
  return record && { runDir: record.runDir, runId: record.runId };
}

async function askBatchSize(state: StateStore): Promise<number | undefined> {
  const last = state.get<number>(batchSizeKey, defaultBatchSize);
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Suggest lines to label'),
    prompt: vscode.l10n.t('How many lines to suggest (the batch you will label before retraining)'),
    value: String(last),
    validateInput: (v) => (/^\s*\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : vscode.l10n.t('A whole number from 1 to 1000')),
  });
  if (value === undefined) return undefined;
  const n = Number(value);
  await state.update(batchSizeKey, n);
  return n;
}

/** The chosen label(s), `skip`, or undefined on Escape. */
async function pickLabels(suggestion: LabelSuggestion, session: LabelingSession, position?: string): Promise<string[] | 'skip' | undefined> {
  const multiLabel = session.result.multiLabel;
  const pick = vscode.window.createQuickPick<LabelPickItem & vscode.QuickPickItem>();
  pick.title = `${position ? `${position} · ` : ''}${shortText(suggestion.text, 120)}`;
  pick.placeholder = multiLabel ? vscode.l10n.t('Tick every label that applies, then Enter (or pick Skip)') : vscode.l10n.t('Pick the label (Escape stops; Skip hides the line)');
  pick.items = labelPickItems(suggestion, session.result.labels, multiLabel);
  pick.canSelectMany = multiLabel;
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  if (multiLabel) pick.selectedItems = pick.items.filter((i) => i.picked);
  return new Promise((resolvePick) => {
    let settled = false;
    const done = (value: string[] | 'skip' | undefined) => {
      if (settled) return;
      settled = true;
      resolvePick(value);
      pick.dispose();
    };
    pick.onDidAccept(() => {
      const chosen = multiLabel ? [...pick.selectedItems] : [...pick.selectedItems].slice(0, 1);
      if (chosen.some((i) => i.id === skipItemId)) return done('skip');
      const labels = chosen.flatMap((i) => (i.value !== undefined ? [i.value] : []));
      // Multi-label data allows a line with none of the labels (an empty list); single-label needs one.
      if (labels.length || multiLabel) done(labels);
    });
    pick.onDidHide(() => done(undefined));
    pick.show();
  });
}

/**
 * Writes the labelled line as one undoable edit of the training file: the unlabeled line itself when it is in the
 * training file, else a new line at its end.
 */
async function addLabelledLine(session: LabelingSession, suggestion: LabelSuggestion, labels: string[], s: WorkbenchServices): Promise<void> {
  const uri = vscode.Uri.file(session.trainingFile);
  const document = await vscode.workspace.openTextDocument(uri);
  const lines = Array.from({ length: Math.min(document.lineCount, 50) }, (_, i) => document.lineAt(i).text);
  const fields = detectTrainingFields(lines, s.settings().dataset);
  const multiLabel = session.result.multiLabel;
  const edit = new vscode.WorkspaceEdit();
  if (resolve(session.unlabeled) === session.trainingFile) {
    const at = findUnlabeledLine(document, suggestion, labels, multiLabel, fields);
    if (!at) throw new Error(vscode.l10n.t('{0}:{1}: the line changed since it was suggested; run "Suggest lines to label" again.', basename(session.trainingFile), suggestion.line));
    edit.replace(uri, document.lineAt(at.index).range, at.newText);
  } else {
    const last = document.lineAt(document.lineCount - 1);
    const prefix = last.text.length > 0 ? '\n' : '';
    edit.insert(uri, last.range.end, `${prefix}${formatLabelledLine(suggestion.text, labels, multiLabel, fields)}\n`);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('{0} could not be edited (is it read-only?).', basename(session.trainingFile)));
}

/** The suggestion's line in the training file: at its recorded number, or wherever it moved to. */
function findUnlabeledLine(document: vscode.TextDocument, suggestion: LabelSuggestion, labels: string[], multiLabel: boolean, fields: { textField: string; labelField: string }): { index: number; newText: string } | undefined {
  const tryLine = (index: number) => {
    if (index < 0 || index >= document.lineCount) return undefined;
    const newText = labelLineInPlace(document.lineAt(index).text, suggestion.text, labels, multiLabel, fields);
    return newText === undefined ? undefined : { index, newText };
  };
  const atRecorded = tryLine(suggestion.line - 1);
  if (atRecorded) return atRecorded;
  for (let i = 0; i < document.lineCount; i++) {
    const found = tryLine(i);
    if (found) return found;
  }
  return undefined;
}

/** The config of a retrain: the same model and options as `previous`, on the (grown) training file. */
export function retrainConfig(trainingFile: string, previous: Partial<TrainConfig>): TrainConfigInput {
  const config: TrainConfigInput = { dataset: trainingFile };
  const target = config as Record<string, unknown>;
  for (const key of retrainKeys) if (previous[key] !== undefined) target[key] = previous[key];
  return config;
}
