/**
 * Calibrated confidence (issue 19): the temperature fitted on a run's validation split, what it did to the
 * expected calibration error, the reliability diagram and the coverage–accuracy curve the dashboard draws, and the
 * abstain (`UNCERTAIN`) threshold the user picked from that curve. Written in run.json (`calibration`,
 * `uncertaintyThreshold`) and metrics.json (`calibration`).
 */

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks", §4.2): p' = softmax(log p / T).
 * One temperature for every class, or one per class (`perClass`, vector scaling without bias).
 */
export interface TemperatureScaling {
  method: 'temperature';
  /** T > 0; T > 1 softens over-confident probabilities. With `perClass`, their geometric mean. */
  temperature: number;
  /** One T per class (index = label id), when fitted per class. */
  perClass?: number[];
  /** The split it was fitted on. */
  fittedOn: 'validation';
  /** Mean cross-entropy of the fitted split before and after (nats). */
  nllBefore: number;
  nllAfter: number;
  /**
   * Set when the NLL-optimal temperature was not kept because it made the validation ECE worse (T = 1 is used):
   * e.g. a random-weight model whose near-uniform probabilities NLL would sharpen past their accuracy.
   */
  declined?: { temperature: number; eceBefore: number; eceAfter: number };
}

/** One equal-width confidence bin: predictions whose top probability is in (lower, upper]. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Predictions in the bin. */
  count: number;
  /** Mean top probability and share correct in the bin (0 when empty). */
  confidence: number;
  accuracy: number;
}

/** A point of the coverage–accuracy curve: answer only when the top probability is ≥ threshold. */
export interface CoveragePoint {
  threshold: number;
  /** Share of examples answered, and the accuracy on those. */
  coverage: number;
  accuracy: number;
}

/** What calibration did on one split. */
export interface CalibrationSplitSummary {
  split: 'validation' | 'test';
  examples: number;
  eceBefore: number;
  eceAfter: number;
  nllBefore: number;
  nllAfter: number;
  /** Reliability diagrams before and after (15 bins, as the ECE). */
  binsBefore: ReliabilityBin[];
  binsAfter: ReliabilityBin[];
}

/**
 * Selective prediction per predicted class: of the validation predictions of one class (calibrated), how many are
 * answered and how many of those are right when that class answers only at top probability ≥ threshold.
 */
export interface ClassCoverageCurve {
  /** Validation predictions of this class (its arg-max), before abstaining. */
  predicted: number;
  /** From the highest threshold (fewest answers) to the lowest (all `predicted` answered). */
  points: { threshold: number; answered: number; correct: number }[];
}

/** metrics.json `calibration`: the fitted scaling, its effect per split, and the validation coverage curve. */
export interface CalibrationReport {
  scaling: TemperatureScaling;
  validation: CalibrationSplitSummary;
  test: CalibrationSplitSummary | null;
  /** On validation, with calibrated probabilities, thresholds from high to low. */
  coverage: CoveragePoint[];
  /** The same per predicted class (index = label id), for per-class thresholds; absent in older runs. */
  coverageByClass?: ClassCoverageCurve[];
}

/** How the user picks the abstain threshold from the curve. */
export type ThresholdTarget = { targetAccuracy: number } | { targetCoverage: number };

/**
 * The abstain threshold for a target: `targetAccuracy` → the lowest threshold (most answers) whose answered
 * accuracy is ≥ the target; `targetCoverage` → the highest threshold that still answers ≥ that share.
 * @returns the threshold and the point it gives, or undefined when no point meets the target.
 */
export function chooseThreshold(curve: readonly CoveragePoint[], target: ThresholdTarget): CoveragePoint | undefined {
  if ('targetAccuracy' in target) {
    let best: CoveragePoint | undefined;
    for (const point of curve) if (point.accuracy >= target.targetAccuracy && (!best || point.coverage > best.coverage)) best = point;
    return best;
  }
  return curve.find((point) => point.coverage >= target.targetCoverage);
}

/** Per-class abstain thresholds (index = label id) and the validation coverage and accuracy they give together. */
export interface ClassThresholdChoice {
  thresholds: number[];
  coverage: number;
  accuracy: number;
}

/**
 * One abstain threshold per predicted class for a target: `targetAccuracy` → per class the lowest threshold whose
 * answered predictions of that class are right at least that often (so the answered whole is too); a class that
 * never gets there answers only at probability 1; `targetCoverage` → per class the highest threshold that still
 * answers that share of its predictions. A class never predicted on validation gets `fallback` (the global choice).
 * @returns undefined when no prediction at all would be answered.
 */
export function chooseClassThresholds(curves: readonly ClassCoverageCurve[], target: ThresholdTarget, fallback: number): ClassThresholdChoice | undefined {
  let answered = 0;
  let correct = 0;
  let predicted = 0;
  const thresholds = curves.map((curve) => {
    predicted += curve.predicted;
    if (curve.predicted === 0 || curve.points.length === 0) return fallback;
    let pick: ClassCoverageCurve['points'][number] | undefined;
    if ('targetAccuracy' in target) {
      for (const point of curve.points) if (point.answered > 0 && point.correct / point.answered >= target.targetAccuracy && (!pick || point.answered > pick.answered)) pick = point;
    } else {
      pick = curve.points.find((point) => point.answered / curve.predicted >= target.targetCoverage);
    }
    if (!pick) return 1;
    answered += pick.answered;
    correct += pick.correct;
    return pick.threshold;
  });
  if (answered === 0) return undefined;
  return { thresholds, coverage: answered / predicted, accuracy: correct / answered };
}
