// Whether an out-of-fold model is strong enough for its disagreements with the labels to mean anything.
// A model that barely beats "always say the majority class" disagrees with most labels for its own reasons,
// so its flags are mostly its mistakes. We compare it with the majority-class baseline on accuracy and on log
// loss (the baseline predicts the class priors for every line), overall and per class. N examples, K classes.
import type { ClassReliability, LabelIssueReliability, SmallClass } from '../../protocol/labelIssueReport';
import type { ProbMatrix } from './validate';

/**
 * The bar a model must clear for its issues to be raised as diagnostics.
 * - `minAccuracyLift`: (acc − acc_base) / (1 − acc_base), the share of the baseline's errors the model fixes
 *   (a Cohen's-κ-like skill score).
 * - `minLogLossSkill`: 1 − LL / LL_base, where LL_base is the cross-entropy of the class priors (the
 *   "log-loss skill score", McFadden's pseudo-R² for a null model of priors).
 * Measured with bench/labelIssues.ts (see the issue-19 note): on 300 emotion lines the n-gram model scores
 * a lift of about 0.05 and flags mostly its own mistakes; on the full emotion and banking77 files (lift ≥ 0.7,
 * skill ≥ 0.5) precision is ≥ 0.75. The bar sits between, with room on both sides.
 */
export const reliabilityBar = { minAccuracyLift: 0.5, minLogLossSkill: 0.3 } as const;

/** Probabilities are clipped here before taking logs, so one confident miss cannot make the log loss infinite. */
const minProbability = 1e-7;

/**
 * Judges the out-of-fold model against the majority-class baseline.
 * @param labelIds given label per example, length N, in [0, K).
 * @param predProbs `[N × K]` out-of-fold probabilities.
 * @param labels label names, length K.
 * @param context `folds` (to name classes too small to judge) and `model` (to suggest a stronger one).
 * @returns the verdict, the figures behind it, per-class figures, the reasons and what would help.
 */
export function assessReliability(
  labelIds: ArrayLike<number>,
  predProbs: ProbMatrix,
  labels: readonly string[],
  context: { folds: number; model: string },
): LabelIssueReliability {
  const { values, numExamples: N, numClasses: K } = predProbs;
  const counts = new Float64Array(K);
  for (let i = 0; i < N; i++) counts[labelIds[i]] += 1;
  let majority = 0;
  for (let k = 1; k < K; k++) if (counts[k] > counts[majority]) majority = k;

  const correct = new Float64Array(K);
  const logLoss = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const g = labelIds[i];
    let best = 0;
    for (let k = 1; k < K; k++) if (values[i * K + k] > values[i * K + best]) best = k;
    if (best === g) correct[g] += 1;
    logLoss[g] -= Math.log(Math.max(minProbability, values[i * K + g]));
  }
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const accuracy = N ? sum(correct) / N : 0;
  const baselineAccuracy = N ? counts[majority] / N : 0;
  const meanLogLoss = N ? sum(logLoss) / N : 0;
  let baselineLogLoss = 0;
  for (let k = 0; k < K; k++) if (counts[k] > 0) baselineLogLoss -= (counts[k] / N) * Math.log(counts[k] / N);
  const accuracyLift = baselineAccuracy < 1 ? (accuracy - baselineAccuracy) / (1 - baselineAccuracy) : 0;
  const logLossSkill = baselineLogLoss > 0 ? 1 - meanLogLoss / baselineLogLoss : 0;

  const perClass = labels.map((label, k) => classReliability(label, { examples: counts[k], lines: N, hits: correct[k], logLossSum: logLoss[k], inBaseline: k === majority, folds: context.folds }));
  return judgeReliability({ accuracy, baselineAccuracy, majorityLabel: labels[majority], accuracyLift, logLoss: meanLogLoss, baselineLogLoss, logLossSkill }, perClass, { ...context, lines: N }, 'label');
}

/**
 * One class's (multi-label: one label's) figures: recall and mean log loss over its `examples` lines against the
 * baseline's (recall 1 when the baseline always answers it, log loss −ln(prior)).
 * @param counts `hits` of its lines predicted right and `logLossSum` of their log losses; `lines` in all.
 */
export function classReliability(label: string, counts: { examples: number; lines: number; hits: number; logLossSum: number; inBaseline: boolean; folds: number }): ClassReliability {
  const { examples: n, lines } = counts;
  const classLogLoss = n ? counts.logLossSum / n : 0;
  const classBaseline = n ? -Math.log(n / lines) : 0;
  return {
    label,
    examples: n,
    recall: n ? counts.hits / n : 0,
    baselineRecall: counts.inBaseline ? 1 : 0,
    logLoss: classLogLoss,
    baselineLogLoss: classBaseline,
    // A class whose lines the model predicts no better than the priors do is not judged reliably by it (its lines are
    // still listed when flagged; `judgeReliability` says so).
    judged: n >= counts.folds && classLogLoss < classBaseline,
  };
}

