// Turns probabilities into what a person reads: the label (or UNCERTAIN), its confidence and the top-k labels.
import type { TextPrediction } from '../../protocol/model';
import { labelWithThreshold } from '../metrics/uncertainLabel';
import type { Predictor } from './predictor';

/**
 * Predictions for `texts`.
 * @param options.topK labels listed per text, most likely first (default 3, at most K).
 * @param options.threshold below this top probability the label is `UNCERTAIN` (default 0 = never).
 */
export async function predictTexts(predictor: Predictor, texts: readonly string[], options: { topK?: number; threshold?: number } = {}): Promise<TextPrediction[]> {
  const k = predictor.labels.length;
  const topK = Math.max(1, Math.min(k, options.topK ?? 3));
  const probs = await predictor.predictProbs(texts);
  return texts.map((_, i) => {
    const row = Array.from(probs.subarray(i * k, (i + 1) * k));
    const order = row.map((p, c) => ({ label: predictor.labels[c]!, probability: p })).sort((a, b) => b.probability - a.probability);
    return { label: labelWithThreshold(row, predictor.labels, options.threshold ?? 0), confidence: order[0]!.probability, top: order.slice(0, topK), probabilities: row };
  });
}
