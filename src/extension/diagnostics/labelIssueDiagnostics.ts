// Publishes a label-issue report as diagnostics on the JSONL lines and CSV/TSV records it flags (Parquet items are
// listed, not published), hides reviewed ones, and drops
// a diagnostic as soon as its line no longer holds that example with that label (relabelled, edited, moved).
import * as vscode from 'vscode';
import type { DuplicateLabelIssue, LabelChange, LabelIssue, LabelIssueReport } from '../../protocol/labelIssueReport';
import { datasetFormatOf, delimiterOfLines, isDelimitedText } from '../../common/datasetFormat';
import { locateExample, sameText, type LocatedExample } from '../tabular/datasetExample';
import type { ReviewStore, ReviewSubject } from './reviewStore';

export const diagnosticSource = 'Classifier Workbench';
/** At or above this probability of the suggested label an issue is a Warning; below, Information. */
export const warningProbability = 0.8;

/** The code of the one diagnostic that says why a weak model's label issues are not raised. */
export const weakModelDiagnosticCode = 'labelIssuesNotRaised';

/** The report's out-of-fold model failed the reliability bar (reports without an assessment count as reliable). */
export function isWeak(report: LabelIssueReport): boolean {
  return report.reliability?.verdict === 'weak';
}

/** One sentence for Problems and notifications: why a weak model's issues are held back, and what would help. */
export function weakModelMessage(report: LabelIssueReport): string {
  const r = report.reliability!;
  const help = r.suggestions.length ? ` To do better: ${r.suggestions[0]}.` : '';
  return `Label issues not raised: the out-of-fold model (${report.model}) is too weak to judge labels — ${baselineComparison(report)}, log loss ${r.logLoss.toFixed(2)} vs ${r.baselineLogLoss.toFixed(2)}. ${report.issues.length ? `${report.issues.length} ${report.issues.length === 1 ? 'line is' : 'lines are'} ranked in the Label issues view as hints.` : 'It rules out no given label either.'}${help}`;
}

/** "accuracy 41.0% vs 30.2% for always "joy"" (multi-label: the exact-set accuracy against the most common set). */
export function baselineComparison(report: LabelIssueReport): string {
  const r = report.reliability!;
  return report.multiLabel
    ? `exact-set accuracy ${pct(r.accuracy)} vs ${pct(r.baselineAccuracy)} for always [${r.majorityLabel}]`
    : `accuracy ${pct(r.accuracy)} vs ${pct(r.baselineAccuracy)} for always "${r.majorityLabel}"`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** What a published diagnostic stands for, so code actions and the tree can act on it. */
export type FlaggedLine =
  | { kind: 'labelIssue'; subject: ReviewSubject; issue: LabelIssue; suggestions: string[] }
  | { kind: 'conflictingDuplicate'; subject: ReviewSubject; group: DuplicateLabelIssue; suggestions: string[] };

/** A multi-label issue in words: "`joy` is likely missing from [anger] (out-of-fold p(joy) = 0.93)". */
export function describeLabelChange(change: LabelChange): string {
  const given = `[${change.givenLabels.map((l) => `\`${l}\``).join(', ')}]`;
  return change.action === 'add'
    ? `\`${change.label}\` is likely missing from ${given} (out-of-fold p(${change.label}) = ${change.labelProbability.toFixed(2)})`
    : `\`${change.label}\` is likely wrong in ${given} (out-of-fold p(${change.label}) = ${change.labelProbability.toFixed(2)})`;
}

/** Reads a file's lines when it is not open in an editor. */
export type LineReader = (file: string) => Promise<string[]>;

