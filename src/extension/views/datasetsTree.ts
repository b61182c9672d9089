// The Datasets view: workspace JSONL files with example and label counts, labels with counts as children.
// Files are found with `findFiles` and kept current by FileSystemWatchers (extension.ts, `CreatedFolderWatcher`).
import * as vscode from 'vscode';
import type { DatasetSummary } from './datasetSummary';
import { noun, plural } from '../../common/plural';

/** A dataset node is the file's Uri itself, so commands get the same argument as from the explorer. */
export type DatasetElement = vscode.Uri;
export interface LabelElement {
  readonly kind: 'label';
  readonly dataset: DatasetElement;
  readonly label: string;
  readonly count: number;
}
export type DatasetsTreeElement = DatasetElement | LabelElement;

/** How the tree finds and counts datasets; the extension passes workspace/file-system functions, tests pass fakes. */
export interface DatasetSource {
  findDatasets(): Thenable<vscode.Uri[]>;
  summarize(uri: vscode.Uri): Promise<DatasetSummary>;
  /** Path relative to the workspace, for the description. */
  relativePath(uri: vscode.Uri): string;
}

interface DatasetEntry {
  element: DatasetElement;
  summary?: DatasetSummary;
  error?: string;
  counting?: Promise<void>;
}

const maxConcurrentCounts = 4;

export class DatasetsTreeProvider implements vscode.TreeDataProvider<DatasetsTreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DatasetsTreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly entries = new Map<string, DatasetEntry>();
  private loaded: Promise<void> | undefined;
  private counting = 0;
  private readonly waiting: (() => void)[] = [];
  /** How many datasets have each file name; recomputed after the set of files changes. */
  private nameCounts: Map<string, number> | undefined;

  constructor(private readonly source: DatasetSource, private readonly isExcluded: (path: string) => boolean = () => false) {}

  /** Finds the datasets again (after a settings change or from the view's refresh button). */
  refresh(): Promise<void> {
    this.loaded = this.reload();
    return this.loaded;
  }

  /** A file was created: add it unless excluded. */
  add(uri: vscode.Uri): void {
    if (this.isExcluded(uri.fsPath) || this.entries.has(uri.fsPath)) return;
    this.entries.set(uri.fsPath, { element: uri });
    this.nameCounts = undefined;
    this.changed.fire(undefined);
  }

  /** A file changed: forget its counts and repaint only its node. */
  invalidate(uri: vscode.Uri): void {
    const entry = this.entries.get(uri.fsPath);
    if (!entry) return this.add(uri);
    entry.summary = undefined;
    entry.error = undefined;
    entry.counting = undefined;
    this.changed.fire(entry.element);
  }

  remove(uri: vscode.Uri): void {
    if (this.entries.delete(uri.fsPath)) {
      this.nameCounts = undefined;
      this.changed.fire(undefined);
    }
  }

  /** The datasets currently shown, sorted by path. */
  get datasets(): DatasetElement[] {
    return [...this.entries.values()].map((e) => e.element).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  summary(uri: vscode.Uri): DatasetSummary | undefined {
    return this.entries.get(uri.fsPath)?.summary;
  }

  getTreeItem(element: DatasetsTreeElement): vscode.TreeItem {
    if (isLabel(element)) {
      const item = new vscode.TreeItem(element.label);
      const total = this.entries.get(element.dataset.fsPath)?.summary?.examples ?? 0;
      item.description = total ? `${element.count} (${((100 * element.count) / total).toFixed(1)}%)` : String(element.count);
      item.iconPath = new vscode.ThemeIcon('tag');
      item.contextValue = 'datasetLabel';
      return item;
    }
    const entry = this.entries.get(element.fsPath);
    const item = new vscode.TreeItem(element.fsPath.split(/[\\/]/).pop() ?? element.fsPath, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `dataset:${element.fsPath}`;
    item.resourceUri = element;
    item.iconPath = new vscode.ThemeIcon('database');
    item.contextValue = 'dataset';
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open dataset'), arguments: [element] };
    const where = this.source.relativePath(element);
    const summary = entry?.summary;
    if (entry?.error) item.description = `${where} · ${vscode.l10n.t('unreadable')}`;
    else if (!summary) item.description = `${where} · ${vscode.l10n.t('counting…')}`;
    else if (summary.skippedReason) item.description = `${where} · ${formatBytes(summary.bytes)}`;
    else {
      const counts = `${summary.examples.toLocaleString('en-US')} ${noun(summary.examples, 'example')} · ${plural(summary.labels.length, 'label')}`;
      // Two train.jsonl side by side are told apart by their folder.
      item.description = this.sharesName(element) ? `${folderOf(where)} · ${counts}` : counts;
    }
    item.tooltip = datasetTooltip(where, summary, entry?.error);
    if (!summary && !entry?.error) this.count(element);
    return item;
  }

  async getChildren(element?: DatasetsTreeElement): Promise<DatasetsTreeElement[]> {
    if (!element) {
      if (!this.loaded) this.refresh();
      await this.loaded;
      return this.datasets;
    }
    if (isLabel(element)) return [];
    const entry = this.entries.get(element.fsPath);
    if (!entry) return [];
    if (!entry.summary) await this.count(element);
    return (entry.summary?.labels ?? []).map(([label, count]) => ({ kind: 'label' as const, dataset: element, label, count }));
  }

  getParent(element: DatasetsTreeElement): DatasetsTreeElement | undefined {
    return isLabel(element) ? element.dataset : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Whether another dataset shown has the same file name (`train.jsonl` in two folders). */
  private sharesName(element: DatasetElement): boolean {
    if (!this.nameCounts) {
      this.nameCounts = new Map();
      for (const path of this.entries.keys()) this.nameCounts.set(fileName(path), (this.nameCounts.get(fileName(path)) ?? 0) + 1);
    }
    return (this.nameCounts.get(fileName(element.fsPath)) ?? 0) > 1;
  }

  /** Runs at most `maxConcurrentCounts` summaries at once: a workspace with thousands of files stays responsive. */
  private limited<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.counting++;
        task().then(resolve, reject).finally(() => {
          this.counting--;
          this.waiting.shift()?.();
        });
      };
      if (this.counting < maxConcurrentCounts) start();
      else this.waiting.push(start);
    });
  }

  private async reload(): Promise<void> {
    // A failed search keeps the datasets shown; the watcher or the refresh button tries again.
    const uris = await Promise.resolve(this.source.findDatasets()).catch(() => undefined);
    if (!uris) return;
    const next = new Map<string, DatasetEntry>();
    for (const uri of uris) {
      if (this.isExcluded(uri.fsPath)) continue;
      next.set(uri.fsPath, this.entries.get(uri.fsPath) ?? { element: uri });
    }
    this.entries.clear();
    for (const [k, v] of next) this.entries.set(k, v);
    this.nameCounts = undefined;
    this.changed.fire(undefined);
  }

  /** Counts one file once (concurrent callers share the promise), then repaints only its node. */
  private count(element: DatasetElement): Promise<void> {
    const entry = this.entries.get(element.fsPath);
    if (!entry) return Promise.resolve();
    entry.counting ??= this.limited(() => this.source.summarize(element)).then(
      (summary) => {
        entry.summary = summary;
      },
      (err: unknown) => {
        entry.error = err instanceof Error ? err.message : String(err);
      },
    ).then(() => {
      if (this.entries.get(element.fsPath) === entry) this.changed.fire(entry.element);
    });
    return entry.counting;
  }
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `data/emotion` for `data/emotion/train.jsonl`; `.` for a file at the workspace root. */
function folderOf(relativePath: string): string {
  const parts = relativePath.split(/[\\/]/);
  return parts.length > 1 ? parts.slice(0, -1).join('/') : '.';
}

