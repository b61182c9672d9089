/** Metrics of one evaluation of a classifier on one split. K = number of labels. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** Examples predicted as this class (the confusion matrix's column sum); absent in metrics written before it existed. */
  predicted?: number;
}

/**
 * The multi-label part of an evaluation (scikit-learn definitions, `zero_division=0`). Decisions are
 * `probability ≥ thresholds[label]`.
 */
export interface MultiLabelMetrics {
  /** Over all (example, label) decisions pooled. */
  microPrecision: number;
  microRecall: number;
  microF1: number;
  /** Per example, then averaged over examples. */
  samplesPrecision: number;
  samplesRecall: number;
  samplesF1: number;
  /** Examples whose predicted label set equals the gold set exactly (also in `accuracy`). */
  subsetAccuracy: number;
  /** Fraction of wrong (example, label) decisions. */
  hammingLoss: number;
  /** scikit-learn's `label_ranking_average_precision_score` (threshold-free). */
  labelRankingAveragePrecision: number;
  /** The decision threshold of each label (index = label id) these metrics used. */
  thresholds: number[];
  /** Per label `[tn, fp, fn, tp]`: the 2×2 confusion of that label's yes/no decision. */
  labelConfusion: [number, number, number, number][];
}

export interface ClassificationMetrics {
  split: 'train' | 'validation' | 'test';
  examples: number;
  loss: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /**
   * How many classes the macro averages are over: those present in the truth or the predictions (scikit-learn's
   * default). Absent in metrics written before this convention, whose macro averages are over every class.
   */
  macroLabelCount?: number;
  weightedPrecision: number;
  weightedRecall: number;
  weightedF1: number;
  /** Expected calibration error, 15 equal-width confidence bins. */
  ece: number;
  perClass: ClassMetrics[];
  /** confusion[gold][predicted], K×K counts, label order = the run's label map. Empty for multi-label runs (see `multiLabel.labelConfusion`). */
  confusion: number[][];
  /**
   * Present for multi-label runs. Then `accuracy` is the subset accuracy, macro averages are over every label
   * (scikit-learn with an indicator matrix), `loss` is the mean over examples of the summed per-label binary
   * cross-entropy, and `ece` is over all (example, label) decisions.
   */
  multiLabel?: MultiLabelMetrics;
}

/** The multi-label macro-average convention in one sentence, shown with multi-label metrics. */
export const MULTI_LABEL_MACRO_NOTE = 'Multi-label: a label is predicted when its probability reaches its threshold; macro averages are over every label, as in scikit-learn with a label indicator matrix (a label with no examples and no predictions counts 0).';

/** The macro-average convention in one sentence, shown wherever macro averages are (CLI, report.md, dashboard). */
export const MACRO_AVERAGE_NOTE = 'Macro averages are over the classes present in the truth or the predictions, as in scikit-learn; a class with no examples shows n/a.';

/**
 * Whether a per-class rate is defined (not 0/0): recall needs support; precision and F1 are also undefined when
 * the class is neither in the truth nor predicted (such a class is left out of the macro averages). Metrics
 * from before `predicted` existed count every rate as defined.
 */
export function isClassRateDefined(c: ClassMetrics, rate: 'precision' | 'recall' | 'f1'): boolean {
  if (c.support > 0) return true;
  if (rate === 'recall') return c.predicted === undefined;
  return c.predicted === undefined || c.predicted > 0;
}
