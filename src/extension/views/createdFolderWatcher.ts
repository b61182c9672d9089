/**
 * Finds datasets in folders created while the window is open, for the Datasets view.
 *
 * Why: the file watcher below VS Code (@parcel/watcher) can report a new folder and miss the file written into it
 * straight away (`mkdir banking && cp train.jsonl banking/`: no event for the file in about 8 of 20 tries), so the
 * dataset watcher alone would leave the new dataset out of the view until the user presses Refresh. This watches
 * folder creations too and searches each new folder once. Creates are collected for a moment and only the outermost
 * new folders are searched, so an `npm install` or a git checkout in the workspace costs little.
 */
import * as vscode from 'vscode';

/** What the dataset search skips (as `findFiles`' exclude glob). */
export const datasetSearchExclude = '{**/node_modules/**,**/.classifier-workbench/**,**/.git/**}';

export interface CreatedFolderWatcherOptions {
  /** The dataset glob (`datasetGlob`), searched relative to each new folder. */
  readonly datasetGlob: string;
  /**
   * The Datasets view's exclusion (`isExcludedDatasetPath`: node_modules, .git, .classifier-workbench, the runs
   * folders): a created folder it excludes is not searched. Given the path with a trailing `/`, so the folder itself counts.
   */
  readonly isExcluded: (path: string) => boolean;
  /** Called for each dataset found; must ignore one it already has (`DatasetsTreeProvider.add` does). */
  readonly add: (uri: vscode.Uri) => void;
  /** How long creates are collected before the folders among them are searched. */
  readonly delayMs?: number;
  /** At most this many datasets are taken from one new folder. */
  readonly maxPerFolder?: number;
}

export class CreatedFolderWatcher implements vscode.Disposable {
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly subscription: vscode.Disposable;
  private readonly pending = new Map<string, vscode.Uri>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private releaseIdle: (() => void) | undefined;
  private settled: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: CreatedFolderWatcherOptions) {
    // Creations only: changes and deletions of datasets are the dataset watcher's.
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
    this.subscription = this.watcher.onDidCreate((uri) => this.created(uri));
  }

  /** Resolves once the creates seen so far have been handled (for tests). */
  idle(): Promise<void> {
    return this.settled;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.releaseIdle?.();
    this.subscription.dispose();
    this.watcher.dispose();
  }

  private created(uri: vscode.Uri): void {
    if (this.disposed || this.options.isExcluded(`${uri.fsPath}/`)) return;
    this.pending.set(uri.fsPath, uri);
    if (this.timer) return;
    const previous = this.settled;
    this.settled = new Promise<void>((resolve) => {
      this.releaseIdle = resolve;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.releaseIdle = undefined;
        resolve(previous.then(() => this.searchPending()));
      }, this.options.delayMs ?? 400);
    });
  }

  private async searchPending(): Promise<void> {
    const batch = outermost([...this.pending.values()]);
    this.pending.clear();
    const folders = await Promise.all(batch.map(async (uri) => {
      try {
        return (await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory ? uri : undefined;
      } catch {
        return undefined; // gone again already
      }
    }));
    for (const folder of folders) {
      if (!folder || this.disposed) continue;
      try {
        const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, this.options.datasetGlob), datasetSearchExclude, this.options.maxPerFolder ?? 1000);
        if (this.disposed) return;
        for (const uri of found) this.options.add(uri);
      } catch {
        // The folder vanished or cannot be searched: Refresh still finds what is there.
      }
    }
  }
}

/** The paths not inside another one of them: searching a folder covers everything created under it. */
function outermost(uris: vscode.Uri[]): vscode.Uri[] {
  const norm = (uri: vscode.Uri) => uri.fsPath.replace(/\\/g, '/').replace(/\/$/, '');
  const kept = new Set<string>();
  const result: vscode.Uri[] = [];
  for (const uri of [...uris].sort((a, b) => norm(a).length - norm(b).length)) {
    const path = norm(uri);
    let inside = false;
    for (let i = path.indexOf('/', 1); i > 0 && !inside; i = path.indexOf('/', i + 1)) inside = kept.has(path.slice(0, i));
    if (inside) continue;
    kept.add(path);
    result.push(uri);
  }
  return result;
}