function isLabel(element: DatasetsTreeElement): element is LabelElement {
  return (element as LabelElement).kind === 'label';
}

/**
 * True for paths the Datasets view ignores: anything under node_modules, a runs folder or the workbench's own folder.
 * @param runsFolders absolute runs folders (from settings) to exclude as well.
 */
export function isExcludedDatasetPath(path: string, runsFolders: readonly string[]): boolean {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)(node_modules|\.git|\.classifier-workbench)\//.test(p)) return true;
  return runsFolders.some((dir) => {
    const d = dir.replace(/\\/g, '/').replace(/\/$/, '');
    return p === d || p.startsWith(`${d}/`);
  });
}

function datasetTooltip(where: string, summary: DatasetSummary | undefined, error: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(where).appendMarkdown('**\n\n');
  if (error) return md.appendText(vscode.l10n.t('Could not read the file: {0}', error));
  if (!summary) return md.appendText(vscode.l10n.t('Counting examples…'));
  if (summary.skippedReason) return md.appendText(vscode.l10n.t('{0}, {1}. Use Inspect dataset for details.', formatBytes(summary.bytes), summary.skippedReason));
  md.appendText(`${plural(summary.examples, 'example')}, ${plural(summary.labels.length, 'label')}, ${formatBytes(summary.bytes)}`);
  if (summary.unreadableLines) md.appendMarkdown('\n\n').appendText(vscode.l10n.t('{0} without a usable text and label: run Inspect dataset to see where.', plural(summary.unreadableLines, 'line')));
  return md;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
