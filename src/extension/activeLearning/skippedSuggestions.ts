// The lines the user skipped in the "To label" view, per unlabeled file, kept in workspace state so that a new
// batch (after a retrain, or after a reload) does not offer them again.

/** The part of `vscode.Memento` this needs. */
export interface StateStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

const stateKey = 'classifierWorkbench.skippedSuggestions';
// Bounded, so a long labelling session cannot grow workspace state without limit: the oldest skips go first.
const maxPerFile = 5000;

export class SkippedSuggestions {
  constructor(private readonly state: StateStore) {}

  /** The skipped texts of `file`, oldest first. */
  texts(file: string): string[] {
    return this.all()[file] ?? [];
  }

  async skip(file: string, text: string): Promise<void> {
    const all = this.all();
    const texts = (all[file] ?? []).filter((t) => t !== text);
    texts.push(text);
    await this.state.update(stateKey, { ...all, [file]: texts.slice(-maxPerFile) });
  }

  async clear(file: string): Promise<void> {
    const { [file]: _dropped, ...rest } = this.all();
    await this.state.update(stateKey, rest);
  }

  private all(): Record<string, string[]> {
    return this.state.get<Record<string, string[]>>(stateKey, {});
  }
}
