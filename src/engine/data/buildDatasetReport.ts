// Assembles the DatasetReport of a scanned training file (used by inspect and by loadDataset).
import type { DatasetReport, LabelImbalance, MultiLabelStats } from '../../protocol/dataset';
import { describeLabelNaming, type FileScan } from './scanDatasetFile';
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
  if (scan.listLines > 0) report.multiLabel = multiLabelStats(scan);
  const imbalance = labelImbalance(scan, labels);
  if (imbalance) report.imbalance = imbalance;
  const over = scan.tokenLength.excessOver(scan.maxLength);
  report.truncation = { maxLength: scan.maxLength, lines: over.count, tokensLost: over.excess };
  const naming = describeLabelNaming(scan);
  if (naming) report.labelNaming = naming;
  return report;
}

/** Pairs listed in `topPairs`. */
const topPairCount = 10;

function multiLabelStats(scan: FileScan): MultiLabelStats {
  const total = scan.labelsPerLine.reduce((a, c, n) => a + c * n, 0);
  const topPairs = [...scan.labelPairs.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, topPairCount)
    .map(([key, count]) => ({ labels: [scan.labelById[Math.floor(key / 65536)]!, scan.labelById[key % 65536]!] as [string, string], count }));
  return {
    labelsPerLine: [...scan.labelsPerLine],
    noLabelLines: scan.labelsPerLine[0] ?? 0,
    meanLabelsPerLine: scan.exampleCount > 0 ? total / scan.exampleCount : 0,
    topPairs,
  };
}

/** The largest and the smallest class among those with examples; undefined with fewer than two such classes. */
export function labelImbalance(scan: Pick<FileScan, 'labelCounts'>, labels: readonly string[]): LabelImbalance | undefined {
  let majority: string | undefined;
  let minority: string | undefined;
  for (const label of labels) {
    const count = scan.labelCounts.get(label) ?? 0;
    if (count === 0) continue;
    if (majority === undefined || count > scan.labelCounts.get(majority)!) majority = label;
    if (minority === undefined || count < scan.labelCounts.get(minority)!) minority = label;
  }
  if (majority === undefined || minority === undefined || majority === minority) return undefined;
  const majorityCount = scan.labelCounts.get(majority)!;
  const minorityCount = scan.labelCounts.get(minority)!;
  return { majority, majorityCount, minority, minorityCount, ratio: majorityCount / minorityCount };
}
