// The run dashboard page: live loss/learning-rate per step, loss/accuracy/macro-F1 per epoch, baseline vs final,
// per-class metrics, hyperparameters. Built once on `dashboard/init`; live events only append points and set text.
import '../shared/page.css';
import { createElement } from '../shared/createElement';
import { formatCompact, formatPercent } from '../shared/formatValue';
import { LineChart } from '../shared/lineChart';
import type { ClassificationMetrics, DashboardData, EpochPoint, HostMessage } from '../shared/messages';
import { appRoot, startPage } from '../shared/pageShell';
import { loadPanelState, postToHost, savePanelState } from '../shared/vscodeApi';
import { createPerClassTable, renderHyperparameters, renderSummaryTable } from './metricsTables';
import { RunHeader } from './runHeader';
import { toEpochPointFromReport } from './toEpochPoint';
import { CalibrationSection } from './calibrationSection';
import { MACRO_AVERAGE_NOTE, MULTI_LABEL_MACRO_NOTE } from '../../src/protocol/metrics';
import { plural } from '../../src/common/plural';

let data: DashboardData | null = null;
const saved = loadPanelState();
let sort = { key: typeof saved?.view?.sortKey === 'string' ? saved.view.sortKey : 'f1', descending: saved?.view?.descending === true };

const header = new RunHeader({
  stop: () => data && postToHost({ type: 'stopRun', runId: data.run.runId }),
  openReport: () => data && postToHost({ type: 'openArtifact', runId: data.run.runId, artifact: 'report' }),
  openModel: () => data && postToHost({ type: 'openArtifact', runId: data.run.runId, artifact: 'model' }),
});
const stepLoss = new LineChart({ title: 'Training loss per step', xLabel: 'step', series: ['train loss'] });
const learningRate = new LineChart({ title: 'Learning rate', xLabel: 'step', series: ['learning rate'], formatY: formatCompact });
const epochLoss = new LineChart({ title: 'Loss per epoch', xLabel: 'epoch', series: ['train loss', 'validation loss'], points: true, integerX: true });
const epochQuality = new LineChart({ title: 'Validation accuracy and macro-F1', xLabel: 'epoch', series: ['accuracy', 'macro-F1'],
  points: true, integerX: true, yRange: [0, 1], formatY: (v) => formatPercent(v, 0) });
const summaryHost = createElement('div', { attrs: { id: 'summary' } });
const perClassCaption = createElement('span', { className: 'muted' });
const onSortChange = (key: string, descending: boolean) => { sort = { key, descending }; persist(); };
let perClass = createPerClassTable(onSortChange, sort.key, sort.descending);
const perClassHost = createElement('div', { className: 'scroll-box', attrs: { id: 'per-class' } }, perClass.element);
const hyperHost = createElement('div');
const calibration = new CalibrationSection((choice) => data && postToHost({ type: 'setUncertaintyThreshold', runId: data.run.runId, ...choice }));

appRoot().append(
  header.element,
  createElement('section', { className: 'grid-2', attrs: { id: 'charts' } }, stepLoss.element, epochLoss.element, epochQuality.element, learningRate.element),
  createElement('h2', {}, 'Before and after training'), summaryHost,
  calibration.element,
  createElement('vscode-tabs', { attrs: { id: 'details-tabs' } },
    createElement('vscode-tab-header', { attrs: { slot: 'header' } }, 'Per class'),
    createElement('vscode-tab-panel', {}, createElement('div', { className: 'muted' }, perClassCaption),
      perClassHost),
    createElement('vscode-tab-header', { attrs: { slot: 'header' } }, 'Hyperparameters'),
    createElement('vscode-tab-panel', {}, hyperHost)),
);

function persist(): void {
  if (data) savePanelState({ runDirs: [data.run.runDir], view: { sortKey: sort.key, descending: sort.descending } });
}

function epochValues(p: EpochPoint): { loss: Array<number | null>; quality: Array<number | null> } {
  return { loss: [p.trainLoss, p.validationLoss], quality: [p.accuracy, p.macroF1] };
}

function renderEpochCharts(epochs: EpochPoint[]): void {
  epochLoss.setData(epochs.map((p) => p.epoch), [epochs.map((p) => p.trainLoss), epochs.map((p) => p.validationLoss)]);
  epochQuality.setData(epochs.map((p) => p.epoch), [epochs.map((p) => p.accuracy), epochs.map((p) => p.macroF1)]);
}

