// Decides whether a scanned dataset can be trained on, adding the dataset-level problems (empty file, no
// usable examples, one class, rare classes) to the collector.
import { makeProblem } from './datasetProblemCatalog';
import { quoteForMessage } from './quoteForMessage';
import type { ProblemCollector } from './problemCollector';
import type { FileScan } from './scanDatasetFile';
import { labelImbalance } from './buildDatasetReport';

/**
 * Largest-to-smallest class ratio from which `inspect` warns and suggests class weights. At 5 the smallest
 * class is under 1/5 of the largest; emotion (joy 33.5 % vs surprise 3.6 %, ratio 9.4) is warned about.
 */
export const IMBALANCE_WARNING_RATIO = 5;

/**
 * Adds dataset-level problems for `scan` and returns why training is impossible, or undefined when it is
 * possible. `labels` is the label map (label-names order or sorted).
 */
export function assessTrainability(scan: FileScan, labels: readonly string[], problems: ProblemCollector): { reason: string; line: number } | undefined {
  const { file } = scan;
  // Listing thousands of one-example classes would only bury the real message (see tooManyLabels).
  for (const label of labels.length <= 10_000 ? labels : []) {
    const count = scan.labelCounts.get(label) ?? 0;
    if (count < 2 && scan.labelCounts.size > 1) {
      const line = scan.labelFirstLine.get(label) ?? 1;
      problems.add(makeProblem('rareClass', file, line, count === 0 ? `Class ${quoteForMessage(label)} has no examples.` : `Class ${quoteForMessage(label)} has only 1 example.`));
    }
  }
  const imbalance = labelImbalance(scan, labels);
  if (imbalance && imbalance.ratio >= IMBALANCE_WARNING_RATIO) {
    problems.add(makeProblem('classImbalance', file, scan.labelFirstLine.get(imbalance.minority) ?? 1,
      `Class ${quoteForMessage(imbalance.majority)} has ${imbalance.majorityCount} examples, ${imbalance.ratio.toFixed(1)}× the ${imbalance.minorityCount} of ${quoteForMessage(imbalance.minority)}.`));
  }
  if (scan.lines === 0) {
    const reason = 'The file is empty.';
    problems.add(makeProblem('emptyFile', file, 1, reason));
    return { reason, line: 1 };
  }
  if (scan.exampleCount === 0) {
    const firstError = problems.problems().find((p) => p.file === file && p.severity !== 'info');
    const line = firstError?.line ?? 1;
    const start = scan.firstLineStart.trim();
    const reason = start === '[' || start === '{'
      ? `The file looks like one JSON ${start === '[' ? 'array' : 'object'} spread over many lines, not JSON Lines (one object per line); convert it, e.g. with jq -c '.[]'.`
      : `No line has a usable text and label${firstError ? ` (first problem at line ${line}: ${firstError.message})` : ''}.`;
    problems.add(makeProblem('noExamples', file, line, reason));
    return { reason, line };
  }
  if (problems.count('tooManyLabels') > 0) {
    const line = problems.problems().find((p) => p.kind === 'tooManyLabels' && p.file === file)?.line ?? 1;
    const reason = `More than ${scan.labelCounts.size} distinct labels: the label field "${scan.mapping?.format === 'fields' ? scan.mapping.labelField : 'assistant'}" does not look like class labels.`;
    return { reason, line };
  }
  if (scan.labelCounts.size < 2) {
    const [only] = scan.labelCounts.keys();
    const line = scan.labelFirstLine.get(only) ?? 1;
    const reason = `Every example has the label ${quoteForMessage(only)}; a classifier needs at least two classes.`;
    problems.add(makeProblem('singleClass', file, line, reason));
    return { reason, line };
  }
  return undefined;
}