export class LabelIssueDiagnostics implements vscode.Disposable {
  private report: LabelIssueReport | undefined;
  private raiseWhenWeak = false;
  private reviews: ReviewStore | undefined;
  /** The run the report belongs to (for "open in the misclassified browser"). */
  runId: string | undefined;
  private readonly lines = new Map<string, string[]>();
  private readonly flagged = new Map<string, FlaggedLine[]>();
  private readonly byDiagnostic = new WeakMap<vscode.Diagnostic, FlaggedLine>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after diagnostics were republished (the tree view listens). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly collection: vscode.DiagnosticCollection, private readonly readLines: LineReader) {}

  get currentReport(): LabelIssueReport | undefined {
    return this.report;
  }

  /**
   * Shows `report`, hiding what `reviews` already decided. When the report says its out-of-fold model is too weak
   * to judge labels, its issues stay ranked (view, hover) but are not raised in Problems unless `raiseWhenWeak`;
   * one Information diagnostic on the dataset's first line says why instead.
   */
  async show(report: LabelIssueReport, reviews: ReviewStore, runId?: string, options: { raiseWhenWeak?: boolean } = {}): Promise<void> {
    this.report = report;
    this.raiseWhenWeak = options.raiseWhenWeak ?? false;
    this.reviews = reviews;
    this.runId = runId;
    this.lines.clear();
    this.collection.clear();
    const files = new Set([report.dataset, ...report.issues.map((i) => i.file), ...report.duplicates.flatMap((g) => g.members.map((m) => m.file))]);
    for (const file of files) this.lines.set(file, await this.readLines(file));
    this.publish();
  }

  /** The document changed: re-check its flagged lines against the new text. */
  updateDocument(file: string, text: string): void {
    if (!this.lines.has(file)) return;
    this.lines.set(file, text.split(/\r?\n/));
    this.publish();
  }

  /** Reviews changed (a decision was recorded): republish without the decided lines. */
  refresh(): void {
    this.publish();
  }

  /** The flagged line behind a diagnostic this class published. */
  lookup(diagnostic: vscode.Diagnostic): FlaggedLine | undefined {
    return this.byDiagnostic.get(diagnostic);
  }

  /** The open flags on a 1-based line of `file` (empty when the line is not flagged, reviewed or fixed). */
  flagsAt(file: string, line: number): FlaggedLine[] {
    return (this.flagged.get(file) ?? []).filter((f) => f.subject.line === line);
  }

  /** Hover notes for a line: why it is flagged, in the words of its diagnostic. */
  notesAt(file: string, line: number): string[] {
    return this.flagsAt(file, line).map((f) => f.kind === 'labelIssue' && f.issue.labelChange
      ? `$(search) **Likely label issue #${f.issue.rank}** of ${this.report?.issues.length ?? 0}: ${describeLabelChange(f.issue.labelChange)}`
      : f.kind === 'labelIssue'
      ? `$(search) **Likely label issue #${f.issue.rank}** of ${this.report?.issues.length ?? 0}: out-of-fold p(\`${f.issue.givenLabel}\`) = ${f.issue.selfConfidence.toFixed(3)}, p(\`${f.issue.suggestedLabel}\`) = ${f.issue.suggestedProbability.toFixed(3)}`
      : `$(copy) **Conflicting duplicate:** the same text is labelled ${f.suggestions.map((l) => `\`${l}\``).join(', ')} elsewhere`);
  }

  /** The report's issues are ranked but not raised in Problems: its out-of-fold model is too weak to judge. */
  get issuesHeldBack(): boolean {
    return !!this.report && isWeak(this.report) && !this.raiseWhenWeak;
  }

  /** Every flagged line still open, issues in rank order then duplicates. */
  openItems(): FlaggedLine[] {
    const all = [...this.flagged.values()].flat();
    const rank = (f: FlaggedLine) => (f.kind === 'labelIssue' ? f.issue.rank : Number.MAX_SAFE_INTEGER);
    return all.sort((a, b) => rank(a) - rank(b) || a.subject.file.localeCompare(b.subject.file) || a.subject.line - b.subject.line);
  }

  clear(): void {
    this.report = undefined;
    this.collection.clear();
    this.flagged.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.collection.dispose();
    this.changed.dispose();
  }

  private publish(): void {
    this.flagged.clear();
    const report = this.report;
    if (!report) return;
    const perFile = new Map<string, vscode.Diagnostic[]>();
    const heldBack = this.issuesHeldBack;
    // A CSV's delimiter is guessed once per file, not once per flagged line.
    const delimiters = new Map<string, string | undefined>();
    const delimiterOf = (file: string, lines: readonly string[]) => {
      if (!delimiters.has(file)) {
        const format = datasetFormatOf(file);
        delimiters.set(file, format !== undefined && isDelimitedText(format) ? delimiterOfLines(format, lines, true) : undefined);
      }
      return delimiters.get(file);
    };
    const add = (flag: FlaggedLine, message: string, severity: vscode.DiagnosticSeverity, raise = true) => {
      const { file, line } = flag.subject;
      const decision = this.reviews?.decisionFor(flag.subject);
      if (datasetFormatOf(file) === 'parquet') {
        // A Parquet file is not edited in place: an accepted relabel is a correction to export, and closes the item.
        if (decision === undefined) this.flagged.set(file, [...(this.flagged.get(file) ?? []), flag]);
        return;
      }
      const lines = this.lines.get(file) ?? [];
      const example = locateExample(file, lines, line, report, delimiterOf(file, lines));
      // Only a dismissal hides a line that still holds the flagged label: an accepted relabel that was undone
      // (the old label is back) is an open issue again.
      if (!example || !this.stillHolds(example, flag.subject) || decision === 'dismissed') return;
      this.flagged.set(file, [...(this.flagged.get(file) ?? []), flag]);
      if (!raise) return;
      const where = example.labelRange;
      const range = where ? new vscode.Range(where.start.line, where.start.character, where.end.line, where.end.character) : new vscode.Range(line - 1, 0, line - 1, lines[line - 1]?.length ?? 0);
      const diagnostic = new vscode.Diagnostic(range, message, severity);
      diagnostic.source = diagnosticSource;
      diagnostic.code = flag.kind;
      this.byDiagnostic.set(diagnostic, flag);
      perFile.set(file, [...(perFile.get(file) ?? []), diagnostic]);
    };
    for (const issue of report.issues) {
      const subject = { file: issue.file, line: issue.line, text: issue.text, givenLabel: issue.givenLabel };
      add(
        { kind: 'labelIssue', subject, issue, suggestions: [issue.suggestedLabel] },
        issue.labelChange ? describeLabelChange(issue.labelChange)
          : `labelled \`${issue.givenLabel}\`, model says \`${issue.suggestedLabel}\` (p=${issue.suggestedProbability.toFixed(2)})`,
        issue.suggestedProbability >= warningProbability ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
        !heldBack,
      );
    }
    if (heldBack) {
      // Problems is where users look: say there why nothing is raised, on the dataset's first line.
      const first = this.lines.get(report.dataset)?.[0] ?? '';
      const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, first.length), weakModelMessage(report), vscode.DiagnosticSeverity.Information);
      diagnostic.source = diagnosticSource;
      diagnostic.code = weakModelDiagnosticCode;
      perFile.set(report.dataset, [...(perFile.get(report.dataset) ?? []), diagnostic]);
    }
    for (const group of report.duplicates) {
      for (const member of group.members) {
        const others = group.members.filter((m) => m !== member && m.label !== member.label);
        if (others.length === 0) continue;
        const where = others.map((m) => `${m.file === member.file ? `line ${m.line}` : `${m.file}:${m.line}`} (\`${m.label}\`)`).join(', ');
        const subject = { file: member.file, line: member.line, text: member.text, givenLabel: member.label };
        add(
          { kind: 'conflictingDuplicate', subject, group, suggestions: [...new Set(others.map((m) => m.label))] },
          `${group.kind === 'exact' ? 'same text' : 'near-duplicate text'} labelled differently at ${where}`,
          vscode.DiagnosticSeverity.Warning,
        );
      }
    }
    for (const file of this.lines.keys()) this.collection.set(vscode.Uri.file(file), perFile.get(file) ?? []);
    this.changed.fire();
  }

  /** The line still holds the flagged example with its flagged label (otherwise it was fixed or moved). */
  private stillHolds(example: LocatedExample, subject: ReviewSubject): boolean {
    return sameText(example.text, subject.text) && example.label === subject.givenLabel;
  }
}
