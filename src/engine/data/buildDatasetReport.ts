// Assembles the DatasetReport of a scanned training file (used by inspect and by loadDataset).
import type { DatasetReport } from '../../protocol/dataset';
import type { FileScan } from './scanDatasetFile';
import type { ProblemCollector } from './problemCollector';

/** The report for `scan` with label map `labels`; `blocker` is assessTrainability's verdict. */
export function buildDatasetReport(
  scan: FileScan,
  labels: string[],
  problems: ProblemCollector,
  extra: { siblingFiles: string[]; blocker?: { reason: string }; tokenLengthSource: DatasetReport['tokenLengthSource']; elapsedMs: number },
): DatasetReport {
  const report: DatasetReport = {
    file: scan.file,
    bytes: scan.bytes,
    lines: scan.lines,
    exampleCount: scan.exampleCount,
    fields: scan.mapping,
    labels,
    labelCounts: labels.map((l) => scan.labelCounts.get(l) ?? 0),
    textLength: scan.textLength.toHistogram(),
    tokenLength: scan.tokenLength.toHistogram(),
    tokenLengthSource: extra.tokenLengthSource,
    duplicateTexts: scan.duplicateTexts,
    conflictingTexts: scan.conflictingTexts,
    problems: problems.problems(),
    problemCounts: problems.problemCounts(),
    problemLimitPerKind: problems.limitPerKind,
    siblingFiles: extra.siblingFiles,
    trainable: extra.blocker === undefined,
    elapsedMs: Math.round(extra.elapsedMs),
  };
  if (extra.blocker) report.notTrainableReason = extra.blocker.reason;
  return report;
}
