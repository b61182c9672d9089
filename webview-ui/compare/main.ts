// The run comparison page: two or more runs side by side (summary metrics with change against the first run),
// per-class F1 deltas, and overlaid validation curves per epoch.
import '../shared/page.css';
import { createElement } from '../shared/createElement';
import { formatDeltaPoints, formatFixed, formatPercent } from '../shared/formatValue';
import { LineChart } from '../shared/lineChart';
import type { ClassificationMetrics, CompareData, CompareRun, HostMessage } from '../shared/messages';
import { appRoot, startPage } from '../shared/pageShell';
import { SortableTable } from '../shared/sortableTable';
import { postToHost, savePanelState } from '../shared/vscodeApi';
import { classF1Deltas, type ClassF1Row } from './classF1Deltas';
import { summaryMetrics, type SummaryMetric } from '../shared/summaryMetrics';

const METRICS: Array<[string, keyof ClassificationMetrics, boolean]> = [
  ['Accuracy', 'accuracy', true], ['Macro F1', 'macroF1', true], ['Macro precision', 'macroPrecision', true], ['Macro recall', 'macroRecall', true],
  ['Weighted F1', 'weightedF1', true], ['Loss', 'loss', false], ['ECE', 'ece', false],
];

const pick = createElement('vscode-button', { attrs: { id: 'pick-runs', secondary: true } }, 'Choose runs…');
pick.addEventListener('click', () => postToHost({ type: 'pickRuns' }));
const runsHost = createElement('div', { attrs: { id: 'runs' } });
const metricsHost = createElement('div', { attrs: { id: 'compare-metrics' } });
const settingsHost = createElement('div', { attrs: { id: 'settings-diff' } });
const deltasHost = createElement('div', { className: 'scroll-box', attrs: { id: 'f1-deltas' } });
const chartsHost = createElement('section', { className: 'grid-2', attrs: { id: 'compare-charts' } });

appRoot().append(
  createElement('div', { className: 'toolbar' }, createElement('h1', {}, 'Compare runs'), pick),
  runsHost,
  createElement('h2', {}, 'Settings that differ'), settingsHost,
  createElement('h2', {}, 'Metrics (test when available, else best validation)'), metricsHost,
  createElement('h2', {}, 'Per-class F1'), deltasHost,
  createElement('h2', {}, 'Validation curves'), chartsHost,
);

function shown(r: CompareRun): ClassificationMetrics | null {
  return r.test ?? r.final;
}

function runName(r: CompareRun, i: number): string {
  return `${i + 1}. ${r.run.runId}`;
}

/**
 * A run's name as a header or cell: cut with an ellipsis at a fixed width (long run ids would push the other columns
 * off-screen), the whole name in the tooltip.
 */
function runNameCell(tag: 'th' | 'td', r: CompareRun, i: number): HTMLElement {
  const name = runName(r, i);
  return createElement(tag, { attrs: { title: name } }, createElement('span', { className: 'run-name' }, name));
}

function renderRuns(runs: CompareRun[]): void {
  runsHost.replaceChildren(createElement('table', { className: 'data text' },
    createElement('thead', {}, createElement('tr', {}, ...['Run', 'Model', 'Mode', 'Dataset', 'State', 'Evaluated on'].map((h) => createElement('th', {}, h)))),
    createElement('tbody', {}, ...runs.map((r, i) => createElement('tr', {},
      runNameCell('td', r, i), createElement('td', {}, r.run.model), createElement('td', {}, r.run.mode),
      createElement('td', {}, r.run.dataset), createElement('td', {}, r.run.state), createElement('td', {}, shown(r)?.split ?? '–'))))));
}

/** Hyperparameters (and model, mode) whose values are not the same in every run: what the comparison is about. */
function renderSettings(runs: CompareRun[]): void {
  const values = runs.map((r) => new Map<string, string>([['model', r.run.model], ['mode', r.run.mode], ...r.run.hyperparameters]));
  const keys = [...new Set(values.flatMap((v) => [...v.keys()]))].filter((k) => new Set(values.map((v) => v.get(k) ?? '–')).size > 1);
  if (keys.length === 0) { settingsHost.replaceChildren(createElement('div', { className: 'muted' }, 'The runs have the same settings.')); return; }
  settingsHost.replaceChildren(createElement('table', { className: 'data text' },
    createElement('thead', {}, createElement('tr', {}, createElement('th', {}, 'Setting'), ...runs.map((r, i) => runNameCell('th', r, i)))),
    createElement('tbody', {}, ...keys.map((k) => createElement('tr', { data: { setting: k } }, createElement('td', {}, k), ...values.map((v) => createElement('td', {}, v.get(k) ?? '–')))))));
}

