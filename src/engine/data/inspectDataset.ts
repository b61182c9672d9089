// `inspect`: everything a user should know about a dataset file before training on it, in one streaming pass.
import { resolve } from 'node:path';
import type { DatasetReport } from '../../protocol/dataset';
import { scanDatasetFile, type FileScan, type ScanOptions } from './scanDatasetFile';
import { ProblemCollector } from './problemCollector';
import { sortLabels } from './sortLabels';
import { assessTrainability } from './assessTrainability';
import { findSiblingSplits } from './findSiblingSplits';
import { makeProblem } from './datasetProblemCatalog';
import { hashText, textHash } from './hashText';

export interface InspectOptions extends ScanOptions {
  /** Problems kept per kind in the report (all are counted). Default 200. */
  problemLimitPerKind?: number;
  /** Also read sibling validation/test files to find texts they share with this one. Default true. */
  checkSiblings?: boolean;
}

/**
 * A report on the JSONL file at `path` (or the training file of a folder): counts, label map and
 * distribution, length histograms, every problem with file/line/column and advice, and whether it can be
 * trained on. Memory stays bounded whatever the file size. Never throws for bad content (that is what the
 * report is for); throws EngineError `invalidDataset` when the file cannot be read.
 */
export async function inspectDataset(path: string, options: InspectOptions = {}): Promise<DatasetReport> {
  const started = performance.now();
  const splits = findSiblingSplits(resolve(path));
  const file = splits.train;
  const problems = new ProblemCollector(options.problemLimitPerKind ?? 200);
  const scan = await scanDatasetFile(file, options, problems);
  const siblingFiles = options.checkSiblings === false ? [] : [splits.validation, splits.test].filter((f): f is string => f !== undefined);
  for (const sibling of siblingFiles) await reportSharedTexts(scan, sibling, options, problems);

  const labels = sortLabels(scan.labelCounts.keys(), options.labelNames);
  const blocker = assessTrainability(scan, labels, problems);
  const report: DatasetReport = {
    file,
    bytes: scan.bytes,
    lines: scan.lines,
    exampleCount: scan.exampleCount,
    fields: scan.mapping,
    labels,
    labelCounts: labels.map((l) => scan.labelCounts.get(l) ?? 0),
    textLength: scan.textLength.toHistogram(),
    tokenLength: scan.tokenLength.toHistogram(),
    tokenLengthSource: options.tokenizer ? 'tokenizer' : 'wordEstimate',
    duplicateTexts: scan.duplicateTexts,
    conflictingTexts: scan.conflictingTexts,
    problems: problems.problems(),
    problemCounts: problems.problemCounts(),
    problemLimitPerKind: problems.limitPerKind,
    siblingFiles,
    trainable: blocker === undefined,
    elapsedMs: 0,
  };
  if (blocker) report.notTrainableReason = blocker.reason;
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

/**
 * Reads `sibling` (a validation or test file) with the same field options and reports each of its texts
 * that also occurs in `train`. The sibling's own problems are not part of this report: inspect it for those.
 */
async function reportSharedTexts(train: FileScan, sibling: string, options: ScanOptions, problems: ProblemCollector): Promise<void> {
  const own = new ProblemCollector(0);
  const siblingOptions: ScanOptions = { ...options, tokenizer: undefined };
  if (train.mapping?.format === 'fields') {
    siblingOptions.textField ??= train.mapping.textField;
    siblingOptions.labelField ??= train.mapping.labelField;
  }
  await scanDatasetFile(sibling, siblingOptions, own, (text, _label, line) => {
    hashText(text);
    const slot = train.texts.find(textHash.hi, textHash.lo);
    if (slot < 0) return;
    const trainLine = train.texts.lineAt(slot);
    problems.add(makeProblem('sharedAcrossSplits', sibling, line, `This text is also in the training file at line ${trainLine}.`, { related: { file: train.file, line: trainLine } }));
  });
}
