// Metrics of a multi-label evaluation: per-label P/R/F1 and 2×2 confusion, micro/macro/weighted/samples
// averages, subset accuracy, Hamming loss, label-ranking average precision, from gold label sets, sigmoid
// probabilities and per-label thresholds. Definitions follow scikit-learn (sklearn.metrics, zero_division=0).
import type { ClassificationMetrics, ClassMetrics, MultiLabelMetrics } from '../../protocol/metrics';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import { meanLoss } from '../models/nn/classificationObjective';
import { ECE_BINS } from './classificationMetrics';

/** The threshold of every label until tuned (a sigmoid's even odds). */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * Scores multi-label predictions: label c is predicted for example i when `probs[i,c] ≥ thresholds[c]`.
 *
 * - per label: precision tp/(tp+fp), recall tp/(tp+fn), F1 (0 when undefined, as `zero_division=0`);
 * - macro: mean over all K labels (scikit-learn averages every column of an indicator matrix); weighted: by
 *   support; micro: from the pooled counts; samples: per example (|P∩G|/|P|, |P∩G|/|G|, 2|P∩G|/(|P|+|G|),
 *   each 0 when its denominator is 0), averaged over examples;
 * - subset accuracy (`accuracy`): predicted set = gold set; Hamming loss: wrong decisions / (N·K);
 * - label-ranking average precision (`label_ranking_average_precision_score`): per example with some but not
 *   all labels, the mean over its gold labels j of |{gold k: p_k ≥ p_j}| / |{k: p_k ≥ p_j}|; other examples score 1;
 * - ECE over all N·K decisions, confidence = p for a yes, 1 − p for a no, 15 equal-width bins;
 * - loss: mean over examples of the summed per-label binary cross-entropy.
 *
 * @param gold multi-hot gold labels, row-major `[N × K]` (1 = the example has the label).
 * @param probs sigmoid probabilities, row-major `[N × K]`.
 * @param thresholds `[K]` decision thresholds in [0, 1].
 * @throws EngineError (invalidOption) when the shapes disagree.
 */
export function computeMultiLabelMetrics(
  gold: Uint8Array,
  probs: Float32Array,
  thresholds: ArrayLike<number>,
  labels: readonly string[],
  split: ClassificationMetrics['split'],
): ClassificationMetrics {
  const k = labels.length;
  const n = k > 0 ? gold.length / k : 0;
  if (!Number.isInteger(n) || probs.length !== gold.length || thresholds.length !== k) {
    throw new EngineError(EngineErrorCodes.invalidOption, `computeMultiLabelMetrics: gold has ${gold.length} values, probs ${probs.length}, thresholds ${thresholds.length}, for ${k} labels`);
  }
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  const binCount = new Array<number>(ECE_BINS).fill(0);
  const binConfidence = new Array<number>(ECE_BINS).fill(0);
  const binCorrect = new Array<number>(ECE_BINS).fill(0);
  let exact = 0;
  let wrong = 0;
  let samplesP = 0;
  let samplesR = 0;
  let samplesF = 0;
  let lrap = 0;
  for (let i = 0; i < n; i++) {
    let predictedCount = 0;
    let goldCount = 0;
    let both = 0;
    for (let c = 0; c < k; c++) {
      const g = gold[i * k + c] === 1;
      const p = probs[i * k + c]!;
      const yes = p >= thresholds[c]!;
      if (yes) predictedCount++;
      if (g) goldCount++;
      if (yes && g) { both++; tp[c]!++; } else if (yes) fp[c]!++; else if (g) fn[c]!++;
      if (yes !== g) wrong++;
      const confidence = yes ? p : 1 - p;
      const bin = Math.min(ECE_BINS - 1, Math.max(0, Math.ceil(confidence * ECE_BINS) - 1));
      binCount[bin]!++;
      binConfidence[bin]! += confidence;
      if (yes === g) binCorrect[bin]!++;
    }
    if (predictedCount === goldCount && both === goldCount) exact++;
    if (predictedCount > 0) samplesP += both / predictedCount;
    if (goldCount > 0) samplesR += both / goldCount;
    if (predictedCount + goldCount > 0) samplesF += (2 * both) / (predictedCount + goldCount);
    lrap += rankingPrecision(gold, probs, i * k, k, goldCount);
  }
  const decisions = n * k;
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) {
    if (binCount[b]! > 0) ece += (binCount[b]! / decisions) * Math.abs(binCorrect[b]! / binCount[b]! - binConfidence[b]! / binCount[b]!);
  }
  const rate = (num: number, den: number) => (den > 0 ? num / den : 0);
  const f1Of = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
  const perClass: ClassMetrics[] = labels.map((label, c) => {
    const precision = rate(tp[c]!, tp[c]! + fp[c]!);
    const recall = rate(tp[c]!, tp[c]! + fn[c]!);
    // No `predicted`: every label counts in the macro average, so none is shown as n/a.
    return { label, precision, recall, f1: f1Of(precision, recall), support: tp[c]! + fn[c]! };
  });
  const totalSupport = perClass.reduce((a, m) => a + m.support, 0);
  const mean = (f: (m: ClassMetrics) => number) => (k > 0 ? perClass.reduce((a, m) => a + f(m), 0) / k : 0);
  const weighted = (f: (m: ClassMetrics) => number) => (totalSupport > 0 ? perClass.reduce((a, m) => a + f(m) * m.support, 0) / totalSupport : 0);
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const microPrecision = rate(sum(tp), sum(tp) + sum(fp));
  const microRecall = rate(sum(tp), sum(tp) + sum(fn));
  const multiLabel: MultiLabelMetrics = {
    microPrecision,
    microRecall,
    microF1: f1Of(microPrecision, microRecall),
    samplesPrecision: rate(samplesP, n),
    samplesRecall: rate(samplesR, n),
    samplesF1: rate(samplesF, n),
    subsetAccuracy: rate(exact, n),
    hammingLoss: rate(wrong, decisions),
    labelRankingAveragePrecision: rate(lrap, n),
    thresholds: Array.from(thresholds),
    labelConfusion: labels.map((_, c) => [n - tp[c]! - fp[c]! - fn[c]!, fp[c]!, fn[c]!, tp[c]!]),
  };
  return {
    split,
    examples: n,
    loss: meanLoss(probs, Float32Array.from(gold), k, 'multi_label_classification'),
    accuracy: multiLabel.subsetAccuracy,
    macroPrecision: mean((m) => m.precision),
    macroRecall: mean((m) => m.recall),
    macroF1: mean((m) => m.f1),
    macroLabelCount: k,
    weightedPrecision: weighted((m) => m.precision),
    weightedRecall: weighted((m) => m.recall),
    weightedF1: weighted((m) => m.f1),
    ece,
    perClass,
    confusion: [],
    multiLabel,
  };
}

