// The four pages with a multi-label run recorded from the real engine (n-gram on GoEmotions, 28 labels): the
// dashboard's and comparison's multi-label metrics, the per-label 2×2 grids that replace the K×K matrix, and the
// example browser's missed/extra filters. Expected values are read from the run's own metrics.json and
// predictions/test.jsonl, never typed in. Screenshots in light and dark.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildCompareData, buildConfusionData, buildExamplesData, labelOutcomeFilter } from '../../src/extension/webviews/panelData';

import { readRunRecord } from '../../src/extension/webviews/runFiles';
import type { ClassificationMetrics } from '../../src/protocol/metrics';
import type { ConfusionData, ExamplesData, HostMessage } from '../../webview-ui/shared/messages';
import { artifactsDir, cspViolations, postHost, posted, screenshot, setSelectValue, newTestPage, WebviewHarness } from './webviewHarness';

const runDir = join(__dirname, 'fixtures', 'recorded', 'goemotions-ngram');
const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as { baseline: ClassificationMetrics; best: ClassificationMetrics; baselineTest: ClassificationMetrics; test: ClassificationMetrics };
const testLines = readFileSync(join(runDir, 'predictions', 'test.jsonl'), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as { goldLabels: string[]; predictedLabels: string[]; missedLabels: string[]; extraLabels: string[] });
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

