// The dashboard header: run title, state badge, backend, epoch/step, samples/s, ETA, progress bar, Stop and links.
// Updated in place on every progress event (text changes only).
import { createElement } from '../shared/createElement';
import { formatDuration } from '../shared/formatValue';
import type { EarlyStop, LiveStatus, RunStateName, RunSummary } from '../shared/messages';
import { plural } from '../../src/common/plural';

export interface RunHeaderActions {
  stop(): void;
  openReport(): void;
  openModel(): void;
}

export class RunHeader {
  readonly element: HTMLElement;
  private readonly title = createElement('h1', { attrs: { id: 'run-title' } });
  private readonly subtitle = createElement('div', { className: 'muted', attrs: { id: 'run-subtitle' } });
  private readonly size = createElement('div', { className: 'muted', attrs: { id: 'run-model-size' } });
  private readonly stateMessage = createElement('div', { className: 'error-banner hidden', attrs: { id: 'run-message', role: 'status' } });
  /** How the run ended when that is news but no error (early stopping). */
  private readonly endNote = createElement('div', { className: 'muted hidden', attrs: { id: 'run-end-note', role: 'status' } });
  private readonly badge = createElement('vscode-badge', { className: 'state-badge', attrs: { id: 'run-state' } });
  private readonly stats = new Map<string, HTMLElement>();
  private readonly progress = createElement('vscode-progress-bar', { attrs: { id: 'run-progress', 'aria-label': 'Training progress' } }) as HTMLElement & { value?: number; max: number };
  private readonly stopButton = createElement('vscode-button', { attrs: { id: 'stop-run' } }, 'Stop');
  private readonly reportButton = createElement('vscode-button', { attrs: { id: 'open-report', secondary: true } }, 'Open report.md');
  private readonly modelButton = createElement('vscode-button', { attrs: { id: 'open-model', secondary: true } }, 'Reveal exported model');

  constructor(actions: RunHeaderActions) {
    const statElements = ['backend', 'epoch', 'step', 'samples/s', 'ETA'].map((name) => {
      const value = createElement('span', { className: 'value', data: { stat: name } }, '–');
      this.stats.set(name, value);
      return createElement('span', { className: 'stat' }, value, createElement('span', { className: 'name' }, name));
    });
    this.stopButton.addEventListener('click', () => actions.stop());
    this.reportButton.addEventListener('click', () => actions.openReport());
    this.modelButton.addEventListener('click', () => actions.openModel());
    this.element = createElement('header', {},
      this.title, this.subtitle, this.size, this.stateMessage, this.endNote,
      createElement('div', { className: 'header' }, this.badge, ...statElements,
        createElement('span', { className: 'toolbar' }, this.stopButton, this.reportButton, this.modelButton)),
      this.progress);
  }

  setRun(run: RunSummary): void {
    this.title.textContent = run.title;
    this.subtitle.textContent = [run.model, run.mode, run.dataset, run.createdAt ?? ''].filter(Boolean).join(' · ');
    this.size.textContent = run.modelSize ?? '';
    this.setStat('backend', run.backend ?? '–');
    this.reportButton.toggleAttribute('disabled', !run.hasReport);
    this.modelButton.toggleAttribute('disabled', !run.hasModel);
    this.setState(run.state, run.message);
  }

  /** Shows the state; `message` says why a run failed, was cancelled or interrupted. */
  setState(state: RunStateName, message: string | null = null): void {
    this.stateMessage.textContent = message ? `Run ${state}: ${message}` : '';
    this.stateMessage.classList.toggle('hidden', !message);
    this.badge.textContent = state;
    this.badge.dataset.state = state;
    const active = state === 'running' || state === 'queued';
    this.stopButton.classList.toggle('hidden', !active);
    this.progress.classList.toggle('hidden', !active);
    if (!active) { this.setStat('samples/s', '–'); this.setStat('ETA', '–'); }
  }

  /** Says that early stopping ended the run, and why: "Stopped early at epoch 15 of 26: no improvement in validation loss for 2 epochs." */
  setEarlyStop(stop: EarlyStop | null | undefined): void {
    this.endNote.textContent = stop
      ? `Stopped early at epoch ${stop.epoch} of ${stop.epochs}: no improvement in ${stop.monitored} for ${plural(stop.patience, 'epoch')}. The best epoch's weights are kept.`
      : '';
    this.endNote.classList.toggle('hidden', !stop);
    if (stop) this.setStat('epoch', `${stop.epoch} / ${stop.epochs} (stopped early)`);
  }

  setLive(live: LiveStatus | null): void {
    if (!live) return;
    this.setStat('epoch', `${live.epoch} / ${live.epochs}`);
    this.setStat('step', `${live.step} / ${live.totalSteps}`);
    this.setStat('samples/s', Number.isFinite(live.samplesPerSecond) ? live.samplesPerSecond.toFixed(1) : '–');
    this.setStat('ETA', formatDuration(live.etaSeconds));
    this.progress.max = Math.max(1, live.totalSteps);
    this.progress.value = live.step;
  }

  private setStat(name: string, text: string): void {
    const el = this.stats.get(name);
    if (el) el.textContent = text;
  }
}
