// Pure filtering and sorting of the example rows, kept apart from the DOM so it is fast to test and to measure.
import type { ExampleFilter, ExampleRow, ExampleSortKey } from '../shared/messages';

export interface ExampleSort {
  key: ExampleSortKey;
  descending: boolean;
}

export const defaultFilter: ExampleFilter = { gold: null, predicted: null, missed: null, extra: null, correctness: 'incorrect', minConfidence: 0, maxConfidence: 1, search: '' };

/** Fills missing fields of a partial filter (from the host or saved state) with the defaults, clamping ranges. */
export function completeFilter(partial: Partial<ExampleFilter> | null | undefined, base: ExampleFilter = defaultFilter): ExampleFilter {
  const f = { ...base, ...(partial ?? {}) };
  const clamp = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : d);
  return {
    gold: typeof f.gold === 'number' ? f.gold : null,
    predicted: typeof f.predicted === 'number' ? f.predicted : null,
    missed: typeof f.missed === 'number' ? f.missed : null,
    extra: typeof f.extra === 'number' ? f.extra : null,
    correctness: f.correctness === 'correct' || f.correctness === 'all' ? f.correctness : 'incorrect',
    minConfidence: clamp(f.minConfidence, 0),
    maxConfidence: clamp(f.maxConfidence, 1),
    search: typeof f.search === 'string' ? f.search : '',
  };
}

/** The given label ids of a row: one for a single-label run, any number for a multi-label one. */
export function goldIds(r: ExampleRow): readonly number[] {
  return r.goldLabels ?? [r.gold];
}

/** The predicted label ids of a row. */
export function predictedIds(r: ExampleRow): readonly number[] {
  return r.predictedLabels ?? [r.predicted];
}

/** Given labels the model did not predict (multi-label; for single-label the gold class when it is wrong). */
export function missedIds(r: ExampleRow): number[] {
  const predicted = predictedIds(r);
  return goldIds(r).filter((l) => !predicted.includes(l));
}

/** Predicted labels that were not given. */
export function extraIds(r: ExampleRow): number[] {
  const gold = goldIds(r);
  return predictedIds(r).filter((l) => !gold.includes(l));
}

/** Right when the predicted label set equals the given one (single-label: predicted = gold). */
export function isCorrect(r: ExampleRow): boolean {
  if (!r.goldLabels || !r.predictedLabels) return r.gold === r.predicted;
  return r.goldLabels.length === r.predictedLabels.length && r.goldLabels.every((l) => r.predictedLabels!.includes(l));
}

/**
 * Positions (into `rows`) of the rows that pass the filter, in display order. Gold and predicted match a label among
 * a multi-label row's sets; missed/extra match a label given but not predicted / predicted but not given.
 * Text search is case-insensitive and matches any substring.
 */
export function filterExamples(rows: readonly ExampleRow[], filter: ExampleFilter, sort: ExampleSort): number[] {
  const needle = filter.search.trim().toLocaleLowerCase();
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (filter.gold !== null && !goldIds(r).includes(filter.gold)) continue;
    if (filter.predicted !== null && !predictedIds(r).includes(filter.predicted)) continue;
    if (filter.missed !== null && !(goldIds(r).includes(filter.missed) && !predictedIds(r).includes(filter.missed))) continue;
    if (filter.extra !== null && !(predictedIds(r).includes(filter.extra) && !goldIds(r).includes(filter.extra))) continue;
    if (filter.correctness !== 'all' && isCorrect(r) !== (filter.correctness === 'correct')) continue;
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
