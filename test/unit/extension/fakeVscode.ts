// A deliberately small fake of the `vscode` API for unit tests of extension modules. It models only what
// those modules touch; extend it (additively) when a test needs more. Load it with `useFakeVscode.ts`.

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void = () => {}) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    return value.startsWith('file://') ? new Uri('file', decodeURIComponent(value.slice(7))) : new Uri(value.split(':')[0], value);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.fsPath.replace(/\/$/, ''), ...parts].join('/'));
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export enum FileType { Unknown = 0, File = 1, Directory = 2, SymbolicLink = 64 }
/** `new RelativePattern(base, pattern)`: a glob searched under `base`. */
export class RelativePattern {
  readonly baseUri: Uri;
  constructor(base: Uri | string, readonly pattern: string) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base;
  }
}
export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum QuickPickItemKind { Separator = -1, Default = 0 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export const QuickInputButtons = { Back: { iconPath: 'back' } };

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
export class MarkdownString {
  isTrusted?: boolean;
  supportThemeIcons?: boolean;
  constructor(public value = '', supportThemeIcons = false) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
}

export class TreeItem {
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon | Uri;
  contextValue?: string;
  resourceUri?: Uri;
  command?: { command: string; title: string; arguments?: unknown[] };
  id?: string;
  constructor(public label: string | { label: string }, public collapsibleState = TreeItemCollapsibleState.None) {}
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    this.start = new Position(startLine, startCharacter);
    this.end = new Position(endLine, endCharacter);
  }
  get isEmpty(): boolean {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
  contains(p: Position | Range): boolean {
    const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    return p instanceof Range ? this.contains(p.start) && this.contains(p.end) : before(this.start, p) && before(p, this.end);
  }
}
export class Selection extends Range {}
export class Diagnostic {
  source?: string;
  code?: string | number;
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(readonly range: Range, readonly message: string, readonly severity = DiagnosticSeverity.Error) {}
}

export class Location {
  constructor(readonly uri: Uri, readonly range: Range) {}
}
export class DiagnosticRelatedInformation {
  constructor(readonly location: Location, readonly message: string) {}
}

/** A diagnostic collection backed by a map, so tests can read back what was published per file. */
export class FakeDiagnosticCollection {
  readonly entries = new Map<string, Diagnostic[]>();
  constructor(readonly name: string) {}
  set(uri: Uri, diagnostics: Diagnostic[] | undefined): void {
    if (diagnostics && diagnostics.length) this.entries.set(uri.fsPath, diagnostics);
    else this.entries.delete(uri.fsPath);
  }
  get(uri: Uri): Diagnostic[] | undefined {
    return this.entries.get(uri.fsPath);
  }
  delete(uri: Uri): void {
    this.entries.delete(uri.fsPath);
  }
  clear(): void {
    this.entries.clear();
  }
  dispose(): void {
    this.entries.clear();
  }
}

/** Values passed to `progress.report` inside `window.withProgress`. */
export const progressReports: unknown[] = [];

/** Messages shown through `window.show*Message`; a test sets `nextChoice` to answer the next one. */
export const shownMessages: { level: 'info' | 'warning' | 'error'; message: string; items: string[] }[] = [];
let nextChoice: string | undefined;
export function answerNextMessage(choice: string | undefined): void {
  nextChoice = choice;
}
function show(level: 'info' | 'warning' | 'error') {
  return async (message: string, ...rest: unknown[]): Promise<string | undefined> => {
    const items = rest.filter((r): r is string => typeof r === 'string');
    shownMessages.push({ level, message, items });
    const choice = nextChoice;
    nextChoice = undefined;
    return choice;
  };
}

export class FakeStatusBarItem {
  text = '';
  tooltip?: string | MarkdownString;
  command?: string | { command: string; title: string; arguments?: unknown[] };
  name?: string;
  visible = false;
  constructor(readonly alignment: StatusBarAlignment, readonly priority?: number) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

/**
 * Answers for the next quick picks, in order: the id of the item to accept (items carry `id` in this
 * extension), or undefined to dismiss. A pick with no queued answer is dismissed.
 */
export const quickPickAnswers: (string | undefined)[] = [];
/** Titles/placeholders of the quick picks shown, for assertions (`selected`: what a multi-select pick started with ticked). */
export const shownQuickPicks: { placeholder?: string; title?: string; items: { id?: string; label: string }[]; selected?: { label: string }[] }[] = [];
/**
 * Answers for multi-select quick picks (`canSelectMany`), in order: the labels ticked when the user presses Enter, or
 * undefined to dismiss. A pick that stays open after Enter gets the next answer (the user ticks more and presses Enter
 * again); `placeholders` records what it said in between.
 */
export const multiPickAnswers: (string[] | undefined)[] = [];

export class FakeQuickPick {
  title?: string;
  placeholder?: string;
  step?: number;
  totalSteps?: number;
  matchOnDescription = false;
  matchOnDetail = false;
  ignoreFocusOut = false;
  buttons: unknown[] = [];
  items: { id?: string; label: string }[] = [];
  selectedItems: { id?: string; label: string }[] = [];
  canSelectMany = false;
  /** Placeholders shown after each Enter that left the pick open. */
  readonly placeholders: (string | undefined)[] = [];
  private hiddenOnce = false;
  private readonly accept = new EventEmitter<void>();
  private readonly hidden = new EventEmitter<void>();
  private readonly button = new EventEmitter<unknown>();
  readonly onDidAccept = this.accept.event;
  readonly onDidHide = this.hidden.event;
  readonly onDidTriggerButton = this.button.event;
  show(): void {
    shownQuickPicks.push({ placeholder: this.placeholder, items: this.items, ...(this.canSelectMany ? { selected: [...this.selectedItems] } : {}) });
    if (this.canSelectMany) return this.answerMany();
    const answer = quickPickAnswers.shift();
    setImmediate(() => {
      const item = this.items.find((i) => i.id === answer);
      if (!item) return this.hide();
      this.selectedItems = [item];
      this.accept.fire();
    });
  }
  private answerMany(): void {
    setImmediate(() => {
      const labels = multiPickAnswers.shift();
      if (labels === undefined) return this.hide();
      this.selectedItems = this.items.filter((i) => labels.includes(i.label));
      this.accept.fire();
      if (!this.hiddenOnce) {
        this.placeholders.push(this.placeholder);
        this.answerMany();
      }
    });
  }
  hide(): void {
    this.hiddenOnce = true;
    this.hidden.fire();
  }
  dispose(): void {}
}

/** Input boxes made with `createInputBox`, as shown (title, prompt, value), for assertions. */
export const shownInputBoxes: { title?: string; prompt?: string; value: string }[] = [];

/**
 * `window.createInputBox`: answers with the next of `inputBoxAnswers` (undefined = Escape, which hides the box
 * without accepting); with none queued it accepts the value it was given.
 */
export class FakeInputBox {
  title?: string;
  prompt?: string;
  value = '';
  validationMessage?: string;
  ignoreFocusOut = false;
  buttons: unknown[] = [];
  private readonly accept = new EventEmitter<void>();
  private readonly hidden = new EventEmitter<void>();
  private readonly changed = new EventEmitter<string>();
  private readonly button = new EventEmitter<unknown>();
  readonly onDidAccept = this.accept.event;
  readonly onDidHide = this.hidden.event;
  readonly onDidChangeValue = this.changed.event;
  readonly onDidTriggerButton = this.button.event;
  show(): void {
    shownInputBoxes.push({ title: this.title, prompt: this.prompt, value: this.value });
    const answer = inputBoxAnswers.length ? inputBoxAnswers.shift() : this.value;
    setImmediate(() => {
      if (answer === undefined) return this.hide();
      this.value = answer;
      this.changed.fire(answer);
      this.accept.fire();
    });
  }
  hide(): void {
    this.hidden.fire();
  }
  dispose(): void {}
}

/** Every quick pick made with `createQuickPick`, in order. */
export const createdQuickPicks: FakeQuickPick[] = [];

/** Every status-bar item the code created, in order: what VS Code would show, for tests to inspect. */
export const createdStatusBarItems: FakeStatusBarItem[] = [];

export const window = {
  createQuickPick: () => {
    const qp = new FakeQuickPick();
    createdQuickPicks.push(qp);
    return qp;
  },
  createInputBox: () => new FakeInputBox(),
  /** Runs the task at once with a progress sink that records reports and a token that is never cancelled. */
  withProgress<R>(_options: unknown, task: (progress: { report(value: unknown): void }, token: { isCancellationRequested: boolean; onCancellationRequested: EventEmitter<void>['event'] }) => Thenable<R>): Thenable<R> {
    return task({ report: (value) => progressReports.push(value) }, { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event });
  },
  showInformationMessage: show('info'),
  showWarningMessage: show('warning'),
  showErrorMessage: show('error'),
  /** Both overloads: `(alignment?, priority?)` and `(id, alignment?, priority?)`. */
  createStatusBarItem: (...args: unknown[]) => {
    const rest = typeof args[0] === 'string' ? args.slice(1) : args;
    const item = new FakeStatusBarItem((rest[0] as StatusBarAlignment | undefined) ?? StatusBarAlignment.Left, rest[1] as number | undefined);
    createdStatusBarItems.push(item);
    return item;
  },
};

/** Settings read through `workspace.getConfiguration(section)`; tests assign `configValues['section.key']`. */
export const configValues: Record<string, unknown> = {};
/** `update` calls on a configuration, in order. */
export const configUpdates: { key: string; value: unknown; target?: ConfigurationTarget }[] = [];
const trustEmitter = new EventEmitter<void>();
export const workspace = {
  isTrusted: true,
  /** Model folders found by `findFiles`; tests that need some put them here. */
  findFiles: async (): Promise<Uri[]> => [],
  asRelativePath: (p: Uri | string) => (typeof p === 'string' ? p : p.fsPath),
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  onDidGrantWorkspaceTrust: trustEmitter.event,
  getConfiguration(section?: string) {
    const prefix = section ? `${section}.` : '';
    return {
      get<T>(key: string, defaultValue?: T): T | undefined {
        const v = configValues[prefix + key];
        return (v === undefined ? defaultValue : v) as T | undefined;
      },
      /** A value in `configValues` counts as set in the user settings. */
      inspect<T>(key: string): { key: string; globalValue?: T } | undefined {
        const v = configValues[prefix + key];
        return { key: prefix + key, ...(v === undefined ? {} : { globalValue: v as T }) };
      },
      /** Writes the value where `get` reads it, and records the call. */
      async update(key: string, value: unknown, target?: ConfigurationTarget): Promise<void> {
        configUpdates.push({ key: prefix + key, value, target });
        configValues[prefix + key] = value;
      },
    };
  },
};
/** Grants trust as VS Code would after the user confirms. */
export function grantWorkspaceTrust(): void {
  workspace.isTrusted = true;
  trustEmitter.fire();
}

/** Commands executed through `commands.executeCommand`, recorded for assertions. */
export const executedCommands: { command: string; args: unknown[] }[] = [];
const registered = new Map<string, (...args: unknown[]) => unknown>();
export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    registered.set(id, handler);
    return new Disposable(() => registered.delete(id));
  },
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    executedCommands.push({ command, args });
    // As VS Code does for a command the host lacks (code-server has no revealFileInOS).
    if (unavailableCommands.has(command)) throw new Error(`command '${command}' not found`);
    return registered.get(command)?.(...args);
  },
};
/** Commands this fake host does not have; tests add e.g. `revealFileInOS` to play code-server. */
export const unavailableCommands = new Set<string>();

