// Classification metrics of one evaluation: accuracy, macro/weighted P/R/F1, per-class scores, confusion
// matrix, expected calibration error and mean cross-entropy, from gold ids and predicted probabilities.
import type { ClassificationMetrics, ClassMetrics } from '../../protocol/metrics';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** Equal-width confidence bins for ECE, as in Guo et al. 2017 ("On Calibration of Modern Neural Networks"). */
export const ECE_BINS = 15;

/** Probabilities are clipped here before the log so one confident mistake gives a large, finite loss. */
const MIN_PROB = 1e-12;

/**
 * Scores predictions against gold labels. The prediction for a row is its arg-max class (ties: lowest id).
 *
 * Precision of a class that is never predicted, and recall of a class that never occurs, are 0 (as
 * scikit-learn's `zero_division=0`). Macro averages are over the classes present in the gold labels or the
 * predictions, as scikit-learn's `precision_recall_fscore_support(average='macro')` without `labels=`: a
 * class of the label map that the evaluated file lacks and the model never predicts does not pull them
 * down (`MACRO_AVERAGE_NOTE`). Weighted averages weight by support. Per-class rows and the confusion
 * matrix keep every class of the label map.
 *
 * @param goldIds gold label id per example, length N, values in [0, K).
 * @param probs class probabilities, row-major `[N × K]`.
 * @param labels the label map, length K.
 * @param split which split these examples are.
 * @returns the metrics, with `confusion[gold][predicted]`.
 * @throws EngineError (invalidOption) when shapes disagree or a gold id is out of range.
 */
export function computeMetrics(
  goldIds: ArrayLike<number>,
  probs: ArrayLike<number>,
  labels: readonly string[],
  split: ClassificationMetrics['split'],
): ClassificationMetrics {
  const n = goldIds.length;
  const k = labels.length;
  if (probs.length !== n * k) {
    throw new EngineError(EngineErrorCodes.invalidOption, `computeMetrics: probs has ${probs.length} values, expected ${n} × ${k}`);
  }
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const binCount = new Array<number>(ECE_BINS).fill(0);
  const binConfidence = new Array<number>(ECE_BINS).fill(0);
  const binCorrect = new Array<number>(ECE_BINS).fill(0);
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const gold = goldIds[i]!;
    if (!Number.isInteger(gold) || gold < 0 || gold >= k) {
      throw new EngineError(EngineErrorCodes.invalidOption, `computeMetrics: gold id ${gold} at row ${i} is not in [0, ${k})`);
    }
    const predicted = argMaxRow(probs, i * k, k);
    const confidence = probs[i * k + predicted]!;
    confusion[gold]![predicted]!++;
    if (predicted === gold) correct++;
    lossSum -= Math.log(Math.max(probs[i * k + gold]!, MIN_PROB));
    // Bin b holds confidences in (b/B, (b+1)/B]; confidence 0 goes to bin 0.
    const bin = Math.min(ECE_BINS - 1, Math.max(0, Math.ceil(confidence * ECE_BINS) - 1));
    binCount[bin]!++;
    binConfidence[bin]! += confidence;
    if (predicted === gold) binCorrect[bin]!++;
  }
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) {
    if (binCount[b]! > 0) ece += (binCount[b]! / n) * Math.abs(binCorrect[b]! / binCount[b]! - binConfidence[b]! / binCount[b]!);
  }
  const perClass: ClassMetrics[] = labels.map((label, c) => {
    const support = confusion[c]!.reduce((a, v) => a + v, 0);
    let predictedAs = 0;
    for (let g = 0; g < k; g++) predictedAs += confusion[g]![c]!;
    const tp = confusion[c]![c]!;
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support, predicted: predictedAs };
  });
  const present = perClass.filter((m) => m.support > 0 || m.predicted! > 0);
  const mean = (f: (m: ClassMetrics) => number) => (present.length > 0 ? present.reduce((a, m) => a + f(m), 0) / present.length : 0);
  const weighted = (f: (m: ClassMetrics) => number) => (n > 0 ? perClass.reduce((a, m) => a + f(m) * m.support, 0) / n : 0);
  return {
    split,
    examples: n,
    loss: n > 0 ? lossSum / n : 0,
    accuracy: n > 0 ? correct / n : 0,
    macroPrecision: mean((m) => m.precision),
    macroRecall: mean((m) => m.recall),
    macroF1: mean((m) => m.f1),
    macroLabelCount: present.length,
    weightedPrecision: weighted((m) => m.precision),
    weightedRecall: weighted((m) => m.recall),
    weightedF1: weighted((m) => m.f1),
    ece,
    perClass,
    confusion,
  };
}

/** Index of the largest of `probs[offset .. offset+k)`; the first one on ties. */
export function argMaxRow(probs: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (probs[offset + c]! > probs[offset + best]!) best = c;
  return best;
}