/** The overall figures of an out-of-fold model and of its baseline (see `LabelIssueReliability`). */
export type ReliabilityFigures = Pick<LabelIssueReliability, 'accuracy' | 'baselineAccuracy' | 'majorityLabel' | 'accuracyLift' | 'logLoss' | 'baselineLogLoss' | 'logLossSkill'>;

/**
 * The verdict on `figures` against `reliabilityBar`, with the reasons and suggestions in words; shared by the
 * single-label and multi-label assessments (multiLabel/multiLabelReliability.ts).
 * @param perClass per class (multi-label: per label) figures; classes with fewer examples than folds are named.
 * @param context `folds`, `model` (to suggest a stronger one) and the number of judged `lines`.
 * @param answer what the baseline always answers: the most common `label`, or (multi-label) the most common label `set`.
 */
export function judgeReliability(figures: ReliabilityFigures, perClass: ClassReliability[], context: { folds: number; model: string; lines: number }, answer: 'label' | 'set'): LabelIssueReliability {
  const { accuracy, baselineAccuracy, majorityLabel, accuracyLift, logLoss: meanLogLoss, baselineLogLoss, logLossSkill } = figures;
  const smallClasses: SmallClass[] = perClass.filter((c) => c.examples > 0 && c.examples < context.folds).map((c) => ({ label: c.label, examples: c.examples }));

  const reasons: string[] = [];
  if (accuracyLift < reliabilityBar.minAccuracyLift) {
    const what = answer === 'label' ? `the most common label "${majorityLabel}"` : `the most common label set [${majorityLabel}]`;
    const accuracyName = answer === 'label' ? 'accuracy' : 'exact-set accuracy';
    reasons.push(`the out-of-fold model's ${accuracyName} (${pct(accuracy)}) is close to always answering ${what} (${pct(baselineAccuracy)}): it fixes ${pct(Math.max(0, accuracyLift))} of that baseline's errors, below the ${pct(reliabilityBar.minAccuracyLift)} needed`);
  }
  if (logLossSkill < reliabilityBar.minLogLossSkill) {
    reasons.push(`its log loss (${meanLogLoss.toFixed(2)}) is ${logLossSkill <= 0 ? 'no better than' : 'barely better than'} that of the label frequencies (${baselineLogLoss.toFixed(2)})`);
  }
  const unjudged = perClass.filter((c) => c.examples >= context.folds && !c.judged);
  // Such lines are still judged and listed (leaving them out would also hide a class whose many wrong labels are what
  // made its log loss bad); the reason says how far to trust their flags.
  if (unjudged.length) reasons.push(`for ${names(unjudged.map((c) => c.label))} it predicts no better than the label frequencies, so its flags on lines given ${unjudged.length === 1 ? 'that label' : 'those labels'} are as likely its own mistakes as wrong labels`);
  if (smallClasses.length) reasons.push(`${names(smallClasses.map((c) => c.label))} ${smallClasses.length === 1 ? 'has' : 'have'} fewer examples than folds (${context.folds}), so ${smallClasses.length === 1 ? 'its lines are' : 'their lines are'} not judged`);

  const verdict = accuracyLift >= reliabilityBar.minAccuracyLift && logLossSkill >= reliabilityBar.minLogLossSkill ? 'reliable' : 'weak';
  const suggestions: string[] = [];
  if (verdict === 'weak') {
    // Lines per label: each line counts once per label it carries (once in all, single-label).
    const perClassMean = perClass.reduce((sum, c) => sum + c.examples, 0) / Math.max(1, perClass.filter((c) => c.examples > 0).length);
    if (perClassMean < 200) suggestions.push(`label more lines: ${context.lines} lines is about ${Math.round(perClassMean)} per label; a few hundred per label lets the model learn each one`);
    if (context.model === 'ngram') suggestions.push('use a pretrained encoder for the out-of-fold models (a BERT-family folder or Hugging Face id as the model): its embeddings know language the n-gram model must learn from these lines');
    else suggestions.push('try a larger or domain-matched pretrained encoder');
  }
  if (smallClasses.length) suggestions.push(`add examples to ${names(smallClasses.map((c) => c.label))} (at least ${context.folds} each), merge ${smallClasses.length === 1 ? 'it' : 'them'} into a related label, or use fewer folds`);

  return {
    verdict,
    accuracy,
    baselineAccuracy,
    majorityLabel,
    accuracyLift,
    logLoss: meanLogLoss,
    baselineLogLoss,
    logLossSkill,
    bar: { ...reliabilityBar },
    perClass,
    smallClasses,
    reasons,
    suggestions,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** "a", "a and b", "a, b and 3 more" — label names quoted. */
function names(labels: readonly string[]): string {
  const quoted = labels.map((l) => `"${l}"`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length <= 4) return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return `${quoted.slice(0, 3).join(', ')} and ${quoted.length - 3} more`;
}
