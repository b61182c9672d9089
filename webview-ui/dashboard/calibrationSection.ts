// The dashboard's "Calibration and abstaining" section: what temperature scaling did (ECE before → after), the
// reliability diagram (confidence bins against accuracy, with counts), the validation coverage–accuracy curve,
// and the abstain threshold picker (target accuracy or coverage → threshold → the run's UNCERTAIN threshold).
import { createElement } from '../shared/createElement';
import { formatPercent } from '../shared/formatValue';
import { LineChart } from '../shared/lineChart';
import { createSelectControl } from '../shared/selectControl';
import { chooseClassThresholds, chooseThreshold, type CalibrationReport, type ClassCoverageCurve, type CoveragePoint, type ThresholdTarget } from '../../src/protocol/calibration';

export interface ThresholdChoice {
  threshold: number;
  target: ThresholdTarget;
  coverage: number;
  accuracy: number;
  /** One threshold per predicted class (index = label id), when picked per class; `threshold` is then the fallback. */
  perClass?: number[];
}

export class CalibrationSection {
  readonly element: HTMLElement;
  private readonly summary = createElement('p', { attrs: { id: 'calibration-summary' } });
  private readonly reliability = new LineChart({ title: 'Reliability diagram (test, confidence bins)', xLabel: 'confidence', series: ['accuracy before scaling', 'accuracy after scaling', 'perfect calibration'],
    points: true, yRange: [0, 1], formatY: (v) => formatPercent(v, 0) });
  private readonly coverageChart = new LineChart({ title: 'Coverage and accuracy (validation)', xLabel: 'coverage (share answered)', series: ['accuracy of the answered'],
    formatY: (v) => formatPercent(v, 0) });
  private readonly binTable = createElement('table', { attrs: { id: 'reliability-table' } });
  private readonly targetKind = createSelectControl('Abstain to keep', [['accuracy', 'accuracy at least'], ['coverage', 'coverage at least']], 'accuracy', () => this.update(), 'threshold-target');
  private readonly targetValue = createElement('input', { attrs: { id: 'threshold-value', type: 'number', min: '1', max: '100', step: '0.5', value: '95', 'aria-label': 'target in percent' } });
  private readonly perClassBox = createElement('input', { attrs: { id: 'threshold-per-class', type: 'checkbox' } });
  private readonly perClassLabel = createElement('label', { attrs: { for: 'threshold-per-class', title: 'One threshold per predicted class, each chosen on that class\'s validation predictions' } }, 'per class');
  private readonly result = createElement('span', { attrs: { id: 'threshold-result' } });
  private readonly applyButton = createElement('vscode-button', { attrs: { id: 'apply-threshold' } }, 'Use as UNCERTAIN threshold');
  private readonly current = createElement('p', { className: 'muted', attrs: { id: 'threshold-current' } });
  private curve: CoveragePoint[] = [];
  private classCurves: ClassCoverageCurve[] | undefined;
  private labels: readonly string[] = [];
  private choice: ThresholdChoice | null = null;

  constructor(onApply: (choice: ThresholdChoice) => void) {
    this.targetValue.addEventListener('input', () => this.update());
    this.perClassBox.addEventListener('change', () => this.update());
    this.applyButton.addEventListener('click', () => { if (this.choice) onApply(this.choice); });
    this.element = createElement('section', { attrs: { id: 'calibration', hidden: '' } },
      createElement('h2', {}, 'Calibration and abstaining'), this.summary,
      createElement('div', { className: 'grid-2' }, this.reliability.element, this.coverageChart.element),
      createElement('div', { className: 'threshold-picker' }, this.targetKind.element, this.targetValue, createElement('span', {}, '%'), this.perClassBox, this.perClassLabel, this.result, this.applyButton),
      this.current,
      createElement('details', { attrs: { open: '' } }, createElement('summary', {}, 'Reliability bins with counts'), createElement('div', { className: 'scroll-box' }, this.binTable)));
  }

