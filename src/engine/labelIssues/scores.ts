// Label-quality scores, one number per example: lower = more likely mislabelled (cleanlab's rank.py).
import type { ProbMatrix } from './validate';

/** How issues are ordered: the probability of the given label, or its margin over the best other class. */
export type RankBy = 'selfConfidence' | 'normalizedMargin';

/** p[i][given_i]: the model's probability that the given label is right. */
export function selfConfidence(labelIds: ArrayLike<number>, predProbs: ProbMatrix, i: number): number {
  return predProbs.values[i * predProbs.numClasses + labelIds[i]];
}

/** p[i][given_i] − max_{k≠given} p[i][k], mapped from [−1, 1] to [0, 1]. */
export function normalizedMargin(labelIds: ArrayLike<number>, predProbs: ProbMatrix, i: number): number {
  const K = predProbs.numClasses;
  const g = labelIds[i];
  let other = 0;
  for (let k = 0; k < K; k++) if (k !== g) other = Math.max(other, predProbs.values[i * K + k]);
  return (predProbs.values[i * K + g] - other + 1) / 2;
}

const scorers: Record<RankBy, (labelIds: ArrayLike<number>, predProbs: ProbMatrix, i: number) => number> = {
  selfConfidence,
  normalizedMargin,
};

/**
 * A label-quality score for every example (lower = more suspicious), length N.
 * @param rankBy `selfConfidence` (default) or `normalizedMargin`.
 */
export function computeLabelQualityScores(labelIds: ArrayLike<number>, predProbs: ProbMatrix, rankBy: RankBy = 'selfConfidence'): Float64Array {
  const score = scorers[rankBy];
  const out = new Float64Array(predProbs.numExamples);
  for (let i = 0; i < predProbs.numExamples; i++) out[i] = score(labelIds, predProbs, i);
  return out;
}
