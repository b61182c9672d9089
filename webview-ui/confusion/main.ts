// The confusion-matrix page: heatmap with counts or row-normalised rates, class order by label or error mass, zoom,
// tooltips, and click (or Enter) on a cell to open the misclassified browser filtered to that pair.
import '../shared/page.css';
import './confusion.css';
import { createElement } from '../shared/createElement';
import { formatPercent } from '../shared/formatValue';
import type { ConfusionData, EvalSplit, HostMessage } from '../shared/messages';
import { appRoot, startPage } from '../shared/pageShell';
import { createSelectControl } from '../shared/selectControl';
import { loadPanelState, postToHost, savePanelState } from '../shared/vscodeApi';
import { classOrder, type ClassOrderName } from './classOrder';
import { Heatmap } from './heatmap';
import { labelErrorOrder, listenLabelGrid, renderLabelGrid } from './labelGrid';
import { plural } from '../../src/common/plural';

const ZOOM_STEPS = [8, 10, 12, 14, 16, 20, 26, 32, 40, 48];

const saved = loadPanelState()?.view ?? {};
const view = {
  normalised: saved.normalised === true,
  order: (saved.order === 'errors' ? 'errors' : 'label') as ClassOrderName,
  cellSize: typeof saved.cellSize === 'number' && ZOOM_STEPS.includes(saved.cellSize) ? saved.cellSize : 0,
};
let data: ConfusionData | null = null;

const title = createElement('h1', { attrs: { id: 'title' } }, 'Confusion matrix');
const summary = createElement('div', { className: 'muted', attrs: { id: 'summary' } });
const heatmap = new Heatmap();
const labelGrid = createElement('div', { className: 'label-grid hidden', attrs: { id: 'label-grid' } });
listenLabelGrid(labelGrid, (label, outcome) => data && postToHost({ type: 'openLabelOutcome', runId: data.run.runId, split: data.split, label, outcome }));
const splitSlot = createElement('span');
const zoomLabel = createElement('span', { attrs: { id: 'zoom-label' } });
const zoomOut = createElement('vscode-button', { attrs: { id: 'zoom-out', secondary: true, 'aria-label': 'Zoom out' } }, '−');
const zoomIn = createElement('vscode-button', { attrs: { id: 'zoom-in', secondary: true, 'aria-label': 'Zoom in' } }, '+');
const zoomFit = createElement('vscode-button', { attrs: { id: 'zoom-fit', secondary: true, title: 'Largest cells that fit the width of the panel' } }, 'Fit width');
const mode = createSelectControl('Show', [['counts', 'Counts'], ['normalised', 'Row-normalised (recall)']], view.normalised ? 'normalised' : 'counts',
  (v) => { view.normalised = v === 'normalised'; render(); }, 'mode-select');
const order = createSelectControl('Order classes by', [['label', 'Label'], ['errors', 'Error mass']], view.order,
  (v) => { view.order = v === 'errors' ? 'errors' : 'label'; render(); }, 'order-select');
const zoomControls = createElement('span', { className: 'toolbar' }, zoomOut, zoomLabel, zoomIn, zoomFit);
const legend = createElement('span', { className: 'muted', attrs: { id: 'legend' } });

zoomOut.addEventListener('click', () => zoom(-1));
zoomIn.addEventListener('click', () => zoom(1));
zoomFit.addEventListener('click', () => fitWidth());

appRoot().append(
  title, summary,
  createElement('div', { className: 'toolbar' }, splitSlot, mode.element, order.element, zoomControls, legend),
  heatmap.element, labelGrid,
);

/** Shows the K×K heatmap and its controls (single-label) or the per-label 2×2 grids (multi-label). */
function showLayout(multiLabel: boolean): void {
  heatmap.element.classList.toggle('hidden', multiLabel);
  labelGrid.classList.toggle('hidden', !multiLabel);
  mode.element.classList.toggle('hidden', multiLabel);
  zoomControls.classList.toggle('hidden', multiLabel);
  legend.replaceChildren(createElement('span', { className: 'legend-swatch diag' }), multiLabel ? 'given and predicted ' : 'correct ',
    createElement('span', { className: 'legend-swatch err' }), multiLabel ? 'missed or extra · click a cell to browse its examples' : 'errors · click a cell to browse its examples');
}

