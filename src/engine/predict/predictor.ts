// What prediction needs of a trained model, whatever it is: its label map and class probabilities.

export interface Predictor {
  /** The label map, index = label id. */
  readonly labels: readonly string[];
  /** What was loaded: `ngram` or `bert`, and from where. */
  readonly kind: string;
  readonly source: string;
  /** Class probabilities, row-major `[texts.length × K]`. */
  predictProbs(texts: readonly string[]): Promise<Float32Array>;
  dispose(): void;
}
