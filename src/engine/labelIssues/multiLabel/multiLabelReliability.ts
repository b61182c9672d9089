// Whether a multi-label out-of-fold model is strong enough to judge labels: the single-label rule (reliability.ts)
// with multi-label figures. The baseline always answers the most common label set (accuracy) and gives every line
// each label's frequency (log loss). N examples, K labels.
import type { LabelIssueReliability } from '../../../protocol/labelIssueReport';
import { classReliability, judgeReliability } from '../reliability';

/** Probabilities are clipped here before taking logs, so one confident miss cannot make the log loss infinite. */
const minProbability = 1e-7;

/** How `majorityLabel` names the empty set when lines without a label are the most common. */
export const noLabelSet = '(no label)';

/**
 * Judges a multi-label out-of-fold model against the baseline of label frequencies, by the same bar as single-label
 * data (`reliabilityBar`), so a weak model's issues are held back from the editor the same way.
 * - accuracy: exact-set agreement (a line's labels at p ≥ 0.5 are exactly its given set); baseline: the share of
 *   lines whose set is the most common set (often one label alone, or none).
 * - log loss: per line, the binary cross-entropy summed over the K labels; baseline: the same with every p the
 *   label's frequency (the summed binary entropies of the frequencies).
 * - per label: lines given it, its recall at p ≥ 0.5 (the baseline's: 1 when it is in the most common set), mean
 *   −ln p over those lines against −ln(frequency); judged when at least `folds` lines carry it and it beats that.
 * @param given multi-hot given labels `[N × K]`.
 * @param probs out-of-fold per-label probabilities `[N × K]`.
 * @param labels label names, length K.
 * @param context `folds` and `model`, as assessReliability.
 */
export function assessMultiLabelReliability(
  given: ArrayLike<number>,
  probs: ArrayLike<number>,
  labels: readonly string[],
  context: { folds: number; model: string },
): LabelIssueReliability {
  const K = labels.length;
  const N = K ? given.length / K : 0;
  const positives = new Float64Array(K);
  const sets = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const ids: number[] = [];
    for (let c = 0; c < K; c++) if (given[i * K + c]) { positives[c]++; ids.push(c); }
    const key = ids.join(',');
    sets.set(key, (sets.get(key) ?? 0) + 1);
  }
  let majoritySet = '';
  let majorityCount = -1;
  for (const [key, count] of sets) if (count > majorityCount) { majoritySet = key; majorityCount = count; }
  const inMajority = new Set(majoritySet === '' ? [] : majoritySet.split(',').map(Number));

  let exact = 0;
  let logLoss = 0;
  const hits = new Float64Array(K);
  const positiveLogLoss = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    let same = true;
    for (let c = 0; c < K; c++) {
      const p = probs[i * K + c];
      const yes = given[i * K + c] === 1;
      if ((p >= 0.5) !== yes) same = false;
      const nll = -Math.log(Math.max(minProbability, yes ? p : 1 - p));
      logLoss += nll;
      if (yes) {
        positiveLogLoss[c] += nll;
        if (p >= 0.5) hits[c]++;
      }
    }
    if (same) exact++;
  }
  let baselineLogLoss = 0;
  for (let c = 0; c < K; c++) {
    const f = N ? positives[c] / N : 0;
    if (f > 0 && f < 1) baselineLogLoss -= f * Math.log(f) + (1 - f) * Math.log(1 - f);
  }
  const accuracy = N ? exact / N : 0;
  const baselineAccuracy = N ? majorityCount / N : 0;
  const meanLogLoss = N ? logLoss / N : 0;
  const perClass = labels.map((label, c) => classReliability(label, { examples: positives[c], lines: N, hits: hits[c], logLossSum: positiveLogLoss[c], inBaseline: inMajority.has(c), folds: context.folds }));
  return judgeReliability({
    accuracy,
    baselineAccuracy,
    majorityLabel: inMajority.size ? [...inMajority].map((c) => labels[c]).join(', ') : noLabelSet,
    accuracyLift: baselineAccuracy < 1 ? (accuracy - baselineAccuracy) / (1 - baselineAccuracy) : 0,
    logLoss: meanLogLoss,
    baselineLogLoss,
    logLossSkill: baselineLogLoss > 0 ? 1 - meanLogLoss / baselineLogLoss : 0,
  }, perClass, { ...context, lines: N }, 'set');
}
