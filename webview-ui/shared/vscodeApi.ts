// The page's one handle on VS Code: acquireVsCodeApi() may be called only once per page, so it lives here.
import type { HostMessage, PageMessage, PanelState } from './messages';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

/** Sends a message to the extension host (which validates it before acting). */
export function postToHost(message: PageMessage): void {
  api.postMessage(message);
}

/** The state saved before a reload, if any. */
export function loadPanelState(): PanelState | undefined {
  return api.getState();
}

/** Saves what the serializer needs to restore the panel, plus page-local view settings. */
export function savePanelState(state: PanelState): void {
  api.setState(state);
}

/** Subscribes to host messages; anything without a string `type` is ignored. */
export function onHostMessage(handler: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') handler(data as HostMessage);
  });
}