export enum UIKind {
  Desktop = 1,
  Web = 2,
}
/** `vscode.env`: tests set `uiKind`/`remoteName` to play a web or remote host; `clipboard` records writes. */
export const clipboardWrites: string[] = [];
export const env = {
  uiKind: UIKind.Desktop as UIKind,
  remoteName: undefined as string | undefined,
  clipboard: { writeText: async (text: string) => void clipboardWrites.push(text), readText: async () => clipboardWrites.at(-1) ?? '' },
};

export const languages = {
  createDiagnosticCollection: (name = '') => new FakeDiagnosticCollection(name),
};

// --- Hover, diagnostics, code actions ---
export class Hover {
  constructor(readonly contents: MarkdownString | MarkdownString[], readonly range?: Range) {}
}
export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}
/** Records replacements so tests can apply them to text and check the result. */
export class WorkspaceEdit {
  readonly replacements: { uri: Uri; range: Range; newText: string }[] = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.replacements.push({ uri, range, newText });
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.replacements.push({ uri, range: new Range(position.line, position.character, position.line, position.character), newText });
  }
}
export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  constructor(readonly value: string) {}
}
export class CodeAction {
  edit?: WorkspaceEdit;
  command?: { command: string; title: string; arguments?: unknown[] };
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(readonly title: string, readonly kind?: CodeActionKind) {}
}

