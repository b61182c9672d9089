// Turns a dataset inspection report into Problems-panel diagnostics (file, line, column, what to do) and into
// the one-sentence explanation shown when training is refused.
import * as vscode from 'vscode';
import type { DatasetProblem, DatasetReport } from '../../protocol/dataset';
import { editorHint } from './datasetProblemHints';

export const diagnosticSource = 'Classifier Workbench';
const severities: Record<DatasetProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** One diagnostic for one problem: the line (from the column when known), message plus hint, kind as code. */
export function toDiagnostic(problem: DatasetProblem): vscode.Diagnostic {
  const line = Math.max(0, problem.line - 1);
  const start = problem.column ? problem.column - 1 : 0;
  // The end column is unknown here; VS Code clamps a range to the line when it shows the marker.
  const range = new vscode.Range(line, start, line, Number.MAX_SAFE_INTEGER);
  const diagnostic = new vscode.Diagnostic(range, `${problem.message} ${editorHint(problem)}`.trim(), severities[problem.severity]);
  diagnostic.source = diagnosticSource;
  diagnostic.code = problem.kind;
  if (problem.related) {
    const at = new vscode.Range(problem.related.line - 1, 0, problem.related.line - 1, Number.MAX_SAFE_INTEGER);
    diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(problem.related.file), at), vscode.l10n.t('Also here'))];
  }
  return diagnostic;
}

/**
 * Replaces the diagnostics of the report's file and its sibling splits with the report's problems.
 * @returns the number of diagnostics published.
 */
export function publishDatasetProblems(collection: vscode.DiagnosticCollection, report: DatasetReport): number {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const file of [report.file, ...report.siblingFiles]) byFile.set(file, []);
  for (const problem of report.problems) {
    // Blank lines are harmless and would only bury the problems that matter.
    if (problem.kind === 'blankLine') continue;
    const list = byFile.get(problem.file) ?? [];
    list.push(toDiagnostic(problem));
    byFile.set(problem.file, list);
  }
  let published = 0;
  for (const [file, diagnostics] of byFile) {
    collection.set(vscode.Uri.file(file), diagnostics);
    published += diagnostics.length;
  }
  return published;
}

/** The first problem that is an error (where "Open file at line" should jump), else the first problem. */
export function firstProblem(report: DatasetReport): DatasetProblem | undefined {
  return report.problems.find((p) => p.severity === 'error') ?? report.problems[0];
}

/**
 * Why training on this dataset is refused, in the words shown to the user, e.g.
 * "Cannot fine-tune on train.jsonl: all examples have the same label. 3 lines are not valid JSON (first at line 12)."
 */
export function explainRefusal(report: DatasetReport): string {
  const name = report.file.split(/[\\/]/).pop();
  const reason = report.notTrainableReason ?? vscode.l10n.t('the dataset has no usable examples');
  const errors = report.problemCounts.filter((c) => c.severity === 'error');
  const details = errors.slice(0, 3).map((c) => {
    const first = report.problems.find((p) => p.kind === c.kind);
    return first ? vscode.l10n.t('{0} × {1} (first at line {2})', c.count, describeKind(c.kind), first.line) : `${c.count} × ${describeKind(c.kind)}`;
  });
  const refusal = vscode.l10n.t('Cannot fine-tune on {0}: {1}.', name ?? report.file, reason.replace(/\.$/, ''));
  return details.length ? `${refusal} ${vscode.l10n.t('Problems: {0}.', details.join(', '))}` : refusal;
}

/** A short summary for a trainable dataset with problems: "2 errors (lines skipped), 5 warnings". */
export function summariseProblems(report: DatasetReport): string | undefined {
  const count = (s: DatasetProblem['severity']) => report.problemCounts.filter((c) => c.severity === s).reduce((n, c) => n + c.count, 0);
  const errors = count('error');
  const warnings = count('warning');
  if (!errors && !warnings) return undefined;
  const parts = [];
  if (errors) parts.push(errors === 1 ? vscode.l10n.t('1 line with errors will be skipped') : vscode.l10n.t('{0} lines with errors will be skipped', errors));
  if (warnings) parts.push(warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings));
  return parts.join(', ');
}

function describeKind(kind: string): string {
  return kind.replace(/([A-Z])/g, ' $1').toLowerCase();
}