  /** Shows a run's calibration; hidden when the run has none (older, multi-label, or too little validation). */
  setData(c: CalibrationReport | null | undefined, threshold: number | null | undefined, labels: readonly string[] = [], perClass?: number[] | null): void {
    if (!c) { this.element.setAttribute('hidden', ''); return; }
    this.element.removeAttribute('hidden');
    const s = c.scaling;
    const shown = c.test ?? c.validation;
    const fitted = s.declined
      ? `The temperature fitted on validation (T = ${s.declined.temperature.toFixed(2)}) would raise its ECE, so the probabilities are used as they are.`
      : `Temperature scaling fitted on validation: ${s.perClass ? `one T per class (mean ${s.temperature.toFixed(2)})` : `T = ${s.temperature.toFixed(3)}`}; predictions, evaluation and hovers use it.`;
    this.summary.textContent = `${fitted} ${shown.split === 'test' ? 'Test' : 'Validation'} ECE ${shown.eceBefore.toFixed(3)} → ${shown.eceAfter.toFixed(3)}, log loss ${shown.nllBefore.toFixed(3)} → ${shown.nllAfter.toFixed(3)}.`;
    const mid = shown.binsAfter.map((b) => (b.lower + b.upper) / 2);
    this.reliability.setTitle(`Reliability diagram (${shown.split}, ${shown.binsAfter.length} confidence bins)`);
    this.reliability.setData(mid, [
      shown.binsBefore.map((b) => (b.count ? b.accuracy : null)),
      shown.binsAfter.map((b) => (b.count ? b.accuracy : null)),
      mid,
    ]);
    this.binTable.replaceChildren(
      createElement('thead', {}, createElement('tr', {}, ...['confidence bin', 'predictions before', 'accuracy before', 'predictions after', 'mean confidence after', 'accuracy after'].map((h) => createElement('th', {}, h)))),
      createElement('tbody', {}, ...shown.binsAfter.map((b, i) => {
        const before = shown.binsBefore[i]!;
        return createElement('tr', { data: { bin: String(i) } },
          createElement('td', {}, `${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`), createElement('td', {}, String(before.count)),
          createElement('td', {}, before.count ? formatPercent(before.accuracy) : '–'), createElement('td', {}, String(b.count)),
          createElement('td', {}, b.count ? formatPercent(b.confidence) : '–'), createElement('td', {}, b.count ? formatPercent(b.accuracy) : '–'));
      })));
    this.curve = c.coverage;
    this.labels = labels;
    // Runs from before per-class curves were kept cannot pick per class.
    this.classCurves = c.coverageByClass && c.coverageByClass.length === labels.length ? c.coverageByClass : undefined;
    if (this.classCurves) this.perClassBox.removeAttribute('disabled');
    else {
      this.perClassBox.setAttribute('disabled', '');
      (this.perClassBox as HTMLInputElement).checked = false;
    }
    this.coverageChart.setData(c.coverage.map((p) => p.coverage), [c.coverage.map((p) => p.accuracy)]);
    this.setCurrent(threshold ?? null, false, perClass ?? undefined);
    this.update();
  }

  /** The run's threshold as it now is (after the host confirmed a change, `setting` says whether hovers follow it). */
  setCurrent(threshold: number | null, setting: boolean, perClass?: readonly number[]): void {
    this.current.textContent = threshold === null
      ? 'This run has no abstain threshold of its own yet: hovers use the classifierWorkbench.uncertaintyThreshold setting.'
      : perClass
        ? `This run says UNCERTAIN below a per-class top probability (${this.describePerClass(perClass)})${setting ? '; hovers use them (the run is the active model).' : '.'}`
        : `This run says UNCERTAIN below a top probability of ${threshold.toFixed(3)}${setting ? '; the setting now follows it (the run is the active model).' : '.'}`;
  }

  private describePerClass(perClass: readonly number[]): string {
    return perClass.map((t, c) => `${this.labels[c] ?? c} ${t.toFixed(2)}`).join(', ');
  }

  private update(): void {
    const value = Number(this.targetValue.value) / 100;
    const target: ThresholdTarget = this.targetKind.select.value === 'coverage' ? { targetCoverage: value } : { targetAccuracy: value };
    const valid = value > 0 && value <= 1;
    const point = valid ? chooseThreshold(this.curve, target) : undefined;
    const perClass = valid && this.classCurves && (this.perClassBox as HTMLInputElement).checked
      ? chooseClassThresholds(this.classCurves, target, point?.threshold ?? 1) : undefined;
    if (perClass) {
      // The global choice stays the fallback for a class without validation predictions.
      this.choice = { threshold: point?.threshold ?? Math.min(...perClass.thresholds), target, coverage: perClass.coverage, accuracy: perClass.accuracy, perClass: perClass.thresholds };
      this.result.textContent = `per class (${this.describePerClass(perClass.thresholds)}): answers ${formatPercent(perClass.coverage)} of validation at ${formatPercent(perClass.accuracy)} accuracy`;
    } else {
      this.choice = point ? { threshold: point.threshold, target, coverage: point.coverage, accuracy: point.accuracy } : null;
      this.result.textContent = point
        ? `threshold ${point.threshold.toFixed(3)}: answers ${formatPercent(point.coverage)} of validation at ${formatPercent(point.accuracy)} accuracy`
        : 'no threshold reaches this target on validation';
    }
    if (this.choice) this.applyButton.removeAttribute('disabled');
    else this.applyButton.setAttribute('disabled', '');
  }
}
