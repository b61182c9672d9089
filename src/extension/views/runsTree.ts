// The Runs view: one node per run folder (state icon, progress, model and best metric, hyperparameters in the
// tooltip), epochs with metrics as children. Rebuilt from disk on refresh, patched live from run notifications;
// progress repaints are throttled and fire only the changed run node.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { EpochReport, RunProgress, RunStateChange, RunStateName } from '../../protocol/train';
import { bestEpoch, toEpochSummary, type EpochSummary, type RunRecord } from './runFolderReader';

/** A run in the tree; the same object stays in the tree for the run's lifetime so it can be fired alone. */
export interface RunElement {
  readonly kind: 'run';
  readonly runId: string;
  readonly runDir: string;
}
export interface EpochElement {
  readonly kind: 'epoch';
  readonly runId: string;
  readonly epoch: number;
}
export type RunsTreeElement = RunElement | EpochElement;

/** Where runs come from (the runs folders on disk); a function so tests pass records directly. */
export type RunSource = () => Promise<RunRecord[]>;

interface RunEntry {
  element: RunElement;
  record: RunRecord;
  progress?: RunProgress;
  epochElements: Map<number, EpochElement>;
}

export interface RunsTreeOptions {
  /** Minimum time between two repaints of one run node caused by progress; default 300 ms. */
  throttleMs?: number;
  /** The command a click on a run runs (the dashboard). */
  openCommand?: string;
}

