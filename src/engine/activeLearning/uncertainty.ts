// How unsure a model is about each text, from its class probabilities: the uncertainty measures of
// uncertainty sampling (Settles 2009, "Active Learning Literature Survey", §3.1). Higher = more informative.
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/**
 * `margin` (default): 1 − (p₁ − p₂), one minus the gap between the two most likely classes (Scheffer et al. 2001,
 * Settles §3.1 "margin sampling"). `entropy`: −Σ p log p / log K, normalised to [0, 1] (Settles §3.1, after
 * Shannon). `leastConfidence`: 1 − p₁ (Settles §3.1). For multi-label models each label is its own binary
 * question against its threshold; see `uncertaintyScores`.
 */
export type UncertaintyMeasure = 'margin' | 'entropy' | 'leastConfidence';
export const uncertaintyMeasures: readonly UncertaintyMeasure[] = ['margin', 'entropy', 'leastConfidence'];

/**
 * One uncertainty score per text, each in [0, 1], higher = the model is less sure.
 * @param predProbs class probabilities, row-major `[N × K]` (single-label: rows sum to 1).
 * @param numClasses K ≥ 2 (≥ 1 with `thresholds`).
 * @param options.measure see `UncertaintyMeasure` (default `margin`).
 * @param options.thresholds multi-label models: the decision threshold of each label (length K). Each label is
 *   then a binary question: `margin` = 1 − min over labels of |p − t| / max(t, 1 − t) (the label closest to its
 *   threshold decides), `entropy` = the mean binary entropy of the labels, `leastConfidence` = the largest
 *   1 − |p − t| / max(t, 1 − t).
 * @returns `Float64Array` of length N.
 * @throws EngineError(invalidOption) when the shapes disagree.
 */
export function uncertaintyScores(predProbs: ArrayLike<number>, numClasses: number, options: { measure?: UncertaintyMeasure; thresholds?: readonly number[] } = {}): Float64Array {
  const k = numClasses;
  const measure = options.measure ?? 'margin';
  if (!Number.isInteger(k) || k < 1 || predProbs.length % k !== 0) {
    throw new EngineError(EngineErrorCodes.invalidOption, `uncertaintyScores: ${predProbs.length} probabilities do not form rows of ${k} classes.`);
  }
  if (options.thresholds && options.thresholds.length !== k) {
    throw new EngineError(EngineErrorCodes.invalidOption, `uncertaintyScores: ${options.thresholds.length} thresholds for ${k} labels.`);
  }
  if (!options.thresholds && k < 2) throw new EngineError(EngineErrorCodes.invalidOption, 'uncertaintyScores: a single-label model needs at least 2 classes.');
  const n = predProbs.length / k;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = options.thresholds ? multiLabelScore(predProbs, i * k, k, options.thresholds, measure) : singleLabelScore(predProbs, i * k, k, measure);
  }
  return scores;
}

function singleLabelScore(p: ArrayLike<number>, offset: number, k: number, measure: UncertaintyMeasure): number {
  if (measure === 'entropy') {
    let h = 0;
    for (let c = 0; c < k; c++) {
      const q = p[offset + c]!;
      if (q > 0) h -= q * Math.log(q);
    }
    return clamp01(h / Math.log(k));
  }
  let first = -Infinity;
  let second = -Infinity;
  for (let c = 0; c < k; c++) {
    const q = p[offset + c]!;
    if (q > first) {
      second = first;
      first = q;
    } else if (q > second) second = q;
  }
  return clamp01(measure === 'margin' ? 1 - (first - second) : 1 - first);
}

function multiLabelScore(p: ArrayLike<number>, offset: number, k: number, thresholds: readonly number[], measure: UncertaintyMeasure): number {
  if (measure === 'entropy') {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const q = Math.min(1, Math.max(0, p[offset + c]!));
      if (q > 0 && q < 1) sum -= (q * Math.log(q) + (1 - q) * Math.log(1 - q)) / Math.LN2;
    }
    return clamp01(sum / k);
  }
  // Distance of each label from its decision threshold, scaled so 0 = on the threshold and 1 = as far as it goes.
  let closest = Infinity;
  for (let c = 0; c < k; c++) {
    const t = thresholds[c]!;
    closest = Math.min(closest, Math.abs(p[offset + c]! - t) / Math.max(t, 1 - t));
  }
  return clamp01(1 - closest);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
