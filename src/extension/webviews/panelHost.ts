// The part every webview panel host shares: the panel options (scripts on, resources only from dist/webview), the
// HTML from webviewHtml.ts, message validation before dispatch, and disposal. One subclass per page.
import * as vscode from 'vscode';
import type { HostMessage, PageMessage } from '../../../webview-ui/shared/messages';
import { parsePageMessage } from './parsePageMessage';
import { renderWebviewHtml, type WebviewPage } from './webviewHtml';
import type { WebviewServices } from './webviewServices';

/** Options for every panel: the only local resource root is the bundled webview folder. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    // Pages keep their view state with setState and rebuild from host data, so hidden panels need no live DOM.
    retainContextWhenHidden: false,
    // Ctrl+F over example texts and label names.
    enableFindWidget: true,
  };
}

export abstract class PanelHost {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposeListeners: Array<() => void> = [];

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly extensionUri: vscode.Uri,
    protected readonly services: WebviewServices,
    page: WebviewPage,
  ) {
    // Reset options on every construction: a revived panel comes back with whatever options it had before.
    panel.webview.options = webviewOptions(extensionUri);
    const webview = panel.webview;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
    webview.html = renderWebviewHtml({
      page, title: panel.title, cspSource: webview.cspSource, scriptUri: asset(`${page}.js`), styleUri: asset(`${page}.css`),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Called once the panel is closed. */
  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  protected post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message = parsePageMessage(raw);
    if (!message) {
      this.services.log(`Webview ${this.panel.viewType}: rejected a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.handle(message).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      this.services.log(`Webview ${this.panel.viewType}: ${text}`);
      this.post({ type: 'error', message: text });
    });
  }

  /** Acts on one validated message; each subclass switches exhaustively over PageMessage. */
  protected abstract handle(message: PageMessage): Promise<void>;

  /** Rejects a message that is well-formed but makes no sense for this panel (wrong run or wrong page). */
  protected reject(message: PageMessage): void {
    this.services.log(`Webview ${this.panel.viewType}: ignored ${message.type} (not for this panel)`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.disposeListeners) l();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
