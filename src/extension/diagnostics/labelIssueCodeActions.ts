// Quick fixes on label-issue diagnostics: relabel (an undoable WorkspaceEdit of only the label value: a JSONL
// line's value, a CSV/TSV record's label cell; for multi-label JSONL lines, add or remove one label in the list),
// mark as reviewed, and open the line in the misclassified browser.
import * as vscode from 'vscode';
import { findLabelValueSpan, labelListEdit, labelValueText, relabelLine, type LabelListChange, type LabelSource } from './labelValueSpan';
import type { FlaggedLine, LabelIssueDiagnostics } from './labelIssueDiagnostics';
import type { ReviewSubject } from './reviewStore';
import { commandIds, internalCommandIds } from '../commands/commandIds';
import { datasetFormatOf, isDelimitedText } from '../../common/datasetFormat';
import { documentDelimiter } from '../tabular/documentDelimiter';
import { csvColumns, csvHeader } from '../tabular/datasetExample';
import { maxRecordLines, positionIn, replaceCsvCell } from '../tabular/csvRecord';

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
  const format = datasetFormatOf(document.uri.fsPath);
  if (format === 'parquet') return undefined;
  if (format !== undefined && isDelimitedText(format)) return relabelCsvEdit(document, line, newLabel, documentDelimiter(document, format), source);
  const text = document.lineAt(line).text;
  const span = findLabelValueSpan(text, source);
  if (!span || relabelLine(text, newLabel, source) === undefined) return undefined;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(line, span.start, line, span.end), labelValueText(span, newLabel));
  return edit;
}

/**
 * The edit that adds or removes one label in the label list on `line` (0-based) of a multi-label `document`: only
 * that JSON array is rewritten (see `labelListEdit`), one undoable edit. Undefined when the line's list no longer
 * allows the change.
 */
export function labelListChangeEdit(document: vscode.TextDocument, line: number, change: LabelListChange, source?: LabelSource): vscode.WorkspaceEdit | undefined {
  const replacement = labelListEdit(document.lineAt(line).text, change, source);
  if (!replacement) return undefined;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(line, replacement.start, line, replacement.end), replacement.text);
  return edit;
}

/**
 * The fix of a flagged line (0-based `line`) for one of its suggestions: add/remove one label for a multi-label
 * issue, else relabel to `label`. Undefined when the line no longer allows it.
 */
export function labelIssueFixEdit(document: vscode.TextDocument, line: number, flag: FlaggedLine, label: string, source?: LabelSource): vscode.WorkspaceEdit | undefined {
  const change = flag.kind === 'labelIssue' ? flag.issue.labelChange : undefined;
  return change ? labelListChangeEdit(document, line, change, source) : relabelEdit(document, line, label, source);
}

/** Title of a fix: "Add label `joy`", "Remove label `anger`", or "Relabel to `joy`". */
export function labelIssueFixTitle(flag: FlaggedLine, label: string): string {
  const change = flag.kind === 'labelIssue' ? flag.issue.labelChange : undefined;
  if (change) return change.action === 'add' ? vscode.l10n.t('Add label `{0}`', change.label) : vscode.l10n.t('Remove label `{0}`', change.label);
  return vscode.l10n.t('Relabel to `{0}`', label);
}

/**
 * The edit that rewrites only the label cell of the CSV/TSV record starting on `line` (0-based): the cell is
 * written by csv-stringify (quoted when it holds the delimiter, a quote or a line break), and the edited record
 * must read back with that one cell changed (`replaceCsvCell`), else undefined.
 */
function relabelCsvEdit(document: vscode.TextDocument, line: number, newLabel: string, delimiter: string, source?: LabelSource): vscode.WorkspaceEdit | undefined {
  const header = csvHeader(document.lineCount > 0 ? document.lineAt(0).text : undefined, delimiter);
  if (!header || line < 1) return undefined;
  const column = csvColumns(header, typeof source === 'string' ? { labelField: source } : { ...(source ? { fieldMapping: source } : {}) }).label;
  if (column < 0) return undefined;
  const last = Math.min(document.lineCount, line + maxRecordLines);
  const text = document.getText(new vscode.Range(line, 0, last, 0));
  const change = replaceCsvCell(text, delimiter, column, newLabel);
  if (!change) return undefined;
  const start = positionIn(text, change.start);
  const end = positionIn(text, change.end);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(line + start.line, start.character, line + end.line, end.character), change.text);
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
    const subject: ReviewSubject = flag.subject;
    // The line the example starts on: a CSV record's label cell may sit on a later line than the diagnostic's start.
    const line = subject.line - 1;
    flag.suggestions.forEach((label, i) => {
      const report = this.diagnostics.currentReport;
      const edit = labelIssueFixEdit(document, line, flag, label, report?.fieldMapping ?? report?.labelField);
      if (!edit) return;
      const action = new vscode.CodeAction(labelIssueFixTitle(flag, label), vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = i === 0 && flag.kind === 'labelIssue';
      // Applied after the edit: remembers the decision in reviews.json.
      action.command = { command: labelIssueCommandIds.recordRelabel, title: vscode.l10n.t('Record relabel'), arguments: [subject, label] };
      actions.push(action);
    });
    const reviewed = new vscode.CodeAction(vscode.l10n.t('Mark as reviewed (the label is right)'), vscode.CodeActionKind.QuickFix);
    reviewed.diagnostics = [diagnostic];
    reviewed.command = { command: labelIssueCommandIds.markReviewed, title: vscode.l10n.t('Mark as reviewed'), arguments: [subject] };
    actions.push(reviewed);
    if (flag.kind === 'labelIssue' && this.diagnostics.runId) {
      const browse = new vscode.CodeAction(vscode.l10n.t('Open in the misclassified browser'), vscode.CodeActionKind.QuickFix);
      browse.diagnostics = [diagnostic];
      browse.command = {
        command: labelIssueCommandIds.browseMisclassified,
        title: vscode.l10n.t('Open in the misclassified browser'),
        arguments: [{ runId: this.diagnostics.runId, file: subject.file, line: subject.line }],
      };
      actions.push(browse);
    }
    return actions;
  }
}
