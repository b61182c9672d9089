// The whole label-issue job on loaded examples: out-of-fold probabilities, confident learning, duplicates,
// assembled into the `LabelIssueReport` the CLI prints, the RPC returns and the extension shows.
import type { Example } from '../data/example';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import { computeOutOfFoldProbs, type FoldClassifierFactory, type OutOfFoldProgress } from './outOfFoldProbs';
import { findLabelIssues, type FilterBy } from './findIssues';
import { findDuplicateGroups } from './duplicates';
import type { RankBy } from './scores';

export interface DetectLabelIssuesOptions {
  /** Builds each fold's model; `createFoldClassifierFactory('ngram')` is the fast default. */
  createClassifier: FoldClassifierFactory;
  /** Name of the model for the report (`ngram`, a folder or hub id). */
  modelName: string;
  /** The judged file, for the report. */
  dataset: string;
  folds?: number;
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
 * @param options model factory and name, `{ folds = 5, seed = 42, filterBy = 'pruneByClass', rankBy = 'selfConfidence', fracNoise = 0.5 }`.
 * @throws EngineError as `computeOutOfFoldProbs` and `findLabelIssues` do (bad options, cancelled).
 */
export async function detectLabelIssues(examples: readonly Example[], labels: readonly string[], options: DetectLabelIssuesOptions): Promise<LabelIssueReport> {
  const started = performance.now();
  const { folds = 5, seed = 42, filterBy = 'pruneByClass', rankBy = 'selfConfidence', fracNoise = 0.5 } = options;
  const oof = await computeOutOfFoldProbs({ train: examples, labels }, {
    folds, seed, signal: options.signal, onProgress: options.onProgress, createClassifier: options.createClassifier,
  });
  const candidates = findLabelIssues(oof.labelIds, oof.predProbs, { filterBy, rankBy, fracNoise });
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
  const duplicates = findDuplicateGroups(examples).map((g) => ({
    kind: g.kind,
    normalizedText: g.normalizedText,
    labels: g.labels,
    members: g.indices.map((i) => ({ file: examples[i].file, line: examples[i].line, label: examples[i].label, text: examples[i].text })),
  }));
  return {
    version: 1,
    dataset: options.dataset,
    model: options.modelName,
    folds,
    filterBy,
    rankBy,
    fracNoise,
    examples: examples.length,
    outOfFoldAccuracy: agreement(oof.labelIds, oof.predProbs.values, labels.length),
    labels: [...labels],
    issues,
    duplicates,
    createdAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Share of rows whose argmax is the given label. */
function agreement(labelIds: Int32Array, values: Float32Array, K: number): number {
  let agree = 0;
  for (let i = 0; i < labelIds.length; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (values[i * K + k] > values[i * K + best]) best = k;
    if (best === labelIds[i]) agree++;
  }
  return labelIds.length ? agree / labelIds.length : 0;
}
