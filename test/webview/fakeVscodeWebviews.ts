// A minimal stand-in for the `vscode` API surface the webview hosts use (panels, serializers, documents, commands),
// recording what the hosts do so panelHosts.test.ts can check it without VS Code. Installed by useFakeVscodeWebviews.ts.
import { readFileSync } from 'node:fs';

export class Disposable {
  constructor(private readonly onDispose: () => void = () => {}) {}
  dispose(): void { this.onDispose(); }
}

type Listener<T> = (value: T) => unknown;
class Emitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => { this.listeners = this.listeners.filter((l) => l !== listener); });
  };
  fire(value: T): void { for (const l of [...this.listeners]) l(value); }
}

export class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(path: string): Uri { return new Uri('file', path); }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri(base.scheme, [base.fsPath.replace(/\/$/, ''), ...parts].join('/')); }
  get path(): string { return this.fsPath; }
  toString(): string { return `${this.scheme}://${this.fsPath}`; }
}

export enum ViewColumn { Active = -1, One = 1 }

export class Position { constructor(readonly line: number, readonly character: number) {} }
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}
export class Selection extends Range {}

export const cspSource = 'https://fake.vscode-resource.test';

export class FakeWebview {
  html = '';
  options: Record<string, unknown> = {};
  readonly cspSource = cspSource;
  readonly postedToPage: unknown[] = [];
  private readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): string { return `${cspSource}${uri.fsPath}`; }
  async postMessage(message: unknown): Promise<boolean> { this.postedToPage.push(JSON.parse(JSON.stringify(message))); return true; }
  /** What the page would send. */
  fromPage(message: unknown): void { this.received.fire(message); }
}

export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  disposed = false;
  revealed = 0;
  private readonly disposeEmitter = new Emitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  constructor(readonly viewType: string, public title: string, readonly initialOptions: Record<string, unknown>) {}
  reveal(): void { this.revealed++; }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

export const createdPanels: FakeWebviewPanel[] = [];
export const serializers = new Map<string, { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }>();
export const shownDocuments: Array<{ path: string; selection: Selection }> = [];
export const executedCommands: Array<{ command: string; args: unknown[] }> = [];

export const window = {
  createWebviewPanel(viewType: string, title: string, _column: unknown, options: Record<string, unknown>): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, options);
    createdPanels.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }): Disposable {
    serializers.set(viewType, serializer);
    return new Disposable(() => serializers.delete(viewType));
  },
  async showTextDocument(document: { uri: Uri }, options: { selection: Selection }): Promise<void> {
    shownDocuments.push({ path: document.uri.fsPath, selection: options.selection });
  },
};

export const workspace = {
  async openTextDocument(uri: Uri) {
    const lines = readFileSync(uri.fsPath, 'utf8').split('\n');
    return {
      uri,
      lineCount: lines.length,
      lineAt: (i: number) => ({ text: lines[i], range: new Range(i, 0, i, lines[i].length) }),
    };
  },
  getWorkspaceFolder: (): undefined => undefined,
};

export const commands = {
  async executeCommand(command: string, ...args: unknown[]): Promise<void> { executedCommands.push({ command, args }); },
};

/** `vscode.l10n` without a bundle (English): fills `{0}`/`{name}` placeholders as VS Code does. */
export const l10n = {
  t(message: string, ...args: unknown[]): string {
    const values: Record<string, unknown> = args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? args[0] as Record<string, unknown> : { ...args };
    if (!Object.keys(values).length) return message;
    return message.replace(/{([^}]+)}/g, (match, key: string) => (values[key] === undefined ? match : String(values[key])));
  },
};