/** A text document over a string; `workspace.openTextDocument` reads files from disk into one. */
export class FakeTextDocument {
  private lines: string[];
  constructor(readonly uri: Uri, private text: string, readonly languageId = 'plaintext') {
    this.lines = text.split('\n');
  }
  get lineCount(): number {
    return this.lines.length;
  }
  lineAt(n: number | Position) {
    const line = typeof n === 'number' ? n : n.line;
    const text = this.lines[line];
    return { text, range: new Range(line, 0, line, text.length), isEmptyOrWhitespace: text.trim() === '' };
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    const offset = (p: Position) => this.lines.slice(0, p.line).reduce((sum, l) => sum + l.length + 1, 0) + p.character;
    return this.text.slice(offset(range.start), offset(range.end));
  }
  /** Used by `workspace.applyEdit`. */
  setText(text: string): void {
    this.text = text;
    this.lines = text.split('\n');
  }
}

/** Hover and code-action providers registered through `languages`, for assertions. */
export const registeredProviders: { kind: 'hover' | 'codeActions'; selector: unknown; provider: unknown }[] = [];
/** Tree views created through `window.createTreeView`. */
export const createdTreeViews: { id: string; options: unknown; view: { message?: string } }[] = [];
/** Answers for `window.showInputBox`, in order. */
export const inputBoxAnswers: (string | undefined)[] = [];
/** Documents shown through `window.showTextDocument`. */
export const shownDocuments: { document: FakeTextDocument; options: unknown }[] = [];
const textChangeEmitter = new EventEmitter<{ document: FakeTextDocument }>();
const openDocuments: FakeTextDocument[] = [];
async function openTextDocument(uri: Uri): Promise<FakeTextDocument> {
  const open = openDocuments.find((d) => d.uri.fsPath === uri.fsPath);
  if (open) return open;
  const { readFile } = await import('node:fs/promises');
  const document = new FakeTextDocument(uri, await readFile(uri.fsPath, 'utf8'), uri.fsPath.endsWith('.jsonl') ? 'jsonl' : 'plaintext');
  openDocuments.push(document);
  return document;
}

