// The "To label" view: the current batch of suggested lines, most informative first, each with the model's
// guess and top probabilities. Selecting one (click or Enter) opens the label pick; inline actions label or skip.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { LabelSuggestion, SuggestLabelsResult } from '../../protocol/activeLearning';
import { commandIds } from '../commands/commandIds';
import { shortText } from './labelPick';

export const toLabelViewId = 'classifierWorkbench.toLabel';

/** One batch being labelled: where the lines come from, which run judged them, where labels go. */
export interface LabelingSession {
  unlabeled: string;
  runDir: string;
  runId: string;
  trainingFile: string;
  /** The batch size the user chose. */
  n: number;
  result: SuggestLabelsResult;
  /** Suggestions not yet labelled or skipped, in rank order. */
  remaining: LabelSuggestion[];
  /** Lines labelled since the session's run was trained. */
  labelled: number;
}

export class SuggestionItem extends vscode.TreeItem {
  constructor(readonly suggestion: LabelSuggestion, rank: number) {
    super(shortText(suggestion.text), vscode.TreeItemCollapsibleState.None);
    const top = suggestion.prediction.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(0)}%`).join(' · ');
    this.description = vscode.l10n.t('{0} · line {1}', top, suggestion.line);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(suggestion.text);
    tooltip.appendMarkdown(`\n\n**#${rank}** · ${vscode.l10n.t('uncertainty {0} · guess', suggestion.uncertainty.toFixed(3))} `);
    tooltip.appendText(suggestion.prediction.label);
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(top);
    this.tooltip = tooltip;
    this.iconPath = new vscode.ThemeIcon('question');
    this.contextValue = 'suggestion';
    this.id = `${suggestion.line}:${suggestion.text}`;
    this.command = { command: commandIds.labelSuggestion, title: vscode.l10n.t('Label this line'), arguments: [this] };
  }
}

export class ToLabelTreeProvider implements vscode.TreeDataProvider<SuggestionItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SuggestionItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private current: LabelingSession | undefined;

  get session(): LabelingSession | undefined {
    return this.current;
  }

  show(session: LabelingSession | undefined): void {
    this.current = session;
    this.changed.fire(undefined);
  }

  /** Takes `suggestion` out of the batch (labelled or skipped). */
  remove(suggestion: LabelSuggestion, labelled: boolean): void {
    if (!this.current) return;
    this.current.remaining = this.current.remaining.filter((s) => s !== suggestion);
    if (labelled) this.current.labelled++;
    this.changed.fire(undefined);
  }

  getTreeItem(element: SuggestionItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: SuggestionItem): SuggestionItem[] {
    if (element || !this.current) return [];
    const ranks = new Map(this.current.result.suggestions.map((s, i) => [s, i + 1]));
    return this.current.remaining.map((s) => new SuggestionItem(s, ranks.get(s) ?? 0));
  }

  /** The line above the list: what is being labelled, with which run, and what is left. */
  message(): string {
    const s = this.current;
    if (!s) return vscode.l10n.t('Run "Suggest lines to label" on an unlabeled file (JSONL lines without a label, or one text per line).');
    const calibration = s.result.probabilities === 'raw' ? vscode.l10n.t('raw model probabilities') : vscode.l10n.t('calibrated probabilities');
    const retrain = s.labelled ? ` · ${vscode.l10n.t('{0} labelled: Retrain to learn from them', s.labelled)}` : '';
    return `${vscode.l10n.t('{0}: {1} of {2} left (run {3}, {4}, {5})', basename(s.unlabeled), s.remaining.length, s.result.suggestions.length, s.runId, s.result.measure, calibration)}${retrain}.`;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