function zoom(direction: number): void {
  const i = ZOOM_STEPS.indexOf(view.cellSize);
  view.cellSize = ZOOM_STEPS[Math.max(0, Math.min(ZOOM_STEPS.length - 1, i + direction))];
  render();
}

/** The largest zoom step at which all columns fit beside the row labels without horizontal scrolling. */
function fitWidth(): void {
  if (!data) return;
  const scroller = heatmap.element;
  const labelWidth = heatmap.labelWidth();
  const available = scroller.clientWidth - labelWidth - 2;
  const k = data.run.labels.length;
  const fitting = ZOOM_STEPS.filter((s) => s * k <= available);
  view.cellSize = fitting.length ? fitting[fitting.length - 1] : ZOOM_STEPS[0];
  render();
}

function persist(): void {
  if (data) savePanelState({ runDirs: [data.run.runDir], split: data.split, view: { ...view } });
}

/** Multi-label: one 2×2 card per label, ordered by label or by wrong decisions. */
function renderLabels(d: ConfusionData & { labelConfusion: NonNullable<ConfusionData['labelConfusion']> }): void {
  const lc = d.labelConfusion;
  renderLabelGrid(labelGrid, { labels: d.run.labels, labelConfusion: lc, thresholds: d.run.thresholds,
    order: view.order === 'errors' ? labelErrorOrder(lc) : lc.map((_, i) => i) });
  const examples = lc[0] ? lc[0].reduce((a, b) => a + b, 0) : 0;
  const missed = lc.reduce((a, c) => a + c[2], 0);
  const extra = lc.reduce((a, c) => a + c[1], 0);
  summary.textContent = `${d.run.title} · ${d.split} · ${plural(examples, 'example')} · ${plural(lc.length, 'label')} · ${missed} missed and ${plural(extra, 'extra label decision')}`;
  persist();
}

function render(): void {
  if (!data) return;
  if (data.labelConfusion) { renderLabels({ ...data, labelConfusion: data.labelConfusion }); return; }
  const k = data.run.labels.length;
  if (!view.cellSize) view.cellSize = k <= 10 ? 48 : k <= 30 ? 26 : 16;
  zoomLabel.textContent = `${view.cellSize}px`;
  heatmap.render({
    labels: data.run.labels, confusion: data.confusion, order: classOrder(data.confusion, view.order),
    normalised: view.normalised, cellSize: view.cellSize,
    onOpenCell: (gold, predicted) => data && postToHost({ type: 'openMisclassified', runId: data.run.runId, split: data.split, gold, predicted }),
  });
  const total = heatmap.total();
  const correct = data.confusion.reduce((a, row, i) => a + (row[i] ?? 0), 0);
  summary.textContent = `${data.run.title} · ${data.split} · ${plural(total, 'example')} · ${plural(k, 'class', 'classes')} · accuracy ${formatPercent(total ? correct / total : NaN)}`;
  persist();
}

function init(d: ConfusionData): void {
  data = d;
  const multiLabel = d.labelConfusion !== undefined;
  title.textContent = multiLabel ? `Per-label confusion (${d.split})` : `Confusion matrix (${d.split})`;
  showLayout(multiLabel);
  splitSlot.replaceChildren();
  if (d.splits.length > 1) {
    splitSlot.append(createSelectControl('Split', d.splits.map((s): [string, string] => [s, s]), d.split,
      (v) => postToHost({ type: 'selectSplit', split: v as EvalSplit }), 'split-select').element);
  }
  if ((multiLabel ? d.labelConfusion!.length : d.confusion.length) === 0) { summary.textContent = 'This run has no evaluation for this split yet.'; return; }
  render();
}

startPage((message: Exclude<HostMessage, { type: 'error' }>) => {
  switch (message.type) {
    case 'confusion/init': init(message.data); return;
    case 'dashboard/init': case 'dashboard/uncertainty': case 'run/progress': case 'run/epoch': case 'run/state': case 'run/test':
    case 'examples/init': case 'examples/filter': case 'compare/init':
      return;
    default: { const unhandled: never = message; void unhandled; }
  }
});