function renderMetrics(runs: CompareRun[]): void {
  const head = [createElement('th', {}, 'Metric'), ...runs.map((r, i) => runNameCell('th', r, i)), ...(runs.length > 1 ? [createElement('th', {}, `Change (${runs.length} vs 1)`)] : [])];
  const metrics = runs.map(shown);
  // Say which split each number is from: in the row label when every run has the same, else in each cell.
  const splits = [...new Set(metrics.map((m) => m?.split).filter((x): x is NonNullable<typeof x> => x !== undefined))];
  const rowSplit = splits.length === 1 ? ` (${splits[0]})` : '';
  const cellSplit = (m: ClassificationMetrics | null) => (splits.length > 1 && m ? ` (${m.split})` : '');
  // A multi-label run is compared on the multi-label set (micro/macro/weighted/samples, subset accuracy, Hamming, LRAP).
  const rows = (metrics.some((m) => m?.multiLabel) ? summaryMetrics(metrics) : METRICS.map(([label, key, rate]): SummaryMetric =>
    ({ label, key, kind: rate ? 'rate' : 'value', value: (m) => m[key] as number }))).map(({ label, key, kind, value }) => {
    const rate = kind === 'rate';
    const values = metrics.map((m) => (m ? value(m) ?? null : null));
    const first = values[0];
    const last = values[values.length - 1];
    const delta = first !== null && last !== null ? last - first : null;
    const good = delta === null || delta === 0 ? '' : (rate ? delta > 0 : delta < 0) ? 'delta-up' : 'delta-down';
    return createElement('tr', { data: { metric: key } }, createElement('td', {}, `${label}${rowSplit}`),
      ...values.map((v, i) => createElement('td', {}, `${rate ? formatPercent(v) : formatFixed(v)}${cellSplit(metrics[i])}`)),
      ...(runs.length > 1 ? [createElement('td', { className: good }, rate ? formatDeltaPoints(delta) : formatFixed(delta))] : []));
  });
  metricsHost.replaceChildren(createElement('table', { className: 'data', attrs: { id: 'metrics-table' } },
    createElement('thead', {}, createElement('tr', {}, ...head)), createElement('tbody', {}, ...rows)));
}

function renderDeltas(runs: CompareRun[]): void {
  const table = new SortableTable<ClassF1Row>([
    { key: 'label', label: 'Class', value: (r) => r.label },
    ...runs.map((run, i) => ({ key: `run${i}`, label: runName(run, i), truncate: true, value: (r: ClassF1Row) => r.f1[i] ?? -1, format: (r: ClassF1Row) => formatPercent(r.f1[i]) })),
    { key: 'delta', label: 'Δ F1', value: (r) => r.delta ?? 0, format: (r) => formatDeltaPoints(r.delta),
      cellClass: (r) => (r.delta === null || r.delta === 0 ? '' : r.delta > 0 ? 'delta-up' : 'delta-down') },
  ], 'delta', false);
  table.setRows(classF1Deltas(runs));
  deltasHost.replaceChildren(table.element);
}

function renderCharts(runs: CompareRun[]): void {
  const epochs = [...new Set(runs.flatMap((r) => r.epochs.map((e) => e.epoch)))].sort((a, b) => a - b);
  const series = (pickValue: (e: CompareRun['epochs'][number]) => number) =>
    runs.map((r) => epochs.map((x) => { const e = r.epochs.find((p) => p.epoch === x); return e ? pickValue(e) : null; }));
  const names = runs.map(runName);
  const charts = [
    new LineChart({ title: 'Validation loss', xLabel: 'epoch', series: names, points: true, integerX: true }),
    new LineChart({ title: 'Validation accuracy', xLabel: 'epoch', series: names, points: true, integerX: true, yRange: [0, 1], formatY: (v) => formatPercent(v, 0) }),
    new LineChart({ title: 'Validation macro-F1', xLabel: 'epoch', series: names, points: true, integerX: true, yRange: [0, 1], formatY: (v) => formatPercent(v, 0) }),
  ];
  chartsHost.replaceChildren(...charts.map((c) => c.element));
  charts[0].setData(epochs, series((e) => e.validationLoss));
  charts[1].setData(epochs, series((e) => e.accuracy));
  charts[2].setData(epochs, series((e) => e.macroF1));
}

function init(d: CompareData): void {
  renderRuns(d.runs);
  renderSettings(d.runs);
  renderMetrics(d.runs);
  renderDeltas(d.runs);
  renderCharts(d.runs);
  savePanelState({ runDirs: d.runs.map((r) => r.run.runDir) });
}

startPage((message: Exclude<HostMessage, { type: 'error' }>) => {
  switch (message.type) {
    case 'compare/init': init(message.data); return;
    case 'dashboard/init': case 'dashboard/uncertainty': case 'run/progress': case 'run/epoch': case 'run/state': case 'run/test':
    case 'confusion/init': case 'examples/init': case 'examples/filter':
      return;
    default: { const unhandled: never = message; void unhandled; }
  }
});
