// The dashboard's tables: baseline vs final (vs test) summary metrics, the sortable per-class table and the
// hyperparameters. Re-rendered when an epoch or test report arrives (a few hundred cells at most).
import { createElement } from '../shared/createElement';
import { formatDeltaPoints, formatFixed, formatPercent } from '../shared/formatValue';
import { isClassRateDefined, type ClassMetrics } from '../../src/protocol/metrics';
import { summaryMetrics, type SummaryMetric } from '../shared/summaryMetrics';
import type { ClassificationMetrics } from '../shared/messages';
import { SortableTable } from '../shared/sortableTable';

/**
 * Before → after: baseline (untrained) and final (best checkpoint) on validation, and on test when the run recorded
 * them, each with its change. Test columns appear only when there is a test result.
 */
export function renderSummaryTable(baseline: ClassificationMetrics | null, final: ClassificationMetrics | null,
  baselineTest: ClassificationMetrics | null, test: ClassificationMetrics | null): HTMLTableElement {
  const withTest = test !== null;
  const read = (m: ClassificationMetrics | null, row: SummaryMetric) => (m ? row.value(m) ?? null : null);
  const value = (m: ClassificationMetrics | null, row: SummaryMetric) => {
    const v = read(m, row);
    return createElement('td', {}, v === null ? '–' : row.kind === 'rate' ? formatPercent(v) : formatFixed(v));
  };
  const change = (before: ClassificationMetrics | null, after: ClassificationMetrics | null, row: SummaryMetric) => {
    const b = read(before, row);
    const a = read(after, row);
    const delta = b !== null && a !== null ? a - b : null;
    const better = delta === null || delta === 0 ? '' : (row.kind === 'rate' ? delta > 0 : delta < 0) ? 'delta-up' : 'delta-down';
    return createElement('td', { className: better }, row.kind === 'rate' ? formatDeltaPoints(delta) : formatFixed(delta));
  };
  const rows = summaryMetrics([baseline, final, baselineTest, test]).map((row) => createElement('tr', { data: { metric: row.key } }, createElement('td', {}, row.label),
    value(baseline, row), value(final, row), change(baseline, final, row),
    ...(withTest ? [value(baselineTest, row), value(test, row), change(baselineTest, test, row)] : [])));
  const head = ['Metric', 'Validation: before', 'after', 'change', ...(withTest ? ['Test: before', 'after', 'change'] : [])];
  return createElement('table', { className: 'data', attrs: { id: 'summary-table' } },
    createElement('thead', {}, createElement('tr', {}, ...head.map((h) => createElement('th', { attrs: { scope: 'col' } }, h)))),
    createElement('tbody', {}, ...rows));
}

/** A per-class row; multi-label runs add the label's decision threshold. */
export type PerClassRow = ClassMetrics & { threshold?: number };

/** Per-class precision/recall/F1/support (and, multi-label, the threshold), sortable by any column. */
export function createPerClassTable(onSortChange: (key: string, descending: boolean) => void, sortKey = 'f1', descending = false, withThreshold = false): SortableTable<PerClassRow> {
  return new SortableTable<PerClassRow>([
    { key: 'label', label: withThreshold ? 'Label' : 'Class', value: (c) => c.label },
    ...(withThreshold ? [{ key: 'threshold', label: 'Threshold', value: (c: PerClassRow) => c.threshold ?? -1, format: (c: PerClassRow) => formatFixed(c.threshold, 2) }] : []),
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
