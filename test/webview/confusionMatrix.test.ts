// The confusion-matrix page in headless Chromium with a recorded 77-class banking77 run (3,080 test examples) and
// a 6-class emotion-like run: cell sums, normalisation, error-mass order, tooltip, click-through, zoom, screenshots.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildConfusionData } from '../../src/extension/webviews/panelData';
import type { ConfusionData } from '../../webview-ui/shared/messages';
import { writeBankingRun, writeEmotionRun, emotionData, bankingData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';
import type { RunFixture } from './fixtures/writeRunFixture';
import { artifactsDir, cspViolations, postHost, posted, screenshot, setSelectValue, settle, newTestPage, WebviewHarness } from './webviewHarness';

describe('confusion matrix webview', needs(emotionData, bankingData), () => {
  let harness: WebviewHarness;
  let dir: string;
  let banking: RunFixture;
  let emotion: RunFixture;
  let data: ConfusionData;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'cw-confusion-'));
    banking = await writeBankingRun(join(dir, 'banking'));
    emotion = await writeEmotionRun(join(dir, 'emotion'));
    data = await buildConfusionData(banking.runDir, 'test');
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders 77×77 cells whose counts sum to the 3,080 test examples and match the recorded metrics', async () => {
    assert.deepEqual(data.confusion, banking.test.confusion, 'matrix from predictions equals metrics.json confusion');
    await harness.open('confusion', 'dark', page);
    await postHost(page, { type: 'confusion/init', data });
    const cells = await page.$$eval('#matrix .cell', (els) => els.map((e) => ({ g: Number(e.getAttribute('data-gold')), p: Number(e.getAttribute('data-predicted')), n: Number(e.getAttribute('data-count')) })));
    assert.equal(cells.length, 77 * 77);
    assert.equal(cells.reduce((a, c) => a + c.n, 0), 3080);
    const diagonal = cells.filter((c) => c.g === c.p).reduce((a, c) => a + c.n, 0);
    assert.equal(diagonal, Math.round(banking.test.accuracy * 3080));
    assert.equal(await page.$$eval('#matrix .row-label', (els) => els.length), 77);
    assert.match((await page.textContent('#summary'))!, /3080 examples · 77 classes · accuracy/);
    await screenshot(page, 'confusion-banking77-dark');
    assert.deepEqual(await cspViolations(page), []);
    await setSelectValue(page, 'split-select', 'validation');
    assert.deepEqual((await posted(page)).at(-1), { type: 'selectSplit', split: 'validation' });
    await setSelectValue(page, 'split-select', 'test'); // no host answers here: put the control back
  });

  it('orders classes by error mass and shows row-normalised rates', async () => {
    await setSelectValue(page, 'order-select', 'errors');
    const k = data.confusion.length;
    const mass = data.confusion.map((row, g) => row.reduce((a, c, p) => a + (p === g ? 0 : c), 0) + data.confusion.reduce((a, r, gg) => a + (gg === g ? 0 : r[g]), 0));
    const worst = mass.indexOf(Math.max(...mass));
    const firstRowLabel = await page.$eval('#matrix .row-label', (e) => e.textContent);
    assert.equal(firstRowLabel, data.run.labels[worst]);
    assert.equal(k, 77);
    // Zoom in until counts are printed, then switch to rates: the worst class's diagonal cell shows its recall.
    for (let i = 0; i < 4; i++) await page.click('#zoom-in');
    await settle(page);
    assert.equal(await page.textContent('#zoom-label'), '40px');
    const rowSum = data.confusion[worst].reduce((a, b) => a + b, 0);
    const diagText = await page.$eval(`#matrix .cell[data-gold="${worst}"][data-predicted="${worst}"]`, (e) => e.textContent);
    assert.equal(diagText, data.confusion[worst][worst] > 0 ? String(data.confusion[worst][worst]) : '');
    await setSelectValue(page, 'mode-select', 'normalised');
    const rate = await page.$eval(`#matrix .cell[data-gold="${worst}"][data-predicted="${worst}"]`, (e) => e.textContent);
    assert.equal(rate, `${(100 * data.confusion[worst][worst] / rowSum).toFixed(0)}%`);
    await screenshot(page, 'confusion-banking77-zoomed-normalised-dark');
    await setSelectValue(page, 'mode-select', 'counts');
    // Fit width: the largest step whose 77 columns fit the panel, so there is nothing to scroll sideways.
    await page.click('#zoom-fit');
    await settle(page);
    const fit = await page.$eval('#matrix-scroll', (e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    assert.ok(fit.scroll <= fit.client, JSON.stringify(fit));
    await page.click('#zoom-in');
    await settle(page);
    const wider = await page.$eval('#matrix-scroll', (e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    assert.ok(wider.scroll > wider.client, 'one step larger no longer fits');
  });

  it('shows counts and rates on hover and opens the browser for a clicked cell', async () => {
    const g = data.confusion.findIndex((row, i) => row.some((c, p) => p !== i && c > 0));
    const p = data.confusion[g].findIndex((c, j) => j !== g && c > 0);
    const cell = `#matrix .cell[data-gold="${g}"][data-predicted="${p}"]`;
    // Bring the cell clear of the sticky axis labels, then use the mouse where a user would.
    const box = await page.$eval(cell, (e) => {
      const scroller = e.closest('.heatmap-scroll')!;
      const at = e.getBoundingClientRect();
      const frame = scroller.getBoundingClientRect();
      scroller.scrollTop += at.top - frame.top - 300;
      scroller.scrollLeft += at.left - frame.left - 500;
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    assert.equal(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('data-count'), box), String(data.confusion[g][p]));
    await page.mouse.move(box.x, box.y);
    const tip = (await page.textContent('#matrix-tooltip'))!;
    assert.ok(tip.includes(`gold: ${data.run.labels[g]}`) && tip.includes(`predicted: ${data.run.labels[p]}`), tip);
    assert.ok(tip.includes(`${data.confusion[g][p]} example`), tip);
    assert.deepEqual(await page.$$eval('#matrix .hl', (els) => els.map((e) => e.getAttribute('title'))), [data.run.labels[p], data.run.labels[g]]);
    await screenshot(page, 'confusion-banking77-hover-dark');
    await page.mouse.click(box.x, box.y);
    const opened = (await posted(page)).filter((m) => m.type === 'openMisclassified');
    assert.deepEqual(opened.at(-1), { type: 'openMisclassified', runId: data.run.runId, split: 'test', gold: g, predicted: p });
    // Keyboard: Enter on the grid's cursor cell opens it too.
    await page.focus('#matrix');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.equal((await posted(page)).filter((m) => m.type === 'openMisclassified').length, opened.length + 1);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`renders the 6-class emotion matrix (${theme})`, async () => {
      const small = await buildConfusionData(emotion.runDir, 'test');
      await page.evaluate(() => sessionStorage.clear());
      await harness.open('confusion', theme, page);
      await postHost(page, { type: 'confusion/init', data: small });
      const counts = await page.$$eval('#matrix .cell', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      assert.equal(counts.length, 36);
      assert.equal(counts.reduce((a, b) => a + b, 0), emotion.testCount);
      await screenshot(page, `confusion-emotion-${theme}`);
      if (theme === 'light') {
        await page.evaluate(() => sessionStorage.clear());
        await harness.open('confusion', theme, page);
        await postHost(page, { type: 'confusion/init', data });
        await screenshot(page, 'confusion-banking77-light');
      }
    });
  }

  it('restores its view settings after a reload', async () => {
    await setSelectValue(page, 'order-select', 'errors');
    await page.click('#zoom-out');
    const before = await page.textContent('#zoom-label');
    await harness.open('confusion', 'dark', page);
    await postHost(page, { type: 'confusion/init', data });
    assert.equal(await page.textContent('#zoom-label'), before);
    assert.equal(await page.$eval('#order-select', (e) => (e as HTMLElement & { value: string }).value), 'errors');
    const state = await page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState')!));
    assert.deepEqual(state.runDirs, [banking.runDir]);
    assert.deepEqual(pageErrors, []);
  });
});