/** One example's label-ranking average precision (1 when it has no gold label or every label is gold). */
function rankingPrecision(gold: Uint8Array, probs: Float32Array, offset: number, k: number, goldCount: number): number {
  if (goldCount === 0 || goldCount === k) return 1;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    if (gold[offset + j] !== 1) continue;
    const pj = probs[offset + j]!;
    let atLeast = 0;
    let goldAtLeast = 0;
    for (let c = 0; c < k; c++) {
      if (probs[offset + c]! >= pj) {
        atLeast++;
        if (gold[offset + c] === 1) goldAtLeast++;
      }
    }
    sum += goldAtLeast / atLeast;
  }
  return sum / goldCount;
}

/** Candidate thresholds of `tuneThresholds`: 0.05, 0.10, …, 0.95 (a coarse grid overfits small validation sets less than every distinct probability would). */
export const THRESHOLD_GRID = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);

/**
 * Per-label thresholds that maximise each label's F1 on `gold`/`probs` (a validation split), over
 * `THRESHOLD_GRID`; ties go to the candidate nearest 0.5, and a label with no gold example keeps 0.5.
 * @param gold multi-hot `[N × K]`; @param probs `[N × K]`.
 * @returns `[K]` thresholds.
 */
export function tuneThresholds(gold: Uint8Array, probs: Float32Array, k: number): number[] {
  const n = k > 0 ? gold.length / k : 0;
  const out: number[] = [];
  for (let c = 0; c < k; c++) {
    let positives = 0;
    for (let i = 0; i < n; i++) positives += gold[i * k + c]!;
    if (positives === 0) {
      out.push(DEFAULT_THRESHOLD);
      continue;
    }
    let best = DEFAULT_THRESHOLD;
    let bestF1 = -1;
    for (const t of THRESHOLD_GRID) {
      let tp = 0;
      let predicted = 0;
      for (let i = 0; i < n; i++) {
        if (probs[i * k + c]! >= t) {
          predicted++;
          tp += gold[i * k + c]!;
        }
      }
      const f1 = (2 * tp) / (predicted + positives);
      if (f1 > bestF1 + 1e-12 || (Math.abs(f1 - bestF1) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
        bestF1 = f1;
        best = t;
      }
    }
    out.push(best);
  }
  return out;
}

/** Multi-hot gold labels `[N × K]` of label-id sets. */
export function multiHot(labelSets: readonly (readonly number[])[], k: number): Uint8Array {
  const out = new Uint8Array(labelSets.length * k);
  labelSets.forEach((ids, i) => {
    for (const id of ids) out[i * k + id] = 1;
  });
  return out;
}
