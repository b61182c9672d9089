// The evaluation metrics a summary table shows, one list for single-label and one for multi-label runs, shared by the
// dashboard's before/after table and the run comparison so both name and format a metric the same way.
import type { ClassificationMetrics, MultiLabelMetrics } from '../../src/protocol/metrics';

/** A summary metric: its row label, its key (also the row's data-metric) and whether higher is better (a rate). */
export interface SummaryMetric {
  label: string;
  key: string;
  kind: 'rate' | 'value';
  value(m: ClassificationMetrics): number | undefined;
}

const top = (key: keyof ClassificationMetrics) => (m: ClassificationMetrics) => m[key] as number;
const multi = (key: keyof MultiLabelMetrics) => (m: ClassificationMetrics) => m.multiLabel?.[key] as number | undefined;

const SINGLE_LABEL_ROWS: SummaryMetric[] = [
  { label: 'Accuracy', key: 'accuracy', kind: 'rate', value: top('accuracy') },
  { label: 'Macro precision', key: 'macroPrecision', kind: 'rate', value: top('macroPrecision') },
  { label: 'Macro recall', key: 'macroRecall', kind: 'rate', value: top('macroRecall') },
  { label: 'Macro F1', key: 'macroF1', kind: 'rate', value: top('macroF1') },
  { label: 'Weighted precision', key: 'weightedPrecision', kind: 'rate', value: top('weightedPrecision') },
  { label: 'Weighted recall', key: 'weightedRecall', kind: 'rate', value: top('weightedRecall') },
  { label: 'Weighted F1', key: 'weightedF1', kind: 'rate', value: top('weightedF1') },
  { label: 'Loss', key: 'loss', kind: 'value', value: top('loss') },
  { label: 'ECE', key: 'ece', kind: 'value', value: top('ece') },
];

/** Multi-label runs (scikit-learn's averages; `accuracy` is the subset accuracy, loss the summed per-label BCE). */
const MULTI_LABEL_ROWS: SummaryMetric[] = [
  { label: 'Micro F1', key: 'microF1', kind: 'rate', value: multi('microF1') },
  { label: 'Macro F1', key: 'macroF1', kind: 'rate', value: top('macroF1') },
  { label: 'Weighted F1', key: 'weightedF1', kind: 'rate', value: top('weightedF1') },
  { label: 'Samples F1', key: 'samplesF1', kind: 'rate', value: multi('samplesF1') },
  { label: 'Micro precision', key: 'microPrecision', kind: 'rate', value: multi('microPrecision') },
  { label: 'Micro recall', key: 'microRecall', kind: 'rate', value: multi('microRecall') },
  { label: 'Macro precision', key: 'macroPrecision', kind: 'rate', value: top('macroPrecision') },
  { label: 'Macro recall', key: 'macroRecall', kind: 'rate', value: top('macroRecall') },
  { label: 'Weighted precision', key: 'weightedPrecision', kind: 'rate', value: top('weightedPrecision') },
  { label: 'Weighted recall', key: 'weightedRecall', kind: 'rate', value: top('weightedRecall') },
  { label: 'Samples precision', key: 'samplesPrecision', kind: 'rate', value: multi('samplesPrecision') },
  { label: 'Samples recall', key: 'samplesRecall', kind: 'rate', value: multi('samplesRecall') },
  { label: 'Subset accuracy', key: 'subsetAccuracy', kind: 'rate', value: multi('subsetAccuracy') },
  { label: 'Label ranking average precision', key: 'labelRankingAveragePrecision', kind: 'rate', value: multi('labelRankingAveragePrecision') },
  { label: 'Hamming loss', key: 'hammingLoss', kind: 'value', value: multi('hammingLoss') },
  { label: 'Loss (summed binary cross-entropy)', key: 'loss', kind: 'value', value: top('loss') },
  { label: 'ECE (per label decision)', key: 'ece', kind: 'value', value: top('ece') },
];

/** The summary metrics to show for these evaluations: the multi-label set when any of them is multi-label. */
export function summaryMetrics(metrics: ReadonlyArray<ClassificationMetrics | null>): SummaryMetric[] {
  return metrics.some((m) => m?.multiLabel) ? MULTI_LABEL_ROWS : SINGLE_LABEL_ROWS;
}
