// `inspect`: everything a user should know about a dataset file before training on it, in one streaming pass.
import { resolve } from 'node:path';
import type { DatasetReport } from '../../protocol/dataset';
import { scanDatasetFile, type ExampleSink, type FileScan, type ScanOptions } from './scanDatasetFile';
import { ProblemCollector } from './problemCollector';
import { sortLabels } from './sortLabels';
import { assessTrainability } from './assessTrainability';
import { findSiblingSplits } from './findSiblingSplits';
import { makeProblem } from './datasetProblemCatalog';
import { hashText, textHash } from './hashText';
import { buildDatasetReport } from './buildDatasetReport';
import { LabelsNotInTrain, reportLabelVariants } from './labelChecks';

export interface InspectOptions extends ScanOptions {
  /** Problems kept per kind in the report (all are counted). Default 200. */
  problemLimitPerKind?: number;
  /**
   * Also read sibling validation/test files: their own problems (the lines `train` would skip), texts they share
   * with this one, and labels this one never has. Default true.
   */
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
  const problems = new ProblemCollector(options.problemLimitPerKind ?? 200);
  const scan = await scanDatasetFile(splits.train, options, problems);
  const siblingFiles = options.checkSiblings === false ? [] : [splits.validation, splits.test].filter((f): f is string => f !== undefined);
  const siblingExampleCounts: Record<string, number> = {};
  const unseen = new LabelsNotInTrain(new Set(scan.labelCounts.keys()));
  for (const sibling of siblingFiles) {
    siblingExampleCounts[sibling] = (await scanSibling(scan, sibling, options, problems, problems, (_text, label, line, labels) => {
      unseen.add({ file: sibling, line, labels: labels ?? [label] });
    })).exampleCount;
  }
  reportLabelVariants(scan.file, scan.labelCounts, scan.labelFirstLine, problems);
  unseen.report(problems);

  const labels = sortLabels(scan.labelCounts.keys(), options.labelNames);
  const blocker = assessTrainability(scan, labels, problems);
  const report = buildDatasetReport(scan, labels, problems, {
    siblingFiles,
    blocker,
    tokenLengthSource: options.tokenizer ? 'tokenizer' : 'wordEstimate',
    elapsedMs: performance.now() - started,
  });
  if (siblingFiles.length > 0) report.siblingExampleCounts = siblingExampleCounts;
  return report;
}

/**
 * Reads `sibling` (a validation or test file) with the training file's field mapping, putting its own problems
 * in `ownProblems`, reporting each text it shares with `train` in `sharedProblems`, and passing every usable
 * example to `onExample`.
 */
export async function scanSibling(
  train: FileScan,
  sibling: string,
  options: ScanOptions,
  ownProblems: ProblemCollector,
  sharedProblems: ProblemCollector,
  onExample?: ExampleSink,
): Promise<FileScan> {
  const siblingOptions: ScanOptions = { ...options, tokenizer: undefined };
  if (train.mapping?.format === 'fields') {
    siblingOptions.textField ??= train.mapping.textField;
    siblingOptions.labelField ??= train.mapping.labelField;
  }
  return scanDatasetFile(sibling, siblingOptions, ownProblems, (text, label, line, labels) => {
    hashText(text);
    const slot = train.texts.find(textHash.hi, textHash.lo);
    if (slot >= 0) {
      const trainLine = train.texts.lineAt(slot);
      sharedProblems.add(makeProblem('sharedAcrossSplits', sibling, line, `This text is also in the training file at line ${trainLine}.`, { related: { file: train.file, line: trainLine } }));
    }
    onExample?.(text, label, line, labels);
  });
}
