// Creates, reveals, restores and feeds the four webview panels. activate calls `registerWebviewPanels` once; the
// returned `WebviewPanels` is what commands (open*) and the engine client's event handler (handleTrainEvent) use.
import * as vscode from 'vscode';
import type { TrainEvent } from '../../protocol/train';
import type { EvalSplit, ExampleFilter } from '../../../webview-ui/shared/messages';
import { ComparePanel } from './comparePanel';
import { ConfusionPanel } from './confusionPanel';
import { DashboardPanel } from './dashboardPanel';
import { ExamplesPanel } from './examplesPanel';
import { labelOutcomeFilter } from './panelData';
import { webviewOptions, type PanelHost } from './panelHost';
import { parsePanelState } from './parsePageMessage';
import type { WebviewServices } from './webviewServices';

/** View types to list as `onWebviewPanel:<viewType>` activation events so panels restore after a reload. */
export const webviewViewTypes = [DashboardPanel.viewType, ConfusionPanel.viewType, ExamplesPanel.viewType, ComparePanel.viewType] as const;

export class WebviewPanels implements vscode.Disposable {
  private readonly dashboards = new Map<string, DashboardPanel>();
  private readonly confusions = new Map<string, ConfusionPanel>();
  private readonly examples = new Map<string, ExamplesPanel>();
  private compare: ComparePanel | null = null;

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: WebviewServices) {}

  private newPanel(viewType: string, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
  }

  private track<P extends PanelHost>(map: Map<string, P>, key: string, host: P): P {
    map.set(key, host);
    host.onDidDispose(() => { if (map.get(key) === host) map.delete(key); });
    return host;
  }

  /** Opens (or reveals) the dashboard of the run in `runDir`. */
  openDashboard(runDir: string, panel?: vscode.WebviewPanel): void {
    const open = this.dashboards.get(runDir);
    if (open && !panel) { open.panel.reveal(); return; }
    const p = panel ?? this.newPanel(DashboardPanel.viewType, 'Run dashboard');
    this.track(this.dashboards, runDir, new DashboardPanel(p, this.extensionUri, this.services, runDir));
  }

  /** Opens (or reveals) the confusion matrix of a run; `split` defaults to test when the run has one. */
  openConfusionMatrix(runDir: string, split: EvalSplit = 'test', panel?: vscode.WebviewPanel): void {
    const open = this.confusions.get(runDir);
    if (open && !panel) { open.panel.reveal(); return; }
    const p = panel ?? this.newPanel(ConfusionPanel.viewType, 'Confusion matrix');
    this.track(this.confusions, runDir, new ConfusionPanel(p, this.extensionUri, this.services, runDir, split,
      (dir, s, gold, predicted) => this.openExamples(dir, s, { gold, predicted, correctness: gold === predicted ? 'correct' : 'incorrect' }),
      (dir, s, label, outcome) => this.openExamples(dir, s, labelOutcomeFilter(label, outcome))));
  }

  /** Opens (or reveals) the example browser of a run, optionally filtered (e.g. to one confusion-matrix cell). */
  async openExamples(runDir: string, split: EvalSplit = 'test', filter?: Partial<ExampleFilter>, panel?: vscode.WebviewPanel): Promise<void> {
    const open = this.examples.get(runDir);
    if (open && !panel) {
      if (filter) await open.showFilter(split, filter); else open.panel.reveal();
      return;
    }
    const p = panel ?? this.newPanel(ExamplesPanel.viewType, 'Misclassified examples');
    this.track(this.examples, runDir, new ExamplesPanel(p, this.extensionUri, this.services, runDir, split, filter ?? null));
  }

  /** Opens the comparison of two or more runs (one comparison panel at a time). */
  async openComparison(runDirs: string[], panel?: vscode.WebviewPanel): Promise<void> {
    if (this.compare && !panel) { await this.compare.showRuns(runDirs); return; }
    const p = panel ?? this.newPanel(ComparePanel.viewType, 'Compare runs');
    const host = new ComparePanel(p, this.extensionUri, this.services, runDirs);
    this.compare = host;
    host.onDidDispose(() => { if (this.compare === host) this.compare = null; });
  }

  /** A run folder was deleted: its dashboard, matrix and examples close, and an open comparison drops it. */
  async runDeleted(runDir: string): Promise<void> {
    for (const map of [this.dashboards, this.confusions, this.examples] as Map<string, PanelHost>[]) map.get(runDir)?.dispose();
    await this.compare?.runDeleted(runDir);
  }

  /** Feed every engine TrainEvent here (run/progress, run/epoch, state, test): open panels of that run update live. */
  handleTrainEvent(event: TrainEvent): void {
    for (const d of this.dashboards.values()) d.handleTrainEvent(event);
    if (event.type === 'state' && event.state !== 'running' && event.state !== 'queued') {
      // Predictions and metrics are written at the end of a run: views of it re-read them.
      for (const c of this.confusions.values()) void c.load().catch((e: Error) => this.services.log(e.message));
      for (const x of this.examples.values()) void x.load().catch((e: Error) => this.services.log(e.message));
    }
  }

  dispose(): void {
    for (const host of [...this.dashboards.values(), ...this.confusions.values(), ...this.examples.values(), ...(this.compare ? [this.compare] : [])]) host.dispose();
  }
}

/**
 * Registers the four panels' serializers (so they come back after a window reload) and returns the panel manager.
 * Call once from activate; everything is added to `context.subscriptions`.
 */
export function registerWebviewPanels(context: vscode.ExtensionContext, services: WebviewServices): WebviewPanels {
  const panels = new WebviewPanels(context.extensionUri, services);
  const revive = (viewType: string, open: (panel: vscode.WebviewPanel, runDirs: string[], split: EvalSplit | undefined) => unknown) =>
    vscode.window.registerWebviewPanelSerializer(viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const parsed = parsePanelState(state);
        if (!parsed) { panel.dispose(); return; }
        await open(panel, parsed.runDirs, parsed.split);
      },
    });
  context.subscriptions.push(
    panels,
    revive(DashboardPanel.viewType, (p, dirs) => panels.openDashboard(dirs[0], p)),
    revive(ConfusionPanel.viewType, (p, dirs, split) => panels.openConfusionMatrix(dirs[0], split, p)),
    revive(ExamplesPanel.viewType, (p, dirs, split) => panels.openExamples(dirs[0], split, undefined, p)),
    revive(ComparePanel.viewType, (p, dirs) => panels.openComparison(dirs, p)),
  );
  return panels;
}
