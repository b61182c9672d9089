// The whole label-issue job on loaded examples: out-of-fold probabilities, confident learning, duplicates,
// assembled into the `LabelIssueReport` the CLI prints, the RPC returns and the extension shows.
import type { Example } from '../data/example';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import { computeOutOfFoldProbs, type FoldClassifierFactory, type OutOfFoldProgress } from './outOfFoldProbs';
import { findLabelIssues, type FilterBy } from './findIssues';
import { conflictingDuplicates } from './duplicates';
import type { RankBy } from './scores';
import { assessReliability } from './reliability';

export interface DetectLabelIssuesOptions {
  /** Builds each fold's model; `createFoldClassifierFactory('ngram')` is the fast default. */
  createClassifier: FoldClassifierFactory;
  /** Name of the model for the report (`ngram`, a folder or hub id). */
  modelName: string;
  /** The judged file, for the report. */
  dataset: string;
  folds?: number;
  /** Repetitions of the k-fold split, averaged (see `OutOfFoldOptions.repeats`). Default 1. */
  repeats?: number;
  seed?: number;
  filterBy?: FilterBy;
  rankBy?: RankBy;
  /** Share of the estimated label errors to flag (see `FindLabelIssuesOptions.fracNoise`). Default 0.5. */
  fracNoise?: number;
  signal?: AbortSignal;
  onProgress?: (progress: OutOfFoldProgress) => void;
}

/**
 * Returns the ranked label issues and conflicting duplicates of `examples`.
 * @param examples the lines to judge (all of them are judged, each by a model that never saw it).
 * @param labels the label map, index = label id; every example's label must be in it.
 * Lines of a class with fewer examples than folds are never flagged (some fold's model never saw the class);
 * the report names those classes, and says whether the out-of-fold model beats the majority-class baseline
 * by enough to be trusted (`reliability`; the issues are ranked either way).
 * @param options model factory and name, `{ folds = 5, repeats = 1, seed = 42, filterBy = 'belowChance', rankBy = 'selfConfidence', fracNoise = 0.5 }`.
 * @throws EngineError as `computeOutOfFoldProbs` and `findLabelIssues` do (bad options, cancelled).
 */
export async function detectLabelIssues(examples: readonly Example[], labels: readonly string[], options: DetectLabelIssuesOptions): Promise<LabelIssueReport> {
  const started = performance.now();
  const { folds = 5, repeats = 1, seed = 42, filterBy = 'belowChance', rankBy = 'selfConfidence', fracNoise = 0.5 } = options;
  const oof = await computeOutOfFoldProbs({ train: examples, labels }, {
    folds, repeats, seed, signal: options.signal, onProgress: options.onProgress, createClassifier: options.createClassifier,
  });
  const reliability = assessReliability(oof.labelIds, oof.predProbs, labels, { folds, model: options.modelName });
  const tooSmall = new Set(reliability.smallClasses.map((c) => c.label));
  const candidates = findLabelIssues(oof.labelIds, oof.predProbs, { filterBy, rankBy, fracNoise }).filter((c) => !tooSmall.has(labels[c.givenId]));
  const issues = candidates.map((c, r) => {
    const example = examples[c.index];
    return {
      rank: r + 1,
      file: example.file,
      line: example.line,
      text: example.text,
      givenLabel: labels[c.givenId],
      suggestedLabel: labels[c.suggestedId],
      selfConfidence: c.selfConfidence,
      suggestedProbability: c.suggestedProb,
    };
  });
  const duplicates = conflictingDuplicates(examples);
  return {
    version: 1,
    dataset: options.dataset,
    model: options.modelName,
    folds,
    ...(repeats > 1 ? { repeats } : {}),
    filterBy,
    rankBy,
    fracNoise,
    examples: examples.length,
    outOfFoldAccuracy: reliability.accuracy,
    reliability,
    labels: [...labels],
    issues,
    duplicates,
    createdAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
  };
}