function renderMetrics(d: DashboardData): void {
  summaryHost.replaceChildren(renderSummaryTable(d.baseline, d.final, d.baselineTest, d.test));
  const shown: ClassificationMetrics | null = d.test ?? d.final ?? d.baseline;
  const thresholds = shown?.multiLabel?.thresholds;
  perClassCaption.textContent = !shown ? 'No evaluation yet.' : thresholds
    ? `Per-label metrics on ${shown.split} (${plural(shown.examples, 'example')}), each label decided at its threshold tuned on validation; click a column to sort. ${MULTI_LABEL_MACRO_NOTE}`
    : `Per-class metrics on ${shown.split} (${plural(shown.examples, 'example')}); click a column to sort. ${MACRO_AVERAGE_NOTE}`;
  perClass.setRows((shown?.perClass ?? []).map((c, i) => (thresholds ? { ...c, threshold: thresholds[i] } : c)));
}

function init(d: DashboardData): void {
  data = d;
  header.setRun(d.run);
  // Multi-label: the per-label table gains each label's threshold, and "accuracy" is the subset accuracy.
  const multiLabel = d.run.multiLabel === true;
  perClass = createPerClassTable(onSortChange, sort.key, sort.descending, multiLabel);
  perClassHost.replaceChildren(perClass.element);
  epochQuality.setTitle(multiLabel ? 'Validation subset accuracy and macro-F1' : 'Validation accuracy and macro-F1');
  const last = d.steps.at(-1);
  // A finished run has no live figures: show where it ended.
  // A finished run's epoch count is the configured one ("15 / 26"), so a run that stopped early does not read "15 / 15".
  const lastEpoch = Math.max(last?.epoch ?? 0, d.epochs.at(-1)?.epoch ?? 0);
  header.setLive(d.live ?? (last ? { epoch: last.epoch, epochs: Math.max(lastEpoch, d.configuredEpochs ?? 0),
    step: last.step, totalSteps: last.step, samplesPerSecond: NaN, etaSeconds: NaN } : null));
  header.setEarlyStop(d.live ? null : d.earlyStop);
  stepLoss.setData(d.steps.map((s) => s.step), [d.steps.map((s) => s.loss)]);
  learningRate.setData(d.steps.map((s) => s.step), [d.steps.map((s) => s.learningRate)]);
  renderEpochCharts(d.epochs);
  renderMetrics(d);
  calibration.setData(d.calibration, d.uncertaintyThreshold, d.run.labels, d.uncertaintyThresholds);
  hyperHost.replaceChildren(renderHyperparameters(d.run.hyperparameters));
  persist();
}

function handle(message: Exclude<HostMessage, { type: 'error' }>): void {
  switch (message.type) {
    case 'dashboard/init': init(message.data); return;
    case 'run/progress': {
      const p = message.progress;
      if (!data || p.runId !== data.run.runId) return;
      // Already shown (the host read it from events.jsonl too) or replayed after a resume: the curve keeps one point per step.
      if (data.steps.length && p.step <= data.steps[data.steps.length - 1].step) return;
      data.steps.push({ step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate });
      stepLoss.append(p.step, [p.loss]);
      learningRate.append(p.step, [p.learningRate]);
      header.setLive({ epoch: p.epoch, epochs: p.epochs, step: p.step, totalSteps: p.totalSteps, samplesPerSecond: p.samplesPerSecond, etaSeconds: p.etaSeconds });
      return;
    }
    case 'run/epoch': {
      const r = message.report;
      if (!data || r.runId !== data.run.runId) return;
      const point = toEpochPointFromReport(r);
      const existing = data.epochs.findIndex((e) => e.epoch === point.epoch);
      if (existing >= 0) { data.epochs[existing] = point; renderEpochCharts(data.epochs); }
      else { data.epochs.push(point); const v = epochValues(point); epochLoss.append(point.epoch, v.loss); epochQuality.append(point.epoch, v.quality); }
      if (r.epoch === 0) data.baseline = r.validation;
      else if (r.isBest || !data.final) data.final = r.validation;
      renderMetrics(data);
      return;
    }
    case 'run/state':
      if (!data || message.change.runId !== data.run.runId) return;
      data.run.state = message.change.state;
      data.run.message = message.change.message ?? null;
      header.setState(message.change.state, data.run.message);
      return;
    case 'run/test':
      if (!data || message.runId !== data.run.runId) return;
      data.test = message.test;
      renderMetrics(data);
      return;
    case 'dashboard/uncertainty':
      if (!data || message.runId !== data.run.runId) return;
      data.uncertaintyThreshold = message.threshold;
      data.uncertaintyThresholds = message.perClass ?? null;
      calibration.setCurrent(message.threshold, message.setting, message.perClass);
      return;
    case 'confusion/init':
    case 'examples/init':
    case 'examples/filter':
    case 'compare/init':
      return;
    default: { const unhandled: never = message; void unhandled; }
  }
}

startPage(handle);
