// The "Label issues" view: the open (unreviewed, unfixed) flagged lines, most suspicious first; clicking one
// opens its line, inline actions accept (relabel) or dismiss it.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { FlaggedLine, LabelIssueDiagnostics } from '../diagnostics/labelIssueDiagnostics';
import { labelIssueCommandIds } from '../diagnostics/labelIssueCodeActions';

export const labelIssuesViewId = 'classifierWorkbench.labelIssues';

export class LabelIssueItem extends vscode.TreeItem {
  /** @param hint the item is a ranked hint from a model too weak to judge, not a raised issue. */
  constructor(readonly flag: FlaggedLine, hint = false) {
    const { subject } = flag;
    const title = flag.kind !== 'labelIssue' ? vscode.l10n.t('duplicate: {0} vs {1}', subject.givenLabel, flag.suggestions.join(', '))
      // Multi-label: the one label to add or remove, with the line's labels.
      : flag.issue.labelChange ? `#${flag.issue.rank} ${flag.issue.labelChange.action === 'add' ? vscode.l10n.t('add {0}', flag.issue.labelChange.label) : vscode.l10n.t('remove {0}', flag.issue.labelChange.label)} (${subject.givenLabel || vscode.l10n.t('no labels')})`
      : `#${flag.issue.rank} ${subject.givenLabel} → ${flag.issue.suggestedLabel}`;
    super(title, vscode.TreeItemCollapsibleState.None);
    const where = `${basename(subject.file)}:${subject.line}`;
    this.description = flag.kind === 'labelIssue' ? `p=${flag.issue.suggestedProbability.toFixed(2)} · ${where}` : where;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(subject.text);
    this.tooltip = tooltip;
    this.iconPath = new vscode.ThemeIcon(flag.kind === 'labelIssue' ? (hint ? 'question' : 'warning') : 'copy');
    // `labelIssue.fixable` items get the inline accept action; every item gets dismiss.
    this.contextValue = flag.suggestions.length ? 'labelIssue.fixable' : 'labelIssue';
    this.id = `${subject.file}:${subject.line}:${flag.kind}`;
    this.command = { command: labelIssueCommandIds.openLabelIssue, title: vscode.l10n.t('Open line'), arguments: [this] };
  }
}

export class LabelIssuesTreeProvider implements vscode.TreeDataProvider<LabelIssueItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabelIssueItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly diagnostics: LabelIssueDiagnostics) {
    this.subscription = diagnostics.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(element: LabelIssueItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: LabelIssueItem): LabelIssueItem[] {
    if (element) return [];
    const hints = this.diagnostics.issuesHeldBack;
    return this.diagnostics.openItems().map((flag) => new LabelIssueItem(flag, hints && flag.kind === 'labelIssue'));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
