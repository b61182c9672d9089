// The dashboard's tables: baseline vs final (vs test) summary metrics, the sortable per-class table and the
// hyperparameters. Re-rendered when an epoch or test report arrives (a few hundred cells at most).
import { createElement } from '../shared/createElement';
import { formatDeltaPoints, formatFixed, formatPercent } from '../shared/formatValue';
import { isClassRateDefined, type ClassMetrics } from '../../src/protocol/metrics';
import type { ClassificationMetrics } from '../shared/messages';
import { SortableTable } from '../shared/sortableTable';

const SUMMARY_ROWS: Array<[string, keyof ClassificationMetrics, 'rate' | 'value']> = [
  ['Accuracy', 'accuracy', 'rate'], ['Macro precision', 'macroPrecision', 'rate'], ['Macro recall', 'macroRecall', 'rate'],
  ['Macro F1', 'macroF1', 'rate'], ['Weighted precision', 'weightedPrecision', 'rate'], ['Weighted recall', 'weightedRecall', 'rate'],
  ['Weighted F1', 'weightedF1', 'rate'], ['Loss', 'loss', 'value'], ['ECE', 'ece', 'value'],
];

/**
 * Before → after: baseline (untrained) and final (best checkpoint) on validation, and on test when the run recorded
 * them, each with its change. Test columns appear only when there is a test result.
 */
export function renderSummaryTable(baseline: ClassificationMetrics | null, final: ClassificationMetrics | null,
  baselineTest: ClassificationMetrics | null, test: ClassificationMetrics | null): HTMLTableElement {
  const withTest = test !== null;
  const value = (m: ClassificationMetrics | null, key: keyof ClassificationMetrics, kind: 'rate' | 'value') =>
    createElement('td', {}, m ? (kind === 'rate' ? formatPercent(m[key] as number) : formatFixed(m[key] as number)) : '–');
  const change = (before: ClassificationMetrics | null, after: ClassificationMetrics | null, key: keyof ClassificationMetrics, kind: 'rate' | 'value') => {
    const delta = before && after ? (after[key] as number) - (before[key] as number) : null;
    const better = delta === null || delta === 0 ? '' : (kind === 'rate' ? delta > 0 : delta < 0) ? 'delta-up' : 'delta-down';
    return createElement('td', { className: better }, kind === 'rate' ? formatDeltaPoints(delta) : formatFixed(delta));
  };
  const rows = SUMMARY_ROWS.map(([label, key, kind]) => createElement('tr', { data: { metric: key } }, createElement('td', {}, label),
    value(baseline, key, kind), value(final, key, kind), change(baseline, final, key, kind),
    ...(withTest ? [value(baselineTest, key, kind), value(test, key, kind), change(baselineTest, test, key, kind)] : [])));
  const head = ['Metric', 'Validation: before', 'after', 'change', ...(withTest ? ['Test: before', 'after', 'change'] : [])];
  return createElement('table', { className: 'data', attrs: { id: 'summary-table' } },
    createElement('thead', {}, createElement('tr', {}, ...head.map((h) => createElement('th', { attrs: { scope: 'col' } }, h)))),
    createElement('tbody', {}, ...rows));
}

/** Per-class precision/recall/F1/support, sortable by any column. */
export function createPerClassTable(onSortChange: (key: string, descending: boolean) => void, sortKey = 'f1', descending = false): SortableTable<ClassMetrics> {
  return new SortableTable<ClassMetrics>([
    { key: 'label', label: 'Class', value: (c) => c.label },
    { key: 'precision', label: 'Precision', value: (c) => sortableRate(c, 'precision'), format: (c) => formatRate(c, 'precision') },
    { key: 'recall', label: 'Recall', value: (c) => sortableRate(c, 'recall'), format: (c) => formatRate(c, 'recall') },
    { key: 'f1', label: 'F1', value: (c) => sortableRate(c, 'f1'), format: (c) => formatRate(c, 'f1') },
    { key: 'support', label: 'Support', value: (c) => c.support },
  ], sortKey, descending, onSortChange);
}

/** A class's rate, −1 where it is 0/0 (no examples of the class), so sorting puts it apart from real zeros. */
function sortableRate(c: ClassMetrics, key: 'precision' | 'recall' | 'f1'): number {
  return isClassRateDefined(c, key) ? c[key] : -1;
}

function formatRate(c: ClassMetrics, key: 'precision' | 'recall' | 'f1'): string {
  return isClassRateDefined(c, key) ? formatPercent(c[key]) : 'n/a';
}

/** Key/value table of the run's hyperparameters. */
export function renderHyperparameters(entries: Array<[string, string]>): HTMLTableElement {
  return createElement('table', { className: 'data', attrs: { id: 'hyperparameters' } },
    createElement('tbody', {}, ...entries.map(([k, v]) => createElement('tr', {}, createElement('td', {}, k), createElement('td', {}, v)))));
}
