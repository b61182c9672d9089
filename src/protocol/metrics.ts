/** Metrics of one evaluation of a classifier on one split. K = number of labels. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationMetrics {
  split: 'train' | 'validation' | 'test';
  examples: number;
  loss: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  weightedPrecision: number;
  weightedRecall: number;
  weightedF1: number;
  /** Expected calibration error, 15 equal-width confidence bins. */
  ece: number;
  perClass: ClassMetrics[];
  /** confusion[gold][predicted], K×K counts, label order = the run's label map. */
  confusion: number[][];
}
