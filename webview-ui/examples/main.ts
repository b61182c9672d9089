// The misclassified-example browser: a virtualised table of validation/test predictions with filters (gold,
// predicted, for multi-label runs also missed and extra labels, correct/incorrect, confidence range, text), sorting by confidence or loss, keyboard navigation, and
// open-at-source on double-click or Enter (a click selects). Dataset text is only ever set with textContent.
import '../shared/page.css';
import './examples.css';
import { createElement } from '../shared/createElement';
import { formatFixed, formatPercent } from '../shared/formatValue';
import type { EvalSplit, ExampleFilter, ExamplesData, HostMessage } from '../shared/messages';
import { appRoot, startPage } from '../shared/pageShell';
import { createSelectControl, type SelectControl } from '../shared/selectControl';
import { loadPanelState, postToHost, savePanelState } from '../shared/vscodeApi';
import { completeFilter, extraIds, filterExamples, goldIds, isCorrect, missedIds, predictedIds, type ExampleSort } from './filterExamples';
import { VirtualList } from './virtualList';
import { plural } from '../../src/common/plural';

const SORTS: Array<[string, string, ExampleSort]> = [
  ['index', 'File order', { key: 'index', descending: false }],
  ['loss-desc', 'Loss, highest first', { key: 'loss', descending: true }],
  ['confidence-desc', 'Confidence, highest first', { key: 'confidence', descending: true }],
  ['confidence-asc', 'Confidence, lowest first', { key: 'confidence', descending: false }],
  ['loss-asc', 'Loss, lowest first', { key: 'loss', descending: false }],
  ['index-desc', 'File order, last first', { key: 'index', descending: true }],
];

const saved = loadPanelState()?.view ?? {};
let filter: ExampleFilter = completeFilter(saved.filter as Partial<ExampleFilter> | undefined);
let sortId = typeof saved.sort === 'string' && SORTS.some(([id]) => id === saved.sort) ? saved.sort : 'loss-desc';
let data: ExamplesData | null = null;
let visible: number[] = [];

/** What the list does: a click or ↑/↓ selects (the detail below shows it); Enter or a double-click opens the line. */
const SELECT_HINT = 'Select an example (click or ↑/↓); Enter or double-click opens it in the editor.';

const title = createElement('h1', { attrs: { id: 'title' } }, 'Examples');
const summary = createElement('div', { className: 'muted', attrs: { id: 'summary' } });
const countBadge = createElement('vscode-badge', { attrs: { id: 'result-count' } }, '0');
const toolbar = createElement('div', { className: 'toolbar', attrs: { id: 'filters' } });
const detail = createElement('div', { className: 'detail', attrs: { id: 'detail', 'aria-live': 'polite' } }, createElement('span', { className: 'muted' }, SELECT_HINT));
const list = new VirtualList({
  rowHeight: 26,
  columns: ['#', 'Text', 'Gold', 'Predicted', 'Confidence', 'Loss'],
  renderRow: (position, cells, row) => {
    const r = data!.rows[visible[position]];
    cells[0].textContent = String(r.index + 1);
    cells[1].textContent = r.text;
    cells[2].textContent = labelNames(goldIds(r));
    cells[3].textContent = labelNames(predictedIds(r));
    // Cells cut with an ellipsis keep their whole text in a tooltip (long label names, several labels).
    cells[1].title = r.text;
    cells[2].title = cells[2].textContent ?? '';
    cells[3].title = cells[3].textContent ?? '';
    cells[4].textContent = formatPercent(r.confidence);
    cells[5].textContent = formatFixed(r.loss, 2);
    row.classList.toggle('wrong', !isCorrect(r));
  },
  onSelect: (position) => showDetail(position),
  onActivate: (position) => openAt(position),
  sortableColumns: [0, 4, 5],
  onHeaderClick: (column) => sortByColumn(column),
});

/** Label names of ids, joined; "(none)" for an empty multi-label set (allowed: "none of these"). */
function labelNames(ids: readonly number[]): string {
  return ids.length ? ids.map((id) => data!.run.labels[id] ?? '?').join(', ') : '(none)';
}

const SORT_COLUMNS: Record<number, ExampleSort['key']> = { 0: 'index', 4: 'confidence', 5: 'loss' };

