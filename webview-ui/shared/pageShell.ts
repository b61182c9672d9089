// What every page does at start-up: register components, report errors from the host in a banner, say `ready`.
import './vscodeElements';
import { createElement } from './createElement';
import type { HostMessage } from './messages';
import { onHostMessage, postToHost } from './vscodeApi';

/** The page's root element (from webviewHtml.ts). */
export function appRoot(): HTMLElement {
  const root = document.getElementById('app');
  if (!root) throw new Error('webview page: #app is missing');
  return root;
}

/** Shows (or clears, with null) an error banner at the top of the page. */
export function showError(message: string | null): void {
  const root = appRoot();
  let banner = document.getElementById('error-banner');
  if (!message) { banner?.remove(); return; }
  if (!banner) {
    banner = createElement('div', { className: 'error-banner', attrs: { id: 'error-banner', role: 'alert' } });
    root.prepend(banner);
  }
  banner.textContent = message;
}

/**
 * Wires the page to the host: `handler` receives every host message except `error`, which becomes a banner; then
 * tells the host the page is ready for its data.
 */
export function startPage(handler: (message: Exclude<HostMessage, { type: 'error' }>) => void): void {
  onHostMessage((message) => {
    if (message.type === 'error') { showError(message.message); return; }
    try {
      handler(message);
      appRoot().setAttribute('aria-busy', 'false');
    } catch (err) {
      showError(`This view failed to render: ${(err as Error).message}`);
      throw err;
    }
  });
  postToHost({ type: 'ready' });
}
