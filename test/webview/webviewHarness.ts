// Test harness for the webview pages in a real headless Chromium: serves the bundled pages from dist/webview behind
// the production HTML and CSP (webviewHtml.ts) on a fake origin, stubs acquireVsCodeApi, applies a VS Code theme and
// posts host messages. One browser per test file; pages are reused across a file's tests.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderWebviewHtml, type WebviewPage } from '../../src/extension/webviews/webviewHtml';
import type { HostMessage, PageMessage } from '../../webview-ui/shared/messages';
import { themes, type ThemeName } from './fixtures/themes';

export const origin = 'https://webview.test';
const root = join(__dirname, '..', '..');
const distWebview = join(root, 'dist', 'webview');
export const artifactsDir = join(root, 'test', 'webview', 'artifacts');

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html' };

/**
 * Runs in every page before its scripts: the VS Code API stub, state kept in sessionStorage across reloads (as VS Code
 * keeps it across a window reload), and a log of CSP violations. A string, because tsx's transpiled functions
 * reference helpers that do not exist in the page.
 */
const installStubs = `
  window.__posted = [];
  window.__cspViolations = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi() called twice');
    acquired = true;
    return {
      postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => { const s = sessionStorage.getItem('vscodeState'); return s ? JSON.parse(s) : undefined; },
      setState: (s) => { sessionStorage.setItem('vscodeState', JSON.stringify(s)); },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
  });
`;

export class WebviewHarness {
  private constructor(readonly context: BrowserContext, private readonly userDataDir: string) {}

  /** Launches Debian's chromium headless with a fresh profile; fails clearly when the bundle was not built. */
  static async launch(): Promise<WebviewHarness> {
    for (const page of ['dashboard', 'confusion', 'examples', 'compare']) {
      if (!existsSync(join(distWebview, `${page}.js`))) throw new Error(`${join(distWebview, page)}.js is missing: run \`npm run build\` first.`);
    }
    const userDataDir = mkdtempSync(join(tmpdir(), 'cw-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    await context.addInitScript({ content: installStubs });
    // Nothing leaves the machine: our origin is served from disk, everything else is refused.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) { await route.abort('blockedbyclient'); return; }
      const name = url.pathname.slice(1);
      const page = /^(dashboard|confusion|examples|compare)\.html$/.exec(name)?.[1] as WebviewPage | undefined;
      if (page) {
        const html = renderWebviewHtml({ page, title: page, cspSource: origin, scriptUri: `${origin}/${page}.js`, styleUri: `${origin}/${page}.css` });
        await route.fulfill({ status: 200, contentType: 'text/html', body: html });
        return;
      }
      const file = join(distWebview, name);
      if (!/^[\w.-]+$/.test(name) || !existsSync(file)) { await route.fulfill({ status: 404, body: '' }); return; }
      await route.fulfill({ status: 200, contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
    return new WebviewHarness(context, userDataDir);
  }

  /** Opens a page, waits for its `ready`, applies the theme. */
  async open(page: WebviewPage, theme: ThemeName = 'dark', existing?: Page): Promise<Page> {
    const p = existing ?? await this.context.newPage();
    p.setDefaultTimeout(10_000);
    await p.goto(`${origin}/${page}.html`);
    await p.waitForFunction("window.__posted.some((m) => m.type === 'ready')");
    await setTheme(p, theme);
    return p;
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

// Page-side code below is passed as strings: these helpers are also used by bench/webview.ts, which is type-checked
// without the DOM library, and tsx-compiled functions can reference helpers that do not exist in the page.

/** Sets VS Code's theme variables and body class as VS Code does (CSSOM on <html>, class on <body>). */
export async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  await page.evaluate(`(() => {
    for (const [k, v] of Object.entries(${JSON.stringify(themes[theme])})) document.documentElement.style.setProperty(k, v);
    document.body.classList.remove('vscode-light', 'vscode-dark');
    document.body.classList.add('vscode-${theme}');
  })()`);
}

/** Posts a host message to the page and waits until it has rendered (two animation frames). */
export async function postHost(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  await settle(page);
}

export async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))');
}

/** Messages the page posted to the host so far. */
export async function posted(page: Page): Promise<PageMessage[]> {
  return page.evaluate('window.__posted') as Promise<PageMessage[]>;
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate('window.__cspViolations') as Promise<string[]>;
}

/** Sets a <vscode-single-select>'s value and fires `change`, as picking an option does. */
export async function setSelectValue(page: Page, id: string, value: string): Promise<void> {
  await page.evaluate(`(() => {
    const el = document.getElementById(${JSON.stringify(id)});
    el.value = ${JSON.stringify(value)};
    el.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
  await settle(page);
}

/** A fresh tab with short timeouts whose uncaught errors are collected in `errors`. */
export async function newTestPage(harness: WebviewHarness, errors: string[]): Promise<Page> {
  const page = await harness.context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/** Saves a screenshot of the viewport (or the whole page) to test/webview/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
