// Quick fixes on label-issue diagnostics: relabel (an undoable WorkspaceEdit of only the label value),
// mark as reviewed, and open the line in the misclassified browser.
import * as vscode from 'vscode';
import { findLabelValueSpan, labelValueText, relabelLine, type LabelSource } from './labelValueSpan';
import type { FlaggedLine, LabelIssueDiagnostics } from './labelIssueDiagnostics';
import type { ReviewSubject } from './reviewStore';
import { commandIds, internalCommandIds } from '../commands/commandIds';

/** Command ids of the actions (from the registry, commandIds.ts); registered in `registerPredictionFeatures`. */
export const labelIssueCommandIds = {
  markReviewed: internalCommandIds.markLabelIssueReviewed,
  recordRelabel: internalCommandIds.recordLabelIssueRelabel,
  acceptLabelIssue: commandIds.acceptLabelIssue,
  dismissLabelIssue: commandIds.dismissLabelIssue,
  openLabelIssue: internalCommandIds.openLabelIssue,
  /** Opens the misclassified-examples browser; args `{ runId, file, line }`. */
  browseMisclassified: commandIds.browseMisclassified,
} as const;

/**
 * The edit that changes only the label value on `line` (0-based) of `document` to `newLabel`, or undefined when
 * the line has no label value any more, or when the edited line, read again by the engine's rule, would not have
 * `newLabel` as its label. `source` is the engine's field mapping of the file (or a label key; detected when omitted).
 */
export function relabelEdit(document: vscode.TextDocument, line: number, newLabel: string, source?: LabelSource): vscode.WorkspaceEdit | undefined {
  const text = document.lineAt(line).text;
  const span = findLabelValueSpan(text, source);
  if (!span || relabelLine(text, newLabel, source) === undefined) return undefined;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(line, span.start, line, span.end), labelValueText(span, newLabel));
  return edit;
}

export class LabelIssueCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: LabelIssueDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const flag = this.diagnostics.lookup(diagnostic);
      if (flag) actions.push(...this.actionsFor(document, diagnostic, flag));
    }
    return actions;
  }

  private actionsFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, flag: FlaggedLine): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const line = diagnostic.range.start.line;
    const subject: ReviewSubject = flag.subject;
    flag.suggestions.forEach((label, i) => {
      const report = this.diagnostics.currentReport;
      const edit = relabelEdit(document, line, label, report?.fieldMapping ?? report?.labelField);
      if (!edit) return;
      const action = new vscode.CodeAction(`Relabel to \`${label}\``, vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = i === 0 && flag.kind === 'labelIssue';
      // Applied after the edit: remembers the decision in reviews.json.
      action.command = { command: labelIssueCommandIds.recordRelabel, title: 'Record relabel', arguments: [subject, label] };
      actions.push(action);
    });
    const reviewed = new vscode.CodeAction('Mark as reviewed (the label is right)', vscode.CodeActionKind.QuickFix);
    reviewed.diagnostics = [diagnostic];
    reviewed.command = { command: labelIssueCommandIds.markReviewed, title: 'Mark as reviewed', arguments: [subject] };
    actions.push(reviewed);
    if (flag.kind === 'labelIssue' && this.diagnostics.runId) {
      const browse = new vscode.CodeAction('Open in the misclassified browser', vscode.CodeActionKind.QuickFix);
      browse.diagnostics = [diagnostic];
      browse.command = {
        command: labelIssueCommandIds.browseMisclassified,
        title: 'Open in the misclassified browser',
        arguments: [{ runId: this.diagnostics.runId, file: subject.file, line: subject.line }],
      };
      actions.push(browse);
    }
    return actions;
  }
}
