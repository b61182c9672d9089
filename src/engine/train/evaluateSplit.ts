// Evaluation of a classifier on one split: probabilities for every example, then the metrics.
import type { ClassificationMetrics } from '../../protocol/metrics';
import type { Example } from '../data/example';
import type { TrainableClassifier } from './trainableClassifier';
import { computeMetrics } from '../metrics/classificationMetrics';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** Texts per `predictProbs` call: bounds memory on big splits and lets the event loop breathe between chunks. */
const EVAL_CHUNK = 256;

export interface SplitEvaluation {
  metrics: ClassificationMetrics;
  /** Row-major `[examples × K]`. */
  probs: Float32Array;
  goldIds: Int32Array;
}

/**
 * Probabilities and metrics of `classifier` on `examples` (labels outside the map cannot occur: loadDataset maps them).
 * @throws EngineError (cancelled) when `signal` fires; it is checked between chunks, so a long evaluation stops too.
 */
export async function evaluateSplit(
  classifier: TrainableClassifier,
  examples: readonly Example[],
  split: ClassificationMetrics['split'],
  signal?: AbortSignal,
): Promise<SplitEvaluation> {
  const labels = classifier.labels;
  const k = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const goldIds = Int32Array.from(examples, (e) => index.get(e.label) ?? 0);
  const probs = new Float32Array(examples.length * k);
  for (let start = 0; start < examples.length; start += EVAL_CHUNK) {
    const chunk = examples.slice(start, start + EVAL_CHUNK).map((e) => e.text);
    probs.set(await classifier.predictProbs(chunk), start * k);
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, `cancelled while evaluating the ${split} split`);
  }
  return { metrics: computeMetrics(goldIds, probs, labels, split), probs, goldIds };
}
