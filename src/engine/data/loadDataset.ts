// Loads a dataset for training: examples of all three splits (sibling files or a stratified split), the label
// map and a fingerprint. Refuses, with file and line, only what makes training meaningless.
import { resolve } from 'node:path';
import type { DatasetReport } from '../../protocol/dataset';
import { EngineErrorCodes } from '../../protocol/errors';
import { EngineError } from '../errors';
import { exampleLabels, type DatasetSplits, type Example, type SplitName } from './example';
import { scanDatasetFile, type ExampleSink, type ScanOptions } from './scanDatasetFile';
import { ProblemCollector } from './problemCollector';
import { sortLabels } from './sortLabels';
import { assessTrainability } from './assessTrainability';
import { findSiblingSplits } from './findSiblingSplits';
import { buildDatasetReport } from './buildDatasetReport';
import { scanSibling } from './inspectDataset';
import { stratifiedSplit } from './stratifiedSplit';
import { iterativeStratifiedSplit } from './iterativeStratifiedSplit';
import { datasetFingerprint } from './datasetFingerprint';
import { describeSplitShortfall } from './describeSplitShortfall';
import { LabelsNotInTrain, reportLabelVariants } from './labelChecks';

export interface LoadDatasetOptions extends ScanOptions {
  /** Fraction of a class held out for validation when there is no validation file. Default 0.1. */
  validationSplit?: number;
  /** Fraction of a class held out for test when there is no test file (and no validation file). Default 0.1. */
  testSplit?: number;
  /** Seed of the stratified split. Default 42. */
  seed?: number;
  /** Problems kept per kind in the report. Default 200. */
  problemLimitPerKind?: number;
}

export interface LoadedDataset {
  splits: DatasetSplits;
  /** The validation report of the training file (with problems of the sibling files too). */
  report: DatasetReport;
}

/**
 * The dataset at `path` as three splits with a shared label map and a fingerprint. See
 * `loadDatasetWithReport` for the rules; this drops the report.
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<DatasetSplits> {
  return (await loadDatasetWithReport(path, options)).splits;
}

/**
 * Loads `path` (a JSONL file, or a folder with `train.jsonl`) into splits, keeping each example's file and
 * 1-based line. Sibling `validation`/`val`/`dev` and `test` files are used when present; a missing validation
 * split is carved from training (stratified, `validationSplit`), and when neither sibling exists the file is
 * split 80/10/10 (stratified by label, identical texts kept together, `seed` 42). Lines with problems are
 * skipped and listed in the report.
 * @throws EngineError `invalidDataset` naming file and line when the data cannot be trained on: unreadable
 * or empty file, no usable line, a single class.
 */
export async function loadDatasetWithReport(path: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const started = performance.now();
  const validationFraction = checkFraction(options.validationSplit ?? 0.1, 'validationSplit');
  const testFraction = checkFraction(options.testSplit ?? 0.1, 'testSplit');
  const seed = options.seed ?? 42;
  const files = findSiblingSplits(resolve(path));
  const problems = new ProblemCollector(options.problemLimitPerKind ?? 200);

  const trainFile: Example[] = [];
  const scan = await scanDatasetFile(files.train, options, problems, collectInto(trainFile, files.train));
  const trainLabels = sortLabels(scan.labelCounts.keys(), options.labelNames);
  const blocker = assessTrainability(scan, trainLabels, problems);
  if (blocker) throw new EngineError(EngineErrorCodes.invalidDataset, `Cannot train on this dataset: ${blocker.reason}`, { file: files.train, line: blocker.line });

  const fromFile: Partial<Record<SplitName, Example[]>> = {};
  for (const name of ['validation', 'test'] as const) {
    const file = files[name];
    if (!file) continue;
    const examples: Example[] = [];
    await scanSibling(scan, file, options, problems, problems, collectInto(examples, file));
    if (examples.length > 0) fromFile[name] = examples;
  }
  // One list-valued label in the training file makes the dataset multi-label; one-label lines are lists of one.
  const multiLabel = scan.listLines > 0;
  if (multiLabel) for (const split of [trainFile, fromFile.validation ?? [], fromFile.test ?? []]) for (const e of split) e.labels ??= [e.label];
  const split = (examples: Example[], fractions: [number, number, number], seed: number): Example[][] =>
    (multiLabel ? iterativeStratifiedSplit(examples, fractions, seed) : stratifiedSplit(examples, fractions, seed));

  let train = trainFile;
  let validation = fromFile.validation ?? [];
  let test = fromFile.test ?? [];
  let splitSource: DatasetSplits['splitSource'];
  let splitNote: string | undefined;
  if (fromFile.validation || fromFile.test) {
    if (!fromFile.validation) {
      const fractions: [number, number, number] = [1 - validationFraction, validationFraction, 0];
      [train, validation] = split(trainFile, fractions, seed);
      splitNote = describeSplitShortfall([train, validation, []], fractions);
    }
    const used: Partial<Record<SplitName, string>> = { train: files.train };
    if (fromFile.validation) used.validation = files.validation;
    if (fromFile.test) used.test = files.test;
    splitSource = { kind: 'siblings', files: used };
  } else {
    const fractions: [number, number, number] = [1 - validationFraction - testFraction, validationFraction, testFraction];
    if (fractions[0] <= 0) throw new EngineError(EngineErrorCodes.invalidOption, `validationSplit + testSplit must be below 1 (got ${validationFraction + testFraction}).`);
    [train, validation, test] = split(trainFile, fractions, seed);
    splitNote = describeSplitShortfall([train, validation, test], fractions);
    splitSource = { kind: 'stratified', file: files.train, seed, fractions };
  }

  reportLabelVariants(scan.file, scan.labelCounts, scan.labelFirstLine, problems);
  // A label only in validation/test stays a class (listed with 0 training examples) and its lines stay in
  // evaluation, counted as misclassified: dropping them would overstate accuracy (docs/ARCHITECTURE.md).
  const unseen = new LabelsNotInTrain(new Set(train.flatMap((e) => exampleLabels(e))));
  for (const e of [...validation, ...test]) unseen.add({ file: e.file, line: e.line, labels: exampleLabels(e) });
  unseen.report(problems);
  const labels = sortLabels([...train, ...validation, ...test].flatMap((e) => exampleLabels(e)), options.labelNames);
  const splits: DatasetSplits = {
    train, validation, test, labels, multiLabel, splitSource,
    fingerprint: datasetFingerprint({ train, validation, test }, labels),
    ...(splitNote ? { splitNote } : {}),
  };
  const report = buildDatasetReport(scan, trainLabels, problems, {
    siblingFiles: [files.validation, files.test].filter((f): f is string => f !== undefined),
    tokenLengthSource: options.tokenizer ? 'tokenizer' : 'wordEstimate',
    elapsedMs: performance.now() - started,
  });
  return { splits, report };
}

function checkFraction(value: number, name: string): number {
  if (!(value >= 0 && value < 1)) throw new EngineError(EngineErrorCodes.invalidOption, `${name} must be at least 0 and below 1 (got ${value}).`);
  return value;
}

/** An ExampleSink appending to `into`, with the file each example came from. */
function collectInto(into: Example[], file: string): ExampleSink {
  return (text, label, line, labels) => into.push(labels ? { text, label, labels, file, line } : { text, label, file, line });
}
