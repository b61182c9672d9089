// Builds the HTML shell of every webview page: a strict Content-Security-Policy with a fresh nonce per render,
// the page's bundled script and stylesheet from dist/webview, and nothing else. No vscode import, so the
// Chromium tests render the very same HTML.
import { randomBytes } from 'node:crypto';

/** Names of the bundled pages (folders of webview-ui/ with a main.ts). */
export type WebviewPage = 'dashboard' | 'confusion' | 'examples' | 'compare';

export interface WebviewHtmlOptions {
  page: WebviewPage;
  title: string;
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  /** Webview URI of dist/webview/<page>.js. */
  scriptUri: string;
  /** Webview URI of dist/webview/<page>.css. */
  styleUri: string;
  /** Per-render nonce; defaults to a fresh one. */
  nonce?: string;
}

/** A fresh base64 nonce from 16 random bytes: unguessable, so injected markup cannot carry a valid one. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy of a page: nothing by default; scripts only with the nonce; styles from the bundle
 * (and nonce'd); images, fonts from the bundle or data: (uPlot's canvas exports, codicons); no network at all.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The full HTML of a page. Data never goes into this string: it arrives by `postMessage` after the page says `ready`.
 * @returns HTML with the CSP meta tag, the stylesheet and one nonce'd module script.
 */
export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const nonce = options.nonce ?? createNonce();
  const csp = contentSecurityPolicy(options.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${escapeAttribute(nonce)}" href="${escapeAttribute(options.styleUri)}">
<title>${escapeAttribute(options.title)}</title>
</head>
<body data-page="${options.page}">
<main id="app" aria-busy="true"></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>`;
}
