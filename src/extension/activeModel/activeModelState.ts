// The model that hover and label-issue diagnostics use: a run's best checkpoint or a model folder. Kept in
// workspaceState so it survives reloads, loaded into the engine lazily (and again after an engine restart).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { isSameOrInside } from '../../common/isSameOrInside';
import { pathExists } from '../pathExists';
import type { ActiveModelInfo } from '../../protocol/model';

/** The engine calls this state needs; `EngineClient` satisfies it. */
export interface ActiveModelLoader {
  setActiveModel(path: string): Promise<ActiveModelInfo>;
}

/** What is remembered across reloads. */
export interface ActiveModelRecord {
  /** Run folder or model folder. */
  path: string;
  /** Shown in the status bar: the run id or folder name. */
  name: string;
  /** The run it came from, when it came from one (for "open in the misclassified browser"). */
  runId?: string;
}

const stateKey = 'classifierWorkbench.activeModel';

export class ActiveModelState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ActiveModelRecord | undefined>();
  /** Fires when the active model is set or cleared. */
  readonly onDidChange = this.changed.event;
  private record: ActiveModelRecord | undefined;
  /** The engine load in flight or done for the current record; cleared when the engine must load it again. */
  private loading: Promise<ActiveModelInfo> | undefined;

  constructor(private readonly memento: vscode.Memento, private readonly loader: ActiveModelLoader) {
    this.record = memento.get<ActiveModelRecord>(stateKey);
  }

  get current(): ActiveModelRecord | undefined {
    return this.record;
  }

  /**
   * Makes `path` the active model: loads it in the engine first (so a bad folder fails here, with the
   * engine's message), then remembers it. Returns the model's label map.
   */
  async set(path: string, runId?: string): Promise<ActiveModelInfo> {
    const info = await this.loader.setActiveModel(path);
    this.record = { path, name: runId ?? basename(path), runId };
    this.loading = Promise.resolve(info);
    await this.memento.update(stateKey, this.record);
    this.changed.fire(this.record);
    return info;
  }

  async clear(): Promise<void> {
    this.record = undefined;
    this.loading = undefined;
    await this.memento.update(stateKey, undefined);
    this.changed.fire(undefined);
  }

  /** Ensures the engine has the remembered model loaded (once per engine process); undefined if none is set. */
  async ensureLoaded(): Promise<ActiveModelInfo | undefined> {
    if (!this.record) return undefined;
    const record = this.record;
    this.loading ??= this.loader.setActiveModel(record.path).catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  /** Call when the engine restarted or said it has no active model: the next use loads it again. */
  invalidateEngineCopy(): void {
    this.loading = undefined;
  }

  /** Status bar text for the active-model status item (ActiveModelStatusBar): `$(hubot) <name>` or a prompt to choose one. */
  statusText(): { text: string; tooltip: string } {
    if (!this.record) return { text: `$(hubot) ${vscode.l10n.t('No model')}`, tooltip: vscode.l10n.t('Classifier Workbench: no active model. Set one from a run to see predictions on hover.') };
    return { text: `$(hubot) ${this.record.name}`, tooltip: vscode.l10n.t('Classifier Workbench active model: {0}', this.record.path) };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Clears the active model when its run folder `runDir` lost its run.json (deleted or moved outside the
 * extension) and the model folder is gone too, saying so once. A run folder that still holds the model (run.json
 * rewritten in place) keeps it.
 * @returns whether the active model was cleared
 */
export async function forgetDeletedActiveModel(state: Pick<ActiveModelState, 'current' | 'clear'>, runDir: string): Promise<boolean> {
  const current = state.current;
  if (!current) return false;
  if (!isSameOrInside(current.path, runDir) || (await pathExists(current.path))) return false;
  await state.clear();
  void vscode.window.showWarningMessage(vscode.l10n.t('The active model {0} was deleted or moved ({1}): no model is active now. Choose another with "Set active model".', current.name, current.path));
  return true;
}