Object.assign(window, {
  activeTextEditor: undefined,
  createTreeView: (id: string, options: unknown) => {
    const view = Object.assign(new Disposable(), { message: undefined as string | undefined });
    createdTreeViews.push({ id, options, view });
    return view;
  },
  showOpenDialog: async () => undefined,
  /** `window.showQuickPick`: answers with the item whose label is the next of `quickPickAnswers` (none = Escape). */
  showQuickPick: async <T extends { label: string }>(items: readonly T[], options?: { placeHolder?: string; title?: string }) => {
    shownQuickPicks.push({ placeholder: options?.placeHolder, ...(options?.title !== undefined ? { title: options.title } : {}), items: [...items] });
    const answer = quickPickAnswers.shift();
    return items.find((i) => i.label === answer);
  },
  /** Answers the next input boxes in order (undefined = Escape); with none queued, accepts the proposed value. */
  showInputBox: async (options: { value?: string; validateInput?: (v: string) => string | undefined }) => {
    const answer = inputBoxAnswers.length ? inputBoxAnswers.shift() : options.value;
    if (answer !== undefined && options.validateInput?.(answer)) throw new Error(`fake input box: '${answer}' is invalid`);
    return answer;
  },
  showTextDocument: async (document: FakeTextDocument, options: unknown) => void shownDocuments.push({ document, options }),
});
Object.assign(workspace, {
  /** The workspace folder holding `uri`, from `workspace.workspaceFolders`. */
  getWorkspaceFolder: (uri: Uri) => workspace.workspaceFolders?.find((f) => uri.fsPath === f.uri.fsPath || uri.fsPath.startsWith(`${f.uri.fsPath.replace(/\/$/, '')}/`)),
  textDocuments: openDocuments,
  onDidChangeTextDocument: textChangeEmitter.event,
  openTextDocument,
  /** Applies single-line replacements to the open document (and its file on disk, as a save would), firing a change. */
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    const { writeFile } = await import('node:fs/promises');
    for (const r of edit.replacements) {
      const document = await openTextDocument(r.uri);
      const lines = document.getText().split('\n');
      const line = lines[r.range.start.line];
      lines[r.range.start.line] = line.slice(0, r.range.start.character) + r.newText + line.slice(r.range.end.character);
      document.setText(lines.join('\n'));
      await writeFile(r.uri.fsPath, document.getText());
      textChangeEmitter.fire({ document });
    }
    return true;
  },
});
/** A watcher from `workspace.createFileSystemWatcher`; tests fire its events as the file system would. */
export class FakeFileSystemWatcher {
  readonly created = new EventEmitter<Uri>();
  readonly changed = new EventEmitter<Uri>();
  readonly deleted = new EventEmitter<Uri>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  disposed = false;
  constructor(readonly glob: unknown, readonly ignoreCreateEvents = false, readonly ignoreChangeEvents = false, readonly ignoreDeleteEvents = false) {}
  dispose(): void {
    this.disposed = true;
    this.created.dispose();
    this.changed.dispose();
    this.deleted.dispose();
  }
}
/** Every file-system watcher the code created, in order. */
export const createdFileSystemWatchers: FakeFileSystemWatcher[] = [];
Object.assign(workspace, {
  createFileSystemWatcher: (glob: unknown, ignoreCreate?: boolean, ignoreChange?: boolean, ignoreDelete?: boolean) => {
    const watcher = new FakeFileSystemWatcher(glob, ignoreCreate, ignoreChange, ignoreDelete);
    createdFileSystemWatchers.push(watcher);
    return watcher;
  },
  /** `workspace.fs`, reading the real disk. */
  fs: {
    async stat(uri: Uri): Promise<{ type: FileType; ctime: number; mtime: number; size: number }> {
      const { stat } = await import('node:fs/promises');
      const s = await stat(uri.fsPath);
      return { type: s.isDirectory() ? FileType.Directory : s.isFile() ? FileType.File : FileType.Unknown, ctime: s.ctimeMs, mtime: s.mtimeMs, size: s.size };
    },
  },
});
Object.assign(languages, {
  registerHoverProvider: (selector: unknown, provider: unknown) => {
    registeredProviders.push({ kind: 'hover', selector, provider });
    return new Disposable();
  },
  registerCodeActionsProvider: (selector: unknown, provider: unknown) => {
    registeredProviders.push({ kind: 'codeActions', selector, provider });
    return new Disposable();
  },
});

/**
 * `vscode.l10n` with no translation bundle loaded, as VS Code runs in English: `t` returns the message with its
 * `{0}`/`{name}` placeholders filled from the arguments (an array of values, or one record), like VS Code's format.
 */
export const l10n = {
  bundle: undefined,
  uri: undefined,
  t(message: string | { message: string; args?: unknown[] | Record<string, unknown>; comment?: string | string[] }, ...rest: unknown[]): string {
    const template = typeof message === 'string' ? message : message.message;
    const args = typeof message === 'string' ? rest : message.args ?? [];
    const values: Record<string, unknown> = Array.isArray(args)
      ? (args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? args[0] as Record<string, unknown> : { ...args })
      : args;
    if (!Object.keys(values).length) return template;
    return template.replace(/{([^}]+)}/g, (match, key: string) => (values[key] === undefined ? match : String(values[key])));
  },
};