/** Header click: sort by that column; the same column again flips the direction. */
function sortByColumn(column: number): void {
  const key = SORT_COLUMNS[column];
  const current = currentSort();
  const descending = current.key === key ? !current.descending : key === 'loss';
  const match = SORTS.find(([, , s]) => s.key === key && s.descending === descending);
  if (!match) return;
  sortId = match[0];
  controls.sort?.setValue(sortId);
  apply();
}

const controls: { gold?: SelectControl; predicted?: SelectControl; missed?: SelectControl; extra?: SelectControl; correctness?: SelectControl; sort?: SelectControl } = {};
type TextField = HTMLElement & { value: string };
const minField = createElement('vscode-textfield', { className: 'narrow', attrs: { id: 'min-confidence', type: 'number', min: 0, max: 1, step: 0.05, 'aria-label': 'Minimum confidence' } }) as TextField;
const maxField = createElement('vscode-textfield', { className: 'narrow', attrs: { id: 'max-confidence', type: 'number', min: 0, max: 1, step: 0.05, 'aria-label': 'Maximum confidence' } }) as TextField;
const searchField = createElement('vscode-textfield', { attrs: { id: 'search', placeholder: 'Search text', 'aria-label': 'Search text' } }) as TextField;
const resetButton = createElement('vscode-button', { attrs: { id: 'reset-filters', secondary: true } }, 'Reset filters');

minField.addEventListener('input', () => { const v = Number(minField.value); if (minField.value !== '' && Number.isFinite(v)) update({ minConfidence: v }); });
maxField.addEventListener('input', () => { const v = Number(maxField.value); if (maxField.value !== '' && Number.isFinite(v)) update({ maxConfidence: v }); });
searchField.addEventListener('input', () => update({ search: searchField.value }));
resetButton.addEventListener('click', () => { filter = completeFilter(null); syncControls(); apply(); });

appRoot().append(title, summary, toolbar, list.element, detail);

function persist(): void {
  if (data) savePanelState({ runDirs: [data.run.runDir], split: data.split, view: { filter, sort: sortId } });
}

function update(change: Partial<ExampleFilter>): void {
  filter = completeFilter(change, filter);
  apply();
}

function currentSort(): ExampleSort {
  return SORTS.find(([id]) => id === sortId)?.[2] ?? SORTS[0][2];
}

/** Re-filters and redraws the list (the only full list update; scrolling reuses rows). */
function apply(): void {
  if (!data) return;
  const keep = list.selection >= 0 ? visible[list.selection] : -1;
  const sort = currentSort();
  visible = filterExamples(data.rows, filter, sort);
  const column = Number(Object.entries(SORT_COLUMNS).find(([, key]) => key === sort.key)?.[0]);
  list.setSortIndicator(Number.isFinite(column) ? column : null, sort.descending);
  countBadge.textContent = `${visible.length} of ${data.rows.length}`;
  list.setCount(visible.length, keep >= 0 ? visible.indexOf(keep) : -1);
  showDetail(list.selection);
  persist();
}

function showDetail(position: number): void {
  if (!data || position < 0 || position >= visible.length) {
    detail.replaceChildren(createElement('span', { className: 'muted' }, visible.length ? SELECT_HINT : 'No example matches these filters.'));
    return;
  }
  const r = data.rows[visible[position]];
  const labels = data.run.labels;
  const decision = r.goldLabels
    ? `given ${labelNames(goldIds(r))} · predicted ${labelNames(predictedIds(r))} · missed ${labelNames(missedIds(r))} · extra ${labelNames(extraIds(r))} · highest probability ${formatPercent(r.confidence)}`
    : `gold ${labels[r.gold]} · predicted ${labels[r.predicted]} · confidence ${formatPercent(r.confidence)}`;
  const open = createElement('vscode-button', { attrs: { id: 'open-source', secondary: true, disabled: !r.hasSource } }, 'Open in editor');
  open.addEventListener('click', () => openAt(position));
  detail.replaceChildren(
    createElement('div', { className: 'detail-text', attrs: { id: 'detail-text' } }, r.text),
    createElement('div', { className: 'muted', attrs: { id: 'detail-decision' } }, `#${r.index + 1} · ${decision} · loss ${formatFixed(r.loss, 3)} `),
    r.top.length ? createElement('div', { className: 'top-classes', attrs: { id: 'detail-top' } }, 'Most probable: ',
      ...r.top.map(([id, p]) => createElement('span', { className: goldIds(r).includes(id) ? 'top-class gold' : 'top-class' }, `${labels[id]} ${formatPercent(p)}`))) : '',
    open,
  );
}

