// Drives the VS Code workbench that code-server serves, in Debian's chromium through playwright-core: opening the
// folder, the workspace-trust dialog, the command palette, views, context menus and screenshots.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const artifactsDir = join(__dirname, '..', 'artifacts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails with what to install when chromium is missing (checked before the slow code-server install). */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`The e2e tests drive Debian's chromium, not found at ${chromiumPath}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH.`);
  }
}

export class Workbench {
  private shots = 0;
  private constructor(private readonly context: BrowserContext, readonly page: Page, private readonly profile: string, private readonly prefix: string) {}

  /** Launches headless chromium with a fresh profile and opens `folder` in the workbench at `url`. */
  static async open(url: string, folder: string, screenshotPrefix: string): Promise<Workbench> {
    requireChromium();
    const profile = mkdtempSync(join(tmpdir(), 'cw-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1600, height: 1000 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(30_000);
    mkdirSync(artifactsDir, { recursive: true });
    // Screenshots of an earlier run of the same scenarios would mislead.
    for (const f of readdirSync(artifactsDir)) if (f.startsWith(`${screenshotPrefix}-`)) rmSync(join(artifactsDir, f));
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
    return new Workbench(context, page, profile, screenshotPrefix);
  }

  /**
   * Saves a screenshot of the whole window (or of `part`, e.g. the side bar) as
   * test/e2e/artifacts/<prefix>-<n>-<name>.png and returns its path.
   */
  async screenshot(name: string, part?: Locator): Promise<string> {
    const file = join(artifactsDir, `${this.prefix}-${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await (part ?? this.page).screenshot({ path: file });
    return file;
  }

  /** Answers the workspace-trust dialog VS Code shows for a folder it has not seen. */
  async answerTrustDialog(trust: boolean): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: trust ? /Yes, I trust/ : /No, I don.t trust/ }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Runs a command by its palette title (e.g. "Classifier Workbench: Find label issues"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    // Enter runs the focused row: wait until the filter has made this command that row.
    const item = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first();
    await item.waitFor();
    await input.press('Enter');
  }

  /** The quick-input widget (command palette, quick picks). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Shows the Classifier Workbench view container from the activity bar. A click on the icon of the container already
   * shown hides the side bar, so the icon is clicked only when another container is active or the side bar is hidden.
   * (When the extension itself reveals one of its views, wait for that instead of calling this: the two would race.)
   */
  async showWorkbenchViews(): Promise<void> {
    const tab = this.page.locator('.activitybar .action-item', { has: this.page.locator('[aria-label^="Classifier Workbench"]') }).first();
    await tab.waitFor();
    const sidebarTitle = this.page.locator('.part.sidebar .title-label', { hasText: /Classifier Workbench/i });
    if (await sidebarTitle.isVisible()) return;
    const active = (await tab.getAttribute('class'))?.split(/\s+/).includes('checked') ?? false;
    if (!active || !(await this.page.locator('.part.sidebar').isVisible())) await tab.click();
    await sidebarTitle.waitFor();
  }

  /** A view pane of the side bar by its title ("Runs", "Datasets", "Explorer" sections). */
  viewPane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) });
  }

  /** Right-clicks `target` and picks `item` from the context menu. */
  async contextMenu(target: Locator, item: string | RegExp): Promise<void> {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    const entry = menu.locator('.action-item', { hasText: item }).first();
    await entry.waitFor();
    await entry.hover();
    await entry.click();
    // A tree repaint under an open menu can swallow the click; the hovered entry is focused, so Enter picks it.
    if (await menu.isVisible().catch(() => false)) {
      await this.page.waitForTimeout(300);
      if (await menu.isVisible().catch(() => false)) await this.page.keyboard.press('Enter');
    }
    await menu.waitFor({ state: 'hidden' });
  }

  /** Shows the Explorer and returns the row of `relativePath` ("emotion/train.jsonl"), expanding its folders. */
  async explorerItem(relativePath: string): Promise<Locator> {
    const explorerTab = this.page.locator('.activitybar [aria-label^="Explorer"]').first();
    const explorer = this.page.locator('.part.sidebar .explorer-folders-view');
    if (!(await explorer.isVisible())) await explorerTab.click();
    await explorer.waitFor();
    const parts = relativePath.split('/');
    let parent = -1;
    for (let i = 0; i < parts.length; i++) {
      const label = this.page.locator('.label-name', { hasText: new RegExp(`^${parts[i].replace(/\./g, '\\.')}$`) });
      const named = explorer.locator(`.monaco-list-row[aria-level="${i + 1}"]`, { has: label });
      const index = await this.childRowIndex(parent, i + 1, parts[i], relativePath);
      // Two folders may both hold a `train.jsonl`: then the row is told by its index, and by its name too (rows shift
      // when files appear: a shifted row is waited for, never its neighbour taken).
      const row = (await named.count()) === 1 ? named : explorer.locator(`.monaco-list-row[aria-level="${i + 1}"][data-index="${index}"]`, { has: label });
      if (i === parts.length - 1) return row;
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      parent = index;
    }
    throw new Error('unreachable');
  }

  /**
   * The list index of the Explorer row named `name` at `level` inside the folder row at index `parent` (-1: the
   * workspace root), once it is rendered (30 s at most). The list is flat: a folder's children are the rows after it
   * up to the next row at the folder's level or above.
   */
  private async childRowIndex(parent: number, level: number, name: string, what: string): Promise<number> {
    const deadline = Date.now() + 30_000;
    // VS Code's own Explorer can miss a file written into a folder just created (its file watcher, @parcel/watcher,
    // then reports only the folder): after 10 s the harness does what a user does, Refresh Explorer, once.
    // Our Datasets view has its own answer to that race (CreatedFolderWatcher); the journey asserts it separately.
    let refreshAt = Date.now() + 10_000;
    let expandAt = 0;
    for (;;) {
      const rows = await this.page.locator('.part.sidebar .explorer-folders-view .monaco-list-row').evaluateAll((els) => els.map((el) => ({
        index: Number(el.getAttribute('data-index')),
        level: Number(el.getAttribute('aria-level')),
        name: el.querySelector('.label-name')?.textContent ?? '',
        expanded: el.getAttribute('aria-expanded'),
      })));
      rows.sort((x, y) => x.index - y.index);
      const end = rows.find((r) => r.index > parent && r.level < level)?.index ?? Infinity;
      const found = rows.find((r) => r.index > parent && r.index < end && r.level === level && r.name === name);
      if (found) return found.index;
      // A folder whose new file the watcher missed expands empty, and the refresh can leave it collapsed: open it again.
      const folder = rows.find((r) => r.index === parent);
      if (folder?.expanded === 'false' && Date.now() > expandAt) {
        expandAt = Date.now() + 2000;
        await this.page.locator(`.part.sidebar .explorer-folders-view .monaco-list-row[data-index="${parent}"]`).click().catch(() => undefined);
      }
      if (Date.now() > deadline) throw new Error(`${what} is not shown in the Explorer (even after Refresh Explorer)`);
      if (Date.now() > refreshAt) {
        refreshAt = Infinity;
        // Code-server lists the command as "Refresh Explorer", without the "File:" category.
        await this.runCommand('Refresh Explorer');
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** Drags the side bar's edge so tree descriptions (model, metrics) are readable in screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Collapses or expands a side-bar section. */
  async setPaneExpanded(title: string, expanded: boolean): Promise<void> {
    const header = this.viewPane(title).locator('.pane-header').first();
    if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
  }

  /** The visible webview panel's page (VS Code nests it in an inner iframe). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  }

  /** The text of the status bar's cursor position item ("Ln 12, Col 1"). */
  async cursorPosition(): Promise<{ line: number; column: number }> {
    const item = this.page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
    await item.waitFor();
    const m = /Ln (\d+), Col (\d+)/.exec(await item.innerText());
    if (!m) throw new Error('no cursor position in the status bar');
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: relativePath.split('/').pop()! }).first().waitFor();
    await input.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: relativePath.split('/').pop()! }).waitFor();
  }

  /** The rendered editor line that contains `text` (the line must be on screen). */
  editorLine(text: string): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line', { hasText: text }).first();
  }

  /** Moves the mouse over `target` and waits for the editor hover; returns its text. */
  async hoverText(target: Locator, expected: RegExp): Promise<string> {
    const box = await target.boundingBox();
    if (!box) throw new Error('nothing to hover');
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expected }).first();
    // Move in small steps: the editor shows a hover after the mouse rests on a word.
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.mouse.move(box.x + 40 + attempt * 15, box.y + box.height / 2, { steps: 4 });
      if (await hover.waitFor({ timeout: 15_000 }).then(() => true, () => false)) return hover.innerText();
    }
    throw new Error(`no hover matching ${expected} over ${await target.innerText()}`);
  }

  /**
   * Moves the mouse onto `target` (from outside it, so the editor sees a new hover) and returns the hover's text once
   * it shows `expected` and every hover provider has answered (VS Code shows "Loading..." until then): the text then
   * holds all there is to show, so what it lacks is absent, not late.
   */
  async settledHoverText(target: Locator, expected: RegExp): Promise<string> {
    const box = await target.boundingBox();
    if (!box) throw new Error('nothing to hover');
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expected }).filter({ hasNotText: /Loading\.\.\./ }).first();
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press('Escape');
      await this.page.mouse.move(box.x + box.width / 2, box.y - 200, { steps: 2 });
      await this.page.mouse.move(box.x + 40 + attempt * 15, box.y + box.height / 2, { steps: 4 });
      if (await hover.waitFor({ timeout: 15_000 }).then(() => true, () => false)) return hover.innerText();
    }
    throw new Error(`no settled hover matching ${expected} over ${await target.innerText()}`);
  }

  /** The Explorer's selected rows (what "Reveal in Explorer" selects). */
  explorerSelection(): Locator {
    return this.page.locator('.part.sidebar .explorer-folders-view .monaco-list-row[aria-selected="true"]');
  }

  /** Dismisses every notification, so the next screenshot shows what is under them. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.notifications().first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  }

  /** Notification toasts currently shown. */
  notifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
