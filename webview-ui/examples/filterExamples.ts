// Pure filtering and sorting of the example rows, kept apart from the DOM so it is fast to test and to measure.
import type { ExampleFilter, ExampleRow, ExampleSortKey } from '../shared/messages';

export interface ExampleSort {
  key: ExampleSortKey;
  descending: boolean;
}

export const defaultFilter: ExampleFilter = { gold: null, predicted: null, correctness: 'incorrect', minConfidence: 0, maxConfidence: 1, search: '' };

/** Fills missing fields of a partial filter (from the host or saved state) with the defaults, clamping ranges. */
export function completeFilter(partial: Partial<ExampleFilter> | null | undefined, base: ExampleFilter = defaultFilter): ExampleFilter {
  const f = { ...base, ...(partial ?? {}) };
  const clamp = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : d);
  return {
    gold: typeof f.gold === 'number' ? f.gold : null,
    predicted: typeof f.predicted === 'number' ? f.predicted : null,
    correctness: f.correctness === 'correct' || f.correctness === 'all' ? f.correctness : 'incorrect',
    minConfidence: clamp(f.minConfidence, 0),
    maxConfidence: clamp(f.maxConfidence, 1),
    search: typeof f.search === 'string' ? f.search : '',
  };
}

/**
 * Positions (into `rows`) of the rows that pass the filter, in display order.
 * Text search is case-insensitive and matches any substring.
 */
export function filterExamples(rows: readonly ExampleRow[], filter: ExampleFilter, sort: ExampleSort): number[] {
  const needle = filter.search.trim().toLocaleLowerCase();
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (filter.gold !== null && r.gold !== filter.gold) continue;
    if (filter.predicted !== null && r.predicted !== filter.predicted) continue;
    if (filter.correctness === 'correct' && r.gold !== r.predicted) continue;
    if (filter.correctness === 'incorrect' && r.gold === r.predicted) continue;
    if (r.confidence < filter.minConfidence || r.confidence > filter.maxConfidence) continue;
    if (needle && !r.text.toLocaleLowerCase().includes(needle)) continue;
    out.push(i);
  }
  const key = sort.key;
  if (key !== 'index' || sort.descending) {
    const sign = sort.descending ? -1 : 1;
    out.sort((a, b) => sign * ((rows[a][key] as number) - (rows[b][key] as number)) || a - b);
  }
  return out;
}