const stateIcons: Record<RunStateName, [string, string | undefined]> = {
  queued: ['clock', undefined],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', undefined],
  interrupted: ['debug-pause', 'editorWarning.foreground'],
};

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly runs = new Map<string, RunEntry>();
  private readonly pendingRepaint = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastRepaint = new Map<string, number>();
  private readonly throttleMs: number;
  private readonly openCommand: string | undefined;
  private loaded: Promise<void> | undefined;
  private inflight: Promise<void> | undefined;
  private lastUnknownRefresh = -Infinity;
  private activeModelPath: string | undefined;

  constructor(private readonly source: RunSource, options: RunsTreeOptions = {}) {
    this.throttleMs = options.throttleMs ?? 300;
    this.openCommand = options.openCommand;
  }

  /** Re-reads every run from disk, keeping element identities and live progress of runs still present. */
  refresh(): Promise<void> {
    const loading = this.reload().finally(() => {
      if (this.inflight === loading) this.inflight = undefined;
    });
    this.inflight = loading;
    this.loaded = loading;
    return loading;
  }

  /** A refresh for a run the tree does not know yet; bursts of notifications share one disk read. */
  private refreshForUnknownRun(): void {
    // Until the engine has written run.json every notification names an unknown run: read at most once a second.
    const now = Date.now();
    if (this.inflight || now - this.lastUnknownRefresh < 1000) return;
    this.lastUnknownRefresh = now;
    void this.refresh();
  }

  /** Every run known to the tree, newest first. */
  get records(): RunRecord[] {
    return [...this.runs.values()].map((e) => e.record);
  }

  /** The run with this id, if known. */
  find(runId: string): RunElement | undefined {
    return this.runs.get(runId)?.element;
  }

  record(runId: string): RunRecord | undefined {
    return this.runs.get(runId)?.record;
  }

  /** The latest progress of a running run, if any arrived. */
  progress(runId: string): RunProgress | undefined {
    return this.runs.get(runId)?.progress;
  }

  /** Marks the run (by folder) whose model is active, so its node says so. */
  setActiveModel(path: string | undefined): void {
    this.activeModelPath = path;
    this.changed.fire(undefined);
  }

  /** A `run/progress` notification: stored now, repainted at most once per `throttleMs` for that node. */
  applyProgress(progress: RunProgress): void {
    const entry = this.runs.get(progress.runId);
    if (!entry) return this.refreshForUnknownRun();
    entry.progress = progress;
    if (entry.record.state !== 'running') entry.record = { ...entry.record, state: 'running' };
    this.scheduleRepaint(entry);
  }

  /** A `run/epoch` notification: adds or replaces the epoch child and updates the best metric. */
  applyEpoch(report: EpochReport): void {
    const entry = this.runs.get(report.runId);
    const summary = toEpochSummary(report as unknown as Record<string, unknown>);
    if (!entry || !summary) return;
    const epochs = [...entry.record.epochs.filter((e) => e.epoch !== summary.epoch), summary].sort((a, b) => a.epoch - b.epoch);
    const best = bestEpoch(epochs);
    entry.record = { ...entry.record, epochs, bestAccuracy: best?.accuracy, bestMacroF1: best?.macroF1 };
    this.repaintNow(entry);
  }

  /** A `run/state` notification; an unknown run (just started) makes the tree re-read the runs folders. */
  applyState(change: RunStateChange): void {
    const entry = this.runs.get(change.runId);
    if (!entry) return this.refreshForUnknownRun();
    entry.record = { ...entry.record, state: change.state, message: change.editorMessage ?? change.message ?? entry.record.message };
    if (change.state !== 'running') entry.progress = undefined;
    this.repaintNow(entry);
  }

  getTreeItem(element: RunsTreeElement): vscode.TreeItem {
    const entry = this.runs.get(element.runId);
    if (!entry) return new vscode.TreeItem(element.runId);
    return element.kind === 'run' ? this.runItem(entry) : epochItem(entry.record.epochs.find((e) => e.epoch === element.epoch));
  }

  async getChildren(element?: RunsTreeElement): Promise<RunsTreeElement[]> {
    if (!element) {
      if (!this.loaded) this.refresh();
      await this.loaded;
      return [...this.runs.values()].map((e) => e.element);
    }
    if (element.kind === 'epoch') return [];
    const entry = this.runs.get(element.runId);
    if (!entry) return [];
    return entry.record.epochs.map((e) => {
      let child = entry.epochElements.get(e.epoch);
      if (!child) entry.epochElements.set(e.epoch, (child = { kind: 'epoch', runId: element.runId, epoch: e.epoch }));
      return child;
    });
  }

  getParent(element: RunsTreeElement): RunsTreeElement | undefined {
    return element.kind === 'epoch' ? this.runs.get(element.runId)?.element : undefined;
  }

  dispose(): void {
    for (const t of this.pendingRepaint.values()) clearTimeout(t);
    this.pendingRepaint.clear();
    this.changed.dispose();
  }

  private async reload(): Promise<void> {
    // A failed search (e.g. a folder removed mid-read) keeps the runs shown; the next refresh tries again.
    const records = await this.source().catch(() => undefined);
    if (!records) return;
    const next = new Map<string, RunEntry>();
    for (const record of records) {
      const old = this.runs.get(record.runId);
      const element = old && old.element.runDir === record.runDir ? old.element : { kind: 'run' as const, runId: record.runId, runDir: record.runDir };
      // Disk lags the notifications of a running run; keep the live progress until the run stops.
      const progress = record.state === 'running' ? old?.progress : undefined;
      // An engine killed mid-run cannot rewrite run.json: the state it announced (interrupted) wins over a stale `running`.
      const ended = old && record.state === 'running' && old.record.state !== 'running' && old.record.state !== 'queued';
      const current = ended ? { ...record, state: old.record.state, message: old.record.message } : record;
      next.set(record.runId, { element, record: current, progress, epochElements: old?.epochElements ?? new Map() });
    }
    this.runs.clear();
    for (const [k, v] of next) this.runs.set(k, v);
    this.changed.fire(undefined);
  }

  private scheduleRepaint(entry: RunEntry): void {
    const id = entry.record.runId;
    if (this.pendingRepaint.has(id)) return;
    const wait = Math.max(0, (this.lastRepaint.get(id) ?? -Infinity) + this.throttleMs - Date.now());
    if (wait === 0) return this.repaintNow(entry);
    this.pendingRepaint.set(id, setTimeout(() => this.repaintNow(entry), wait));
  }

  private repaintNow(entry: RunEntry): void {
    const id = entry.record.runId;
    const pending = this.pendingRepaint.get(id);
    if (pending) clearTimeout(pending);
    this.pendingRepaint.delete(id);
    this.lastRepaint.set(id, Date.now());
    this.changed.fire(entry.element);
  }

  private runItem(entry: RunEntry): vscode.TreeItem {
    const { record, progress } = entry;
    const item = new vscode.TreeItem(runLabel(record, new Date(), this.records), record.epochs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `run:${record.runDir}`;
    const [icon, color] = stateIcons[record.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const active = this.activeModelPath !== undefined && this.activeModelPath === record.runDir;
    item.description = runDescription(record, progress, active);
    item.tooltip = runTooltip(record, progress, active);
    item.contextValue = `run.${record.state}${active ? '.active' : ''}`;
    if (this.openCommand) item.command = { command: this.openCommand, title: vscode.l10n.t('Open dashboard'), arguments: [entry.element] };
    return item;
  }
}

/**
 * `emotion/train · 14:02` (today) or `emotion/train · Nov 20 14:02`: the dataset's folder and name and when the run
 * was created. Short, because the sidebar is narrow and the description (model, mode, metric) must stay visible.
 * @param others the runs shown beside it: when one of them would read the same (two runs on the same data in the
 *   same minute), the time gets its seconds, and runs still alike get `(2)`, `(3)` in creation order.
 */
export function runLabel(record: RunRecord, now = new Date(), others: readonly RunRecord[] = []): string {
  // Compared on the ISO creation time (UTC; offsets are whole minutes, so minutes and seconds agree with local time).
  const key = (r: RunRecord, length: number) => `${r.dataset ?? r.runId}|${(r.createdAt ?? '').slice(0, length)}`;
  const sameMinute = others.filter((r) => r.runId !== record.runId && key(r, 16) === key(record, 16));
  if (!sameMinute.length) return labelAt(record, now, false);
  const label = labelAt(record, now, true);
  const sameSecond = [...sameMinute.filter((r) => key(r, 19) === key(record, 19)), record]
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.runId.localeCompare(b.runId));
  const index = sameSecond.indexOf(record);
  return index > 0 ? `${label} (${index + 1})` : label;
}

