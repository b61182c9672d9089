import type { TemperatureScaling } from '../../protocol/calibration';
// What prediction needs of a trained model, whatever it is: its label map and class probabilities.

export interface Predictor {
  /** The label map, index = label id. */
  readonly labels: readonly string[];
  /** What was loaded: `ngram` or `bert`, and from where. */
  readonly kind: string;
  readonly source: string;
  /** Things the user should know about the predictions (e.g. labels named LABEL_0… for lack of id2label). */
  readonly warnings?: readonly string[];
  /** Class probabilities, row-major `[texts.length × K]` (multi-label: an independent sigmoid per label). */
  predictProbs(texts: readonly string[]): Promise<Float32Array>;
  /**
   * Present for multi-label models: the decision threshold of each label (index = label id), tuned on
   * validation when the run finished (0.5 each before). A label is predicted when its probability reaches it.
   */
  readonly thresholds?: readonly number[];
  /** A run's temperature scaling, already applied by `predictProbs` (absent: the model's own probabilities). */
  readonly calibration?: TemperatureScaling;
  /** A run's abstain threshold (`UNCERTAIN` below it), when the user picked one; callers may override it. */
  readonly uncertaintyThreshold?: number;
  /** A run's per-class abstain thresholds (index = label id of the predicted class); they win over the one above. */
  readonly uncertaintyThresholds?: readonly number[];
  dispose(): void;
}

/** The abstain threshold a predictor's run asks for: per class when picked so, else one, else undefined. */
export function runAbstainThreshold(predictor: Predictor): number | readonly number[] | undefined {
  return predictor.uncertaintyThresholds ?? predictor.uncertaintyThreshold;
}
