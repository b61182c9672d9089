// The label-issue job on multi-label examples: out-of-fold per-label probabilities from models trained with the
// multi-label objective (sigmoid, binary cross-entropy), per-label confident learning, conflicting duplicates,
// assembled into the same `LabelIssueReport` as single-label data, each issue naming the one label to add or remove.
import type { Example } from '../../data/example';
import type { LabelIssue, LabelIssueReport } from '../../../protocol/labelIssueReport';
import { computeOutOfFoldProbs, type FoldClassifierFactory, type OutOfFoldProgress } from '../outOfFoldProbs';
import { conflictingDuplicates } from '../duplicates';
import type { FilterBy } from '../findIssues';
import { findMultiLabelIssues, multiLabelFilterRules, type MultiLabelFilterBy } from './findMultiLabelIssues';
import { assessMultiLabelReliability } from './multiLabelReliability';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

export interface DetectMultiLabelIssuesOptions {
  /** Builds each fold's model; it must train with the multi-label objective (`createFoldClassifierFactory({ objective })`). */
  createClassifier: FoldClassifierFactory;
  modelName: string;
  /** The judged file, for the report. */
  dataset: string;
  folds?: number;
  /** Repetitions of the k-fold split, averaged (see `OutOfFoldOptions.repeats`). Default 1. */
  repeats?: number;
  seed?: number;
  /** A rule of `MultiLabelFilterBy`; single-label rule names are refused with the list. Default `pruneByNoiseRate`. */
  filterBy?: FilterBy | MultiLabelFilterBy;
  fracNoise?: number;
  signal?: AbortSignal;
  onProgress?: (progress: OutOfFoldProgress) => void;
}

/**
 * Returns the ranked label issues (one per likely wrong (line, label) decision) and conflicting duplicates, and
 * whether the out-of-fold model is strong enough to judge (`reliability`, as for single-label data: a `weak` report
 * still ranks its issues, but the editor does not raise them by default and says why). Decisions about a label
 * carried by fewer lines than folds are never flagged (some fold's model never saw it); the report names those labels.
 * @param examples multi-label examples (each has `labels`, maybe empty); all are judged, each by models that never saw it.
 * @param labels the label map, index = label id.
 * @param options model factory and name, `{ folds = 5, repeats = 1, seed = 42, filterBy = 'pruneByNoiseRate', fracNoise = 1 }` (see `findMultiLabelIssues`).
 * @throws EngineError as `computeOutOfFoldProbs` and `findMultiLabelIssues` do (bad options, cancelled).
 */
export async function detectMultiLabelIssues(examples: readonly Example[], labels: readonly string[], options: DetectMultiLabelIssuesOptions): Promise<LabelIssueReport> {
  const started = performance.now();
  const { folds = 5, repeats = 1, seed = 42, filterBy = 'pruneByNoiseRate', fracNoise = 1 } = options;
  if (!multiLabelFilterRules.includes(filterBy as MultiLabelFilterBy)) {
    throw new EngineError(EngineErrorCodes.invalidOption, `filter-by ${filterBy} is a single-label rule; for multi-label data use one of ${multiLabelFilterRules.join(', ')}.`, { file: options.dataset });
  }
  const K = labels.length;
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const given = new Uint8Array(examples.length * K);
  examples.forEach((e, i) => { for (const l of e.labels ?? []) given[i * K + labelIndex.get(l)!] = 1; });
  const oof = await computeOutOfFoldProbs({ train: keyedByRarestLabel(examples, labels), labels }, {
    folds, repeats, seed, signal: options.signal, onProgress: options.onProgress, createClassifier: options.createClassifier,
  });
  const probs = oof.predProbs.values;
  const reliability = assessMultiLabelReliability(given, probs, labels, { folds, model: options.modelName });
  const tooSmall = new Set(reliability.smallClasses.map((c) => c.label));
  const candidates = findMultiLabelIssues(given, { values: probs, numExamples: examples.length, numClasses: K }, { filterBy: filterBy as MultiLabelFilterBy, fracNoise })
    .filter((c) => !tooSmall.has(labels[c.label]));
  const issues = candidates.map((c, r): LabelIssue => {
    const example = examples[c.index];
    const givenLabels = [...(example.labels ?? [])];
    const label = labels[c.label];
    const after = c.action === 'add' ? [...givenLabels, label] : givenLabels.filter((l) => l !== label);
    return {
      rank: r + 1,
      file: example.file,
      line: example.line,
      text: example.text,
      givenLabel: givenLabels.join(', '),
      suggestedLabel: after.join(', '),
      selfConfidence: c.selfConfidence,
      suggestedProbability: 1 - c.selfConfidence,
      labelChange: { action: c.action, label, givenLabels, labelProbability: c.labelProbability },
    };
  });
  // The same set in another order is the same labelling: group by the sorted set, show each line's own order.
  const duplicates = conflictingDuplicates(examples, examples.map((e) => ({ text: e.text, label: [...(e.labels ?? [])].sort().join(', ') })));
  return {
    version: 1,
    dataset: options.dataset,
    model: options.modelName,
    folds,
    ...(repeats > 1 ? { repeats } : {}),
    filterBy,
    rankBy: 'selfConfidence',
    fracNoise,
    examples: examples.length,
    outOfFoldAccuracy: reliability.accuracy,
    reliability,
    labels: [...labels],
    multiLabel: true,
    issues,
    duplicates,
    createdAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The examples with `label` set to each line's rarest label (an unlabelled line: the commonest label).
 * computeOutOfFoldProbs stratifies its folds by `label` while the models train on `labels`, so rare labels are
 * spread over the folds.
 */
export function keyedByRarestLabel(examples: readonly Example[], labels: readonly string[]): Example[] {
  const counts = new Map(labels.map((l) => [l, 0]));
  for (const e of examples) for (const l of e.labels ?? []) counts.set(l, (counts.get(l) ?? 0) + 1);
  const commonest = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return examples.map((e) => ({
    ...e,
    label: (e.labels ?? []).reduce<string | undefined>((rarest, l) => (rarest === undefined || counts.get(l)! < counts.get(rarest)! ? l : rarest), undefined) ?? commonest,
  }));
}
