// The run comparison page in headless Chromium with two recorded emotion-like runs of different quality.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildCompareData } from '../../src/extension/webviews/panelData';
import type { CompareData } from '../../webview-ui/shared/messages';
import { writeEmotionRun, emotionData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';
import { artifactsDir, cspViolations, postHost, posted, screenshot, newTestPage, WebviewHarness } from './webviewHarness';

describe('run comparison webview', needs(emotionData), () => {
  let harness: WebviewHarness;
  let dir: string;
  let data: CompareData;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'cw-compare-'));
    const a = await writeEmotionRun(join(dir, 'a'), 'emotion-full');
    const b = await writeEmotionRun(join(dir, 'b'), 'emotion-lora', 0.8, 8);
    data = await buildCompareData([a.runDir, b.runDir]);
    assert.ok(data.runs.every((r) => r.run.hyperparameters.some(([k]) => k === 'seed')));
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`shows both runs' metrics, per-class F1 deltas and overlaid curves (${theme})`, async () => {
      await harness.open('compare', theme, page);
      await postHost(page, { type: 'compare/init', data });
      const accuracy = await page.$$eval('#metrics-table tr[data-metric="accuracy"] td', (tds) => tds.map((t) => t.textContent));
      assert.deepEqual(accuracy.slice(1, 3), data.runs.map((r) => `${(r.test!.accuracy * 100).toFixed(1)}%`));
      assert.equal(accuracy[0], 'Accuracy (test)', 'the row says which split its numbers are from');
      const rows = await page.$$eval('#f1-deltas tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.equal(rows.length, 6);
      assert.ok(rows.some((r) => r[3] !== '±0.0 pp'), 'the two runs differ per class');
      for (const [label, f1a, f1b] of rows) {
        const i = data.runs[0].run.labels.indexOf(label!);
        assert.equal(f1a, `${(data.runs[0].test!.perClass[i].f1 * 100).toFixed(1)}%`);
        assert.equal(f1b, `${(data.runs[1].test!.perClass[i].f1 * 100).toFixed(1)}%`);
      }
      // The two fixtures differ only in their seed (7 vs 8).
      const settings = await page.$$eval('#settings-diff tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.deepEqual(settings, [['seed', '7', '8']]);
      const drawn = await page.$$eval('#compare-charts figure.chart', (els) => els.map((e) => e.getAttribute('data-drawn')));
      const evaluations = data.runs[0].epochs.length;
      assert.deepEqual(drawn, [1, 2, 3].map(() => `${evaluations},${evaluations}`));
      await screenshot(page, `compare-${theme}`);
      assert.deepEqual(await cspViolations(page), []);
    });
  }

  it('long run ids as column headers are cut with an ellipsis and a tooltip, so no column leaves the screen', async () => {
    await page.setViewportSize({ width: 900, height: 700 });
    const longId = (i: number) => `2026-11-20T17-17-0${i}-goemotions-simplified-train-sentence-transformers-paraphrase-multilingual-MiniLM-L12-v2-lora-${i}`;
    const long: CompareData = { runs: data.runs.map((r, i) => ({ ...r, run: { ...r.run, runId: longId(i) } })) };
    await harness.open('compare', 'dark', page);
    await postHost(page, { type: 'compare/init', data: long });
    const headers = await page.$$eval('#metrics-table thead th', (ths) => ths.map((th) => ({ title: th.getAttribute('title'), right: th.getBoundingClientRect().right })));
    assert.deepEqual(headers.slice(1, 3).map((h) => h.title), [`1. ${longId(0)}`, `2. ${longId(1)}`], 'the whole id in the tooltip');
    for (const h of headers) assert.ok(h.right <= 900, `every column, the change column too, is on screen (right edge ${h.right})`);
    const deltaHeaders = await page.$$eval('#f1-deltas thead th', (ths) => ths.map((th) => [th.getAttribute('title'), th.getBoundingClientRect().width]));
    assert.equal(deltaHeaders[1][0], `1. ${longId(0)}`);
    assert.ok((deltaHeaders[1][1] as number) < 400, 'the per-class header is cut too');
    await postHost(page, { type: 'compare/init', data });
  });

  it('asks the host to pick runs', async () => {
    await page.click('#pick-runs');
    assert.deepEqual((await posted(page)).at(-1), { type: 'pickRuns' });
    const state = await page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState')!));
    assert.deepEqual(state.runDirs, data.runs.map((r) => r.run.runDir));
    assert.deepEqual(pageErrors, []);
  });
});
