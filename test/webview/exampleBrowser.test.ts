// The misclassified-example browser in headless Chromium with the 3,080-example banking77 run: virtualisation,
// filters, sorting, keyboard navigation, open-at-source messages and state restored after a reload.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildExamplesData } from '../../src/extension/webviews/panelData';
import type { ExamplesData } from '../../webview-ui/shared/messages';
import { writeBankingRun, bankingData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';
import { artifactsDir, cspViolations, postHost, posted, screenshot, setSelectValue, settle, newTestPage, WebviewHarness } from './webviewHarness';

const resultCount = (page: Page) => page.textContent('#result-count');
const shownRows = (page: Page) => page.$$eval('#examples-list .vrow:not([hidden])', (rows) => rows.map((r) => ({
  position: Number(r.getAttribute('data-position')), cells: [...r.children].map((c) => c.textContent ?? ''), selected: r.classList.contains('selected'),
})).sort((a, b) => a.position - b.position));

describe('example browser webview', needs(bankingData), () => {
  let harness: WebviewHarness;
  let dir: string;
  let data: ExamplesData;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'cw-examples-'));
    const banking = await writeBankingRun(dir);
    data = (await buildExamplesData(banking.runDir, 'test')).data;
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the misclassified examples, rendering only the rows in view', async () => {
    await harness.open('examples', 'dark', page);
    await postHost(page, { type: 'examples/init', data, filter: null });
    const wrong = data.rows.filter((r) => r.gold !== r.predicted);
    assert.equal(data.rows.length, 3080);
    assert.equal(await resultCount(page), `${wrong.length} of 3080`);
    const rows = await shownRows(page);
    assert.ok(rows.length > 10 && rows.length < 80, `${rows.length} rows in the DOM`);
    // Default sort: highest loss first.
    const maxLoss = Math.max(...wrong.map((r) => r.loss));
    assert.equal(rows[0].cells[5], maxLoss.toFixed(2));
    await screenshot(page, 'examples-banking77-dark');
    assert.deepEqual(await cspViolations(page), []);
  });

  it('filters to a confusion-matrix cell, by text and by confidence, and sorts by confidence', async () => {
    const pair = data.rows.find((r) => r.gold !== r.predicted)!;
    const expected = data.rows.filter((r) => r.gold === pair.gold && r.predicted === pair.predicted);
    await postHost(page, { type: 'examples/filter', filter: { gold: pair.gold, predicted: pair.predicted, correctness: 'incorrect' } });
    assert.equal(await resultCount(page), `${expected.length} of 3080`);
    for (const row of await shownRows(page)) {
      assert.equal(row.cells[2], data.run.labels[pair.gold]);
      assert.equal(row.cells[3], data.run.labels[pair.predicted]);
    }
    await page.click('#reset-filters');
    await setSelectValue(page, 'correctness-select', 'all');
    await page.locator('#search input').fill('card');
    await settle(page);
    const withCard = data.rows.filter((r) => r.text.toLowerCase().includes('card'));
    assert.equal(await resultCount(page), `${withCard.length} of 3080`);
    await page.locator('#min-confidence input').fill('0.9');
    await settle(page);
    const confident = withCard.filter((r) => r.confidence >= 0.9);
    assert.ok(confident.length > 0 && confident.length < withCard.length, 'the confidence filter must keep some rows and drop others');
    assert.equal(await resultCount(page), `${confident.length} of 3080`);
    await setSelectValue(page, 'sort-select', 'confidence-asc');
    const first = (await shownRows(page))[0];
    assert.equal(first.cells[4], `${(Math.min(...confident.map((r) => r.confidence)) * 100).toFixed(1)}%`);
    await screenshot(page, 'examples-banking77-filtered-dark');
    // The Loss header sorts too: highest first, then (again) lowest first.
    const lossHeader = '#examples-list >> xpath=.. >> .vhead .vcell:nth-child(6)';
    await page.click(lossHeader);
    await settle(page);
    assert.equal(await page.getAttribute(lossHeader, 'aria-sort'), 'descending');
    assert.equal(await page.$eval('#sort-select', (e) => (e as HTMLElement & { value: string }).value), 'loss-desc');
    assert.equal((await shownRows(page))[0].cells[5], Math.max(...confident.map((r) => r.loss)).toFixed(2));
    await page.click(lossHeader);
    await settle(page);
    assert.equal(await page.getAttribute(lossHeader, 'aria-sort'), 'ascending');
    assert.equal((await shownRows(page))[0].cells[5], Math.min(...confident.map((r) => r.loss)).toFixed(2));
  });

  it('moves the selection with the keyboard and asks the host to open the source line', async () => {
    await page.click('#reset-filters');
    await setSelectValue(page, 'sort-select', 'index');
    await page.focus('#examples-list');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await settle(page);
    const wrong = data.rows.filter((r) => r.gold !== r.predicted);
    const selected = (await shownRows(page)).find((r) => r.selected)!;
    assert.equal(selected.position, 2);
    assert.equal(await page.textContent('#detail-text'), wrong[2].text);
    const top = (await page.textContent('#detail-top'))!;
    const [bestId, bestP] = wrong[2].top[0];
    assert.equal(bestId, wrong[2].predicted);
    assert.ok(top.includes(`${data.run.labels[bestId]} ${(bestP * 100).toFixed(1)}%`), top);
    await screenshot(page, 'examples-banking77-selected-dark');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'openExample', runId: data.run.runId, split: 'test', index: wrong[2].index });
    await page.keyboard.press('End');
    await settle(page);
    const last = (await shownRows(page)).find((r) => r.selected)!;
    assert.equal(last.position, wrong.length - 1);
    await page.keyboard.press('Home');
    await settle(page);
    // A click selects, as the hint says; Enter or a double-click opens.
    const sent = (await posted(page)).length;
    await page.click('#examples-list .vrow[data-position="1"]');
    await settle(page);
    assert.equal((await posted(page)).length, sent, 'a single click does not open the editor');
    assert.equal((await shownRows(page)).find((r) => r.selected)?.position, 1);
    assert.equal(await page.textContent('#detail-text'), wrong[1].text);
    await page.dblclick('#examples-list .vrow[data-position="1"]');
    assert.deepEqual((await posted(page)).at(-1), { type: 'openExample', runId: data.run.runId, split: 'test', index: wrong[1].index });
  });

  it('the Gold combobox filters its options by what is typed, never appends to the chosen label, and drops unchosen text', async () => {
    await page.click('#reset-filters');
    await settle(page);
    const box = page.locator('#gold-select input.combobox-input');
    await box.click();
    await page.keyboard.type('top_up');
    await settle(page);
    const shown = await page.locator('#gold-select li.option').allTextContents();
    const expected = data.run.labels.filter((l) => l.includes('top_up'));
    assert.ok(expected.length >= 2, 'banking77 has several top-up labels');
    assert.deepEqual(shown.map((t) => t.trim()), expected, 'only the labels containing the typed text are offered');
    assert.equal(await box.inputValue(), 'top_up', 'typing replaced the chosen "Any" instead of appending to it');
    await page.keyboard.press('Escape');
    await page.click('#title');
    await settle(page);
    assert.equal(await box.inputValue(), 'Any', 'text typed without choosing an option does not stay');
    assert.equal(await page.$eval('#gold-select', (e) => (e as HTMLElement & { value: string }).value), '');
  });

  it('cells cut by their width keep the whole label and text in a tooltip', async () => {
    const row = page.locator('#examples-list .vrow:not([hidden])').first();
    const [text, gold, predicted] = await Promise.all([2, 3, 4].map((n) => row.locator(`.vcell:nth-child(${n})`).getAttribute('title')));
    const cells = await row.locator('.vcell').allTextContents();
    assert.deepEqual([text, gold, predicted], [cells[1], cells[2], cells[3]]);
    assert.ok(data.run.labels.includes(gold!));
  });

  it('keeps filters and sort across a reload', async () => {
    await page.locator('#search input').fill('refund');
    await setSelectValue(page, 'sort-select', 'confidence-desc');
    await settle(page);
    const count = await resultCount(page);
    await harness.open('examples', 'light', page);
    await postHost(page, { type: 'examples/init', data, filter: null });
    assert.equal(await resultCount(page), count);
    assert.equal(await page.$eval('#sort-select', (e) => (e as HTMLElement & { value: string }).value), 'confidence-desc');
    assert.equal(await page.$eval('#search', (e) => (e as HTMLElement & { value: string }).value), 'refund');
    await screenshot(page, 'examples-banking77-light');
    assert.deepEqual(pageErrors, []);
  });
});
