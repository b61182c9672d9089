// Keeps the first N problems of each kind and counts all of them, so a file with a million bad lines
// still produces a small report in bounded memory.
import type { DatasetProblem, DatasetProblemCount, DatasetProblemKind } from '../../protocol/dataset';

export class ProblemCollector {
  private readonly kept: DatasetProblem[] = [];
  private readonly counts = new Map<DatasetProblemKind, DatasetProblemCount>();
  /** Files in the order their first problem arrived: the inspected file before its siblings. */
  private readonly fileRank = new Map<string, number>();

  constructor(readonly limitPerKind: number) {}

  /** Fixes the listing order of files: files noted (or first seen in a problem) earlier are listed first. */
  noteFile(file: string): void {
    if (!this.fileRank.has(file)) this.fileRank.set(file, this.fileRank.size);
  }

  add(problem: DatasetProblem): void {
    let entry = this.counts.get(problem.kind);
    if (!entry) {
      entry = { kind: problem.kind, severity: problem.severity, count: 0 };
      this.counts.set(problem.kind, entry);
    }
    entry.count++;
    this.noteFile(problem.file);
    if (entry.count <= this.limitPerKind) this.kept.push(problem);
  }

  count(kind: DatasetProblemKind): number {
    return this.counts.get(kind)?.count ?? 0;
  }

  /** Kept problems in file (first seen first) and line order. */
  problems(): DatasetProblem[] {
    const rank = (p: DatasetProblem): number => this.fileRank.get(p.file) ?? 0;
    // Stable sort: problems on one line keep the order they were found in (the line's own before dataset-level ones).
    return [...this.kept].sort((a, b) => rank(a) - rank(b) || a.line - b.line);
  }

  /** Totals, errors first, then by count. */
  problemCounts(): DatasetProblemCount[] {
    const rank = { error: 0, warning: 1, info: 2 } as const;
    return [...this.counts.values()].sort((a, b) => rank[a.severity] - rank[b.severity] || b.count - a.count);
  }
}