describe('multi-label run in the webviews', () => {
  let harness: WebviewHarness;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => { await harness?.close(); });

  it('reads the run as multi-label with its tuned thresholds and label sets', async () => {
    const record = await readRunRecord(runDir);
    assert.equal(record.run.multiLabel, true);
    assert.equal(record.run.labels.length, 28);
    assert.deepEqual(record.run.thresholds, metrics.test.multiLabel!.thresholds);
    const { data, skipped } = await buildExamplesData(runDir, 'test');
    assert.equal(skipped, 0);
    assert.equal(data.rows.length, testLines.length);
    data.rows.forEach((r, i) => {
      assert.deepEqual(r.goldLabels!.map((l) => data.run.labels[l]), testLines[i].goldLabels);
      assert.deepEqual(r.predictedLabels!.map((l) => data.run.labels[l]), testLines[i].predictedLabels);
    });
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`dashboard shows micro/macro/weighted/samples F1, P, R, subset accuracy, Hamming loss, LRAP and thresholds (${theme})`, async () => {
      const record = await readRunRecord(runDir);
      await harness.open('dashboard', theme, page);
      await postHost(page, { type: 'dashboard/init', data: structuredClone(record) });
      const cells = (metric: string) => page.$$eval(`#summary-table tr[data-metric="${metric}"] td`, (tds) => tds.map((t) => t.textContent));
      const ml = metrics.test.multiLabel!;
      for (const [key, value] of [['microF1', ml.microF1], ['microPrecision', ml.microPrecision], ['microRecall', ml.microRecall],
        ['samplesF1', ml.samplesF1], ['samplesPrecision', ml.samplesPrecision], ['samplesRecall', ml.samplesRecall],
        ['subsetAccuracy', ml.subsetAccuracy], ['labelRankingAveragePrecision', ml.labelRankingAveragePrecision],
        ['macroF1', metrics.test.macroF1], ['weightedF1', metrics.test.weightedF1], ['weightedRecall', metrics.test.weightedRecall]] as const) {
        const row = await cells(key);
        assert.equal(row[5], pct(value), key);
      }
      const hamming = await cells('hammingLoss');
      assert.equal(hamming[2], metrics.best.multiLabel!.hammingLoss.toFixed(3));
      assert.equal(hamming[5], ml.hammingLoss.toFixed(3));
      // Lower Hamming loss after training is an improvement.
      assert.equal(await page.getAttribute('#summary-table tr[data-metric="hammingLoss"] td:nth-child(7)', 'class'),
        ml.hammingLoss < metrics.baselineTest.multiLabel!.hammingLoss ? 'delta-up' : 'delta-down');
      assert.equal(await page.$$eval('#summary-table tr[data-metric="accuracy"]', (r) => r.length), 0, 'single-label accuracy row is replaced by subset accuracy');
      const perLabel = await page.$$eval('#per-class thead th', (ths) => ths.map((t) => t.textContent));
      assert.deepEqual(perLabel, ['Label', 'Threshold', 'Precision', 'Recall', 'F1', 'Support']);
      const rows = await page.$$eval('#per-class tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
      assert.equal(rows.length, 28);
      for (const r of rows) {
        const id = metrics.test.perClass.findIndex((c) => c.label === r[0]);
        assert.equal(r[1], ml.thresholds[id].toFixed(2), r[0]!);
        assert.equal(r[5], String(metrics.test.perClass[id].support));
      }
      assert.ok(await page.isVisible('figure.chart[aria-label="Validation subset accuracy and macro-F1"]'));
      assert.match((await page.textContent('#details-tabs'))!, /Multi-label: a label is predicted when its probability reaches its threshold/);
      await screenshot(page, `multilabel-dashboard-${theme}`, true);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors, []);
    });

    it(`confusion page shows a 2×2 grid per label instead of the K×K matrix and opens missed/extra examples (${theme})`, async () => {
      const data: ConfusionData = await buildConfusionData(runDir, 'test');
      assert.deepEqual(data.confusion, []);
      assert.deepEqual(data.labelConfusion, metrics.test.multiLabel!.labelConfusion, 'grids from predictions equal metrics.json');
      await harness.open('confusion', theme, page);
      await postHost(page, { type: 'confusion/init', data });
      assert.equal(await page.isVisible('#matrix'), false);
      assert.equal(await page.isVisible('#mode-select'), false, 'counts/normalised applies to the K×K matrix only');
      assert.equal(await page.isVisible('#zoom-in'), false);
      assert.equal(await page.textContent('#title'), 'Per-label confusion (test)');
      const cards = await page.$$eval('#label-grid .lc-card', (els) => els.map((e) => ({
        label: Number(e.getAttribute('data-label')),
        cells: Object.fromEntries([...e.querySelectorAll('.lc-cell')].map((c) => [c.getAttribute('data-outcome'), Number(c.textContent)])),
      })));
      assert.equal(cards.length, 28);
      for (const c of cards) {
        const [tn, fp, fn, tp]: number[] = data.labelConfusion![c.label];
        assert.deepEqual(c.cells, { tp, fn, fp, tn });
      }
      const missedTotal = testLines.reduce((a, l) => a + l.missedLabels.length, 0);
      const extraTotal = testLines.reduce((a, l) => a + l.extraLabels.length, 0);
      assert.match((await page.textContent('#summary'))!, new RegExp(`${testLines.length} examples · 28 labels · ${missedTotal} missed and ${extraTotal} extra`));
      await screenshot(page, `multilabel-confusion-${theme}`);

      await setSelectValue(page, 'order-select', 'errors');
      const order = await page.$$eval('#label-grid .lc-card', (els) => els.map((e) => Number(e.getAttribute('data-label'))));
      const errors = order.map((l) => data.labelConfusion![l][1] + data.labelConfusion![l][2]);
      assert.deepEqual(errors, [...errors].sort((a, b) => b - a));

      const withMissed = data.labelConfusion!.findIndex((c) => c[2] > 0);
      const withExtra = data.labelConfusion!.findIndex((c) => c[1] > 0);
      const before = (await posted(page)).length;
      await page.click(`#label-grid .lc-card[data-label="${withMissed}"] .lc-fn`);
      await page.focus(`#label-grid .lc-card[data-label="${withExtra}"] .lc-fp`);
      await page.keyboard.press('Enter');
      await page.click(`#label-grid .lc-card[data-label="${withMissed}"] .lc-tn`);
      assert.deepEqual((await posted(page)).slice(before), [
        { type: 'openLabelOutcome', runId: 'goemotions-ngram', split: 'test', label: withMissed, outcome: 'fn' },
        { type: 'openLabelOutcome', runId: 'goemotions-ngram', split: 'test', label: withExtra, outcome: 'fp' },
      ], 'the true-negative cell opens nothing');
      await setSelectValue(page, 'order-select', 'label');
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors, []);
    });

    it(`example browser filters by missed and by extra labels (${theme})`, async () => {
      const { data }: { data: ExamplesData } = await buildExamplesData(runDir, 'test');
      const labels = data.run.labels;
      const missedLabel = labels.indexOf(testLines.flatMap((l) => l.missedLabels)[0]);
      // The label added least often (but at least once): a list shorter than the viewport shows no stale rows.
      const extraCounts = labels.map((name) => testLines.filter((l) => l.extraLabels.includes(name)).length);
      const extraLabel = extraCounts.indexOf(Math.min(...extraCounts.filter((n) => n > 0)));
      const withMissed = testLines.filter((l) => l.missedLabels.includes(labels[missedLabel])).length;
      const withExtra = testLines.filter((l) => l.extraLabels.includes(labels[extraLabel])).length;
      const wrongSets = testLines.filter((l) => l.missedLabels.length + l.extraLabels.length > 0).length;

      await harness.open('examples', theme, page);
      await postHost(page, { type: 'examples/init', data, filter: null } satisfies HostMessage);
      assert.equal(await page.textContent('#result-count'), `${wrongSets} of ${testLines.length}`);
      await postHost(page, { type: 'examples/filter', filter: labelOutcomeFilter(missedLabel, 'fn') });
      assert.equal(await page.textContent('#result-count'), `${withMissed} of ${testLines.length}`);
      await page.keyboard.press('ArrowDown');
      assert.match((await page.textContent('#detail-decision'))!, new RegExp(`missed [^·]*${labels[missedLabel]}`));
      await screenshot(page, `multilabel-examples-missed-${theme}`);
      await setSelectValue(page, 'missed-select', '');
      await setSelectValue(page, 'extra-select', String(extraLabel));
      assert.equal(await page.textContent('#result-count'), `${withExtra} of ${testLines.length}`);
      const shown = await page.$$eval('#examples-list .vrow', (rows) => rows.filter((r) => (r as HTMLElement).offsetParent !== null)
        .map((r) => [...r.children].map((c) => c.textContent ?? '')));
      assert.equal(shown.length, withExtra, 'every row on screen is one of the filtered examples');
      for (const cells of shown) assert.ok(cells[3].split(', ').includes(labels[extraLabel]) && !cells[2].split(', ').includes(labels[extraLabel]), cells.join(' | '));
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors, []);
    });

    it(`comparison shows the multi-label metrics of each run (${theme})`, async () => {
      const data = await buildCompareData([runDir, runDir]);
      await harness.open('compare', theme, page);
      await postHost(page, { type: 'compare/init', data });
      const ml = metrics.test.multiLabel!;
      for (const [key, text] of [['microF1', pct(ml.microF1)], ['samplesF1', pct(ml.samplesF1)], ['subsetAccuracy', pct(ml.subsetAccuracy)],
        ['labelRankingAveragePrecision', pct(ml.labelRankingAveragePrecision)], ['hammingLoss', ml.hammingLoss.toFixed(3)], ['macroF1', pct(metrics.test.macroF1)]] as const) {
        const row = await page.$$eval(`#metrics-table tr[data-metric="${key}"] td`, (tds) => tds.map((t) => t.textContent));
        assert.deepEqual(row.slice(1, 3), [text, text], key);
      }
      await screenshot(page, `multilabel-compare-${theme}`, true);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors, []);
    });
  }
});