function labelAt(record: RunRecord, now: Date, seconds: boolean): string {
  const dataset = record.dataset ? datasetName(record.dataset) : record.runId;
  const created = record.createdAt ? new Date(record.createdAt) : undefined;
  if (!created || Number.isNaN(created.getTime())) return dataset;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(created.getHours())}:${pad(created.getMinutes())}${seconds ? `:${pad(created.getSeconds())}` : ''}`;
  const sameDay = created.toDateString() === now.toDateString();
  return `${dataset} · ${sameDay ? time : `${created.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`}`;
}

/** `emotion/train` for `/data/emotion/train.jsonl`: the folder tells apart the many files named train. */
function datasetName(path: string): string {
  const name = basename(path).replace(/\.(jsonl|csv|tsv|parquet)$/i, '');
  const folder = basename(dirname(path));
  return folder && folder !== '.' && folder !== '/' ? `${folder}/${name}` : name;
}

/** How the description names a mode; the n-gram model has none (it always trains all of itself). */
const modeNames: Record<string, string> = { full: 'full', 'feature-extraction': 'features', lora: 'LoRA' };

/** Percentage of all training steps done, 0–100. */
export function progressPercent(p: RunProgress): number {
  if (p.totalSteps > 0) return Math.min(100, Math.floor((100 * p.step) / p.totalSteps));
  return p.epochs > 0 ? Math.min(100, Math.floor((100 * (p.epoch - 1)) / p.epochs)) : 0;
}

/**
 * `bert-tiny · LoRA · 42% · loss 0.41` while running, `bert-tiny · LoRA · val acc 0.931 · val F1 0.912` otherwise:
 * the metrics are the best validation epoch's (the tooltip adds the test set's), and say so.
 */
export function runDescription(record: RunRecord, progress: RunProgress | undefined, active = false): string {
  const parts = [shortModel(record.model)];
  if (record.mode && record.model !== 'ngram') parts.push(modeNames[record.mode] ?? record.mode);
  if (record.state === 'running' && progress) parts.push(`${progressPercent(progress)}%`, vscode.l10n.t('loss {0}', progress.loss.toFixed(3)));
  else if (record.state !== 'completed') parts.push(record.state);
  if (record.bestAccuracy !== undefined && !(record.state === 'running' && progress)) {
    parts.push(vscode.l10n.t('val acc {0}', record.bestAccuracy.toFixed(3)));
    if (record.bestMacroF1 !== undefined) parts.push(vscode.l10n.t('val F1 {0}', record.bestMacroF1.toFixed(3)));
  }
  if (active) parts.push(vscode.l10n.t('active'));
  return parts.filter(Boolean).join(' · ');
}

/** The last path segment of a model folder or hub id (`google/bert_uncased_L-2_H-128_A-2` → the name). */
export function shortModel(model: string | undefined): string {
  if (!model) return '';
  return model.split(/[\\/]/).filter(Boolean).pop() ?? model;
}

function runTooltip(record: RunRecord, progress: RunProgress | undefined, active: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.appendMarkdown(`**${record.state}**${active ? ` · ${vscode.l10n.t('active model')}` : ''} — `).appendText(record.runId);
  md.appendMarkdown('\n\n');
  if (record.message) md.appendText(record.message).appendMarkdown('\n\n');
  if (progress) {
    md.appendMarkdown(`${vscode.l10n.t('Epoch {0}/{1}, step {2}/{3}, loss {4}, {5} samples/s, ETA {6}', progress.epoch, progress.epochs, progress.step, progress.totalSteps, progress.loss.toFixed(4), progress.samplesPerSecond.toFixed(1), formatDuration(progress.etaSeconds))}\n\n`);
  }
  if (record.bestAccuracy !== undefined) {
    md.appendMarkdown(`${record.bestMacroF1 !== undefined ? vscode.l10n.t('Validation (best epoch): accuracy {0}, macro F1 {1}', record.bestAccuracy.toFixed(3), record.bestMacroF1.toFixed(3)) : vscode.l10n.t('Validation (best epoch): accuracy {0}', record.bestAccuracy.toFixed(3))}\n\n`);
  }
  if (record.test) md.appendMarkdown(`${vscode.l10n.t('Test set (best checkpoint): accuracy {0}, macro F1 {1}', record.test.accuracy.toFixed(3), record.test.macroF1.toFixed(3))}\n\n`);
  const counts = record.counts ? `${record.counts.train} / ${record.counts.validation} / ${record.counts.test}` : undefined;
  const rows: [string, unknown][] = [
    [vscode.l10n.t('Dataset'), record.dataset], [vscode.l10n.t('Examples (train / validation / test)'), counts], [vscode.l10n.t('Model'), record.model], [vscode.l10n.t('Mode'), record.mode], [vscode.l10n.t('Backend'), record.backend],
    [vscode.l10n.t('Epochs'), record.config.epochs], [vscode.l10n.t('Batch size'), record.config.batchSize], [vscode.l10n.t('Learning rate'), record.config.learningRate],
    [vscode.l10n.t('Max length'), record.config.maxLength], [vscode.l10n.t('Patience'), record.config.patience], [vscode.l10n.t('Validation split'), record.config.validationSplit],
    [vscode.l10n.t('Weight decay'), record.config.weightDecay], [vscode.l10n.t('Seed'), record.config.seed],
    [vscode.l10n.t('Class weights'), record.classWeights ?? record.config.classWeights],
    [vscode.l10n.t('Labels'), record.multiLabel ? vscode.l10n.t('multi-label (sigmoid, per-label thresholds)') : undefined],
  ];
  md.appendMarkdown('| | |\n|---|---|\n');
  for (const [name, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    // Learning rates read better as 2e-5 than 0.00002.
    const text = typeof value === 'number' && value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value);
    md.appendMarkdown(`| ${name} | `).appendText(text).appendMarkdown(' |\n');
  }
  return md;
}

function epochItem(epoch: EpochSummary | undefined): vscode.TreeItem {
  if (!epoch) return new vscode.TreeItem('(epoch gone)');
  const item = new vscode.TreeItem(epoch.epoch === 0 ? vscode.l10n.t('Baseline') : vscode.l10n.t('Epoch {0}', epoch.epoch));
  const parts = [`acc ${epoch.accuracy.toFixed(3)}`, `F1 ${epoch.macroF1.toFixed(3)}`, `val loss ${epoch.validationLoss.toFixed(3)}`];
  if (epoch.trainLoss !== null) parts.push(`train loss ${epoch.trainLoss.toFixed(3)}`);
  item.description = parts.join(' · ');
  item.tooltip = `${epoch.epoch === 0 ? vscode.l10n.t('Before training') : vscode.l10n.t('After epoch {0}', epoch.epoch)}${epoch.isBest ? ` ${vscode.l10n.t('(best so far)')}` : ''}: ${parts.join(', ')}`;
  item.iconPath = new vscode.ThemeIcon(epoch.isBest ? 'star-full' : 'circle-small');
  item.contextValue = 'runEpoch';
  return item;
}

/** `1 h 02 min`, `3 min 05 s`, `12 s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}
