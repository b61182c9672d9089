// Dataset text, label names and run fields are hostile input: every page must show them as text, create no element
// from them and run no script; and the CSP must stop an inline script or handler even if one got into the DOM.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildCompareData, buildConfusionData, buildExamplesData } from '../../src/extension/webviews/panelData';
import { readRunRecord } from '../../src/extension/webviews/runFiles';
import { hostileTexts, writeEmotionRun, emotionData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';
import type { RunFixture } from './fixtures/writeRunFixture';
import { cspViolations, postHost, settle, newTestPage, WebviewHarness } from './webviewHarness';

/** Elements hostile text would create, and whether any of its scripts ran. */
async function injected(page: Page): Promise<{ elements: number; scripts: number; xss: unknown }> {
  return page.evaluate(() => ({
    elements: document.querySelectorAll('img, svg, iframe, b, object, embed').length,
    scripts: document.scripts.length,
    xss: (window as unknown as { __xss?: unknown }).__xss,
  }));
}

describe('webview pages render hostile text inertly', needs(emotionData), () => {
  let harness: WebviewHarness;
  let dir: string;
  let fixture: RunFixture;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-xss-'));
    fixture = await writeEmotionRun(dir);
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows hostile example texts verbatim in the browser rows and detail pane', async () => {
    const { data } = await buildExamplesData(fixture.runDir, 'test');
    await harness.open('examples', 'dark', page);
    await postHost(page, { type: 'examples/init', data, filter: { correctness: 'all' } });
    await page.locator('#search input').fill('<');
    await settle(page);
    const texts = await page.$$eval('#examples-list .vrow:not([hidden]) .vcell:nth-child(2)', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual([...texts].sort(), [...hostileTexts].sort());
    for (let i = 0; i < hostileTexts.length; i++) {
      await page.click(`#examples-list .vrow[data-position="${i}"]`);
      assert.ok(hostileTexts.includes((await page.textContent('#detail-text'))!));
    }
    assert.deepEqual(await injected(page), { elements: 0, scripts: 1, xss: undefined });
  });

  it('shows hostile label names and run fields as text on the matrix, dashboard and comparison', async () => {
    const confusion = await buildConfusionData(fixture.runDir, 'test');
    confusion.run.labels = confusion.run.labels.map((l, i) => (i < hostileTexts.length ? hostileTexts[i] : l));
    await harness.open('confusion', 'dark', page);
    await postHost(page, { type: 'confusion/init', data: confusion });
    await page.hover('#matrix .cell[data-gold="0"][data-predicted="1"]');
    assert.ok((await page.textContent('#matrix-tooltip'))!.includes(hostileTexts[0]));
    assert.deepEqual(await page.$$eval('#matrix .row-label', (els) => els.slice(0, 4).map((e) => e.textContent)), hostileTexts);
    assert.deepEqual(await injected(page), { elements: 0, scripts: 1, xss: undefined });

    const record = await readRunRecord(fixture.runDir);
    record.run.title = hostileTexts[1];
    record.run.hyperparameters.push(['note', hostileTexts[0]]);
    for (const m of [record.baseline, record.final, record.test]) m?.perClass.forEach((c, i) => { if (i < 4) c.label = hostileTexts[i]; });
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: record });
    assert.equal(await page.textContent('#run-title'), hostileTexts[1]);
    assert.deepEqual(await injected(page), { elements: 0, scripts: 1, xss: undefined });

    const compare = await buildCompareData([fixture.runDir, fixture.runDir]);
    compare.runs[1].run.runId = hostileTexts[2];
    compare.runs[1].run.labels = hostileTexts;
    await harness.open('compare', 'dark', page);
    await postHost(page, { type: 'compare/init', data: compare });
    assert.ok((await page.textContent('#runs'))!.includes(hostileTexts[2]));
    assert.deepEqual(await injected(page), { elements: 0, scripts: 1, xss: undefined });
    assert.deepEqual(pageErrors, []);
  });

  it('blocks an inline script and an inline handler even if one reached the DOM (CSP)', async () => {
    await harness.open('examples', 'dark', page);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__xss = "inline script ran"';
      document.body.append(s);
      const d = document.createElement('div');
      d.id = 'handler-target';
      d.setAttribute('onclick', 'window.__xss = "inline handler ran"');
      d.textContent = 'click me';
      document.body.append(d);
    });
    await page.click('#handler-target');
    await settle(page);
    assert.equal((await injected(page)).xss, undefined);
    const violations = await cspViolations(page);
    assert.ok(violations.filter((v) => v.startsWith('script-src')).length >= 2, violations.join('\n'));
  });
});