function openAt(position: number): void {
  if (!data || position < 0 || position >= visible.length) return;
  const r = data.rows[visible[position]];
  if (r.hasSource) postToHost({ type: 'openExample', runId: data.run.runId, split: data.split, index: r.index });
}

/** Rebuilds the filter controls (labels change per run). */
function buildToolbar(d: ExamplesData): void {
  const labelOptions: Array<[string, string]> = [['', 'Any'], ...d.run.labels.map((l, i): [string, string] => [String(i), l])];
  const toId = (v: string) => (v === '' ? null : Number(v));
  const multiLabel = d.run.multiLabel === true;
  // Long label lists (banking77) are comboboxes that filter by what is typed.
  const combobox = { combobox: d.run.labels.length > 12 };
  controls.gold = createSelectControl(multiLabel ? 'Given' : 'Gold', labelOptions, '', (v) => update({ gold: toId(v) }), 'gold-select', combobox);
  controls.predicted = createSelectControl('Predicted', labelOptions, '', (v) => update({ predicted: toId(v) }), 'predicted-select', combobox);
  // Multi-label errors are per label: a given label the model missed, or a label it added.
  controls.missed = multiLabel ? createSelectControl('Missed', labelOptions, '', (v) => update({ missed: toId(v) }), 'missed-select', combobox) : undefined;
  controls.extra = multiLabel ? createSelectControl('Extra', labelOptions, '', (v) => update({ extra: toId(v) }), 'extra-select', combobox) : undefined;
  controls.correctness = createSelectControl('Show', [['incorrect', 'Misclassified'], ['correct', 'Correct'], ['all', 'All']], filter.correctness,
    (v) => update({ correctness: v as ExampleFilter['correctness'] }), 'correctness-select');
  controls.sort = createSelectControl('Sort', SORTS.map(([id, text]): [string, string] => [id, text]), sortId, (v) => { sortId = v; apply(); }, 'sort-select');
  const split = d.splits.length > 1
    ? createSelectControl('Split', d.splits.map((s): [string, string] => [s, s]), d.split, (v) => postToHost({ type: 'selectSplit', split: v as EvalSplit }), 'split-select').element
    : null;
  toolbar.replaceChildren(...[split, controls.gold.element, controls.predicted.element, controls.missed?.element ?? null, controls.extra?.element ?? null, controls.correctness.element,
    createElement('label', {}, 'Confidence', minField, '–', maxField), searchField, controls.sort.element, countBadge, resetButton].filter((x): x is HTMLElement => x !== null));
}

/** Puts the filter's values into the controls (after a host filter or a reset). */
function syncControls(): void {
  controls.gold?.setValue(filter.gold === null ? '' : String(filter.gold));
  controls.predicted?.setValue(filter.predicted === null ? '' : String(filter.predicted));
  controls.missed?.setValue(filter.missed === null ? '' : String(filter.missed));
  controls.extra?.setValue(filter.extra === null ? '' : String(filter.extra));
  controls.correctness?.setValue(filter.correctness);
  minField.value = String(filter.minConfidence);
  maxField.value = String(filter.maxConfidence);
  searchField.value = filter.search;
}

function init(d: ExamplesData, hostFilter: Partial<ExampleFilter> | null): void {
  const sameRun = data?.run.runId === d.run.runId;
  data = d;
  if (hostFilter) filter = completeFilter({ ...completeFilter(null), ...hostFilter });
  else if (!sameRun && saved.filter === undefined) filter = completeFilter(null);
  title.textContent = `Examples (${d.split})`;
  const wrong = d.rows.reduce((a, r) => a + (isCorrect(r) ? 0 : 1), 0);
  summary.textContent = `${d.run.title} · ${plural(d.rows.length, 'example')} · ${wrong} ${d.run.multiLabel ? 'whose predicted label set is not the given one' : 'misclassified'}`;
  buildToolbar(d);
  syncControls();
  apply();
}

startPage((message: Exclude<HostMessage, { type: 'error' }>) => {
  switch (message.type) {
    case 'examples/init': init(message.data, message.filter); return;
    case 'examples/filter':
      filter = completeFilter({ ...completeFilter(null), ...message.filter });
      syncControls();
      apply();
      list.focus();
      return;
    case 'dashboard/init': case 'dashboard/uncertainty': case 'run/progress': case 'run/epoch': case 'run/state': case 'run/test':
    case 'confusion/init': case 'compare/init':
      return;
    default: { const unhandled: never = message; void unhandled; }
  }
});
