// Turns probabilities into what a person reads: the label (or UNCERTAIN), its confidence and the top-k labels.
import type { TextPrediction } from '../../protocol/model';
import { labelWithThreshold } from '../metrics/uncertainLabel';
import type { Predictor } from './predictor';

/** The label of a multi-label prediction in which no label reaches its threshold ("none of these"). */
export const NONE = 'NONE';

/**
 * Predictions for `texts`. A multi-label predictor (one with `thresholds`) predicts every label at or above
 * its threshold; `threshold` (UNCERTAIN) then does not apply.
 * @param options.topK labels listed per text, most likely first (default 3, at most K).
 * @param options.threshold below this top probability the label is `UNCERTAIN` (default 0 = never); or one per class
 *   (index = label id of the most likely label), as a run's per-class abstain thresholds.
 */
export async function predictTexts(predictor: Predictor, texts: readonly string[], options: { topK?: number; threshold?: number | readonly number[] } = {}): Promise<TextPrediction[]> {
  const k = predictor.labels.length;
  const topK = Math.max(1, Math.min(k, options.topK ?? 3));
  const probs = await predictor.predictProbs(texts);
  return texts.map((_, i) => toTextPrediction(probs.subarray(i * k, (i + 1) * k), predictor.labels, { topK, threshold: options.threshold, thresholds: predictor.thresholds }));
}

/**
 * One text's prediction from its probabilities `row` (`[K]`): with `thresholds` (multi-label) every label at or
 * above its threshold; else the arg-max label, or UNCERTAIN below `threshold`. `top` holds the `topK` most likely.
 */
export function toTextPrediction(row: ArrayLike<number>, labels: readonly string[], options: { topK: number; threshold?: number | readonly number[]; thresholds?: readonly number[] }): TextPrediction {
  const probabilities = Array.from(row);
  const order = probabilities.map((p, c) => ({ label: labels[c]!, probability: p, c })).sort((a, b) => b.probability - a.probability);
  const top = order.slice(0, options.topK).map(({ label, probability }) => ({ label, probability }));
  const confidence = order[0]?.probability ?? 0;
  const thresholds = options.thresholds;
  if (thresholds) {
    const predicted = order.filter((o) => o.probability >= thresholds[o.c]!).map((o) => o.label);
    return { label: predicted.length ? predicted.join(', ') : NONE, labels: predicted, thresholds: [...thresholds], confidence, top, probabilities };
  }
  return { label: labelWithThreshold(probabilities, labels, options.threshold ?? 0), confidence, top, probabilities };
}
