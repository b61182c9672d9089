// The dashboard page in headless Chromium with a recorded emotion-like run: curves, tables, live updates, Stop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readRunRecord, type RunRecord } from '../../src/extension/webviews/runFiles';
import { writeEmotionRun, emotionData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';
import { chooseClassThresholds, type ReliabilityBin } from '../../src/protocol/calibration';
import type { RunFixture } from './fixtures/writeRunFixture';
import { artifactsDir, cspViolations, postHost, posted, screenshot, newTestPage, setTheme, settle, WebviewHarness } from './webviewHarness';

describe('dashboard webview', needs(emotionData), () => {
  let harness: WebviewHarness;
  let dir: string;
  let fixture: RunFixture;
  let record: RunRecord;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'cw-dashboard-'));
    fixture = await writeEmotionRun(dir);
    record = await readRunRecord(fixture.runDir);
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`draws every recorded point and the metric tables (${theme})`, async () => {
      await harness.open('dashboard', theme, page);
      await postHost(page, { type: 'dashboard/init', data: structuredClone(record) });
      const charts = await page.$$eval('figure.chart', (els) => els.map((e) => ({ title: e.querySelector('figcaption')?.textContent, points: e.getAttribute('data-points'), drawn: e.getAttribute('data-drawn') })));
      const byTitle = Object.fromEntries(charts.map((c) => [c.title, c]));
      assert.equal(byTitle['Training loss per step'].points, String(fixture.steps));
      assert.equal(byTitle['Training loss per step'].drawn, String(fixture.steps));
      assert.equal(byTitle['Learning rate'].drawn, String(fixture.steps));
      // Epoch 0 (baseline) has no train loss: one point fewer on that series.
      assert.equal(byTitle['Loss per epoch'].drawn, `${fixture.evaluations - 1},${fixture.evaluations}`);
      assert.equal(byTitle['Validation accuracy and macro-F1'].drawn, `${fixture.evaluations},${fixture.evaluations}`);
      // The canvases really have ink on them.
      const inked = await page.$$eval('#charts figure.chart canvas', (cs) => (cs as HTMLCanvasElement[]).map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      }));
      assert.equal(inked.length, 4);
      for (const n of inked) assert.ok(n > 500, `a chart canvas is nearly empty (${n} pixels)`);

      const accuracyRow = await page.$$eval('#summary-table tr[data-metric="accuracy"] td', (tds) => tds.map((t) => t.textContent));
      assert.equal(accuracyRow[1], `${(record.baseline!.accuracy * 100).toFixed(1)}%`);
      assert.equal(accuracyRow[2], `${(record.final!.accuracy * 100).toFixed(1)}%`);
      assert.equal(accuracyRow[4], `${(record.baselineTest!.accuracy * 100).toFixed(1)}%`);
      assert.equal(accuracyRow[5], `${(record.test!.accuracy * 100).toFixed(1)}%`);
      assert.equal(accuracyRow[6], `+${((record.test!.accuracy - record.baselineTest!.accuracy) * 100).toFixed(1)} pp`);
      assert.equal(await page.$$eval('#per-class tbody tr', (r) => r.length), 6);
      assert.ok((await page.textContent('#hyperparameters'))!.includes('learningRate'));
      assert.equal(await page.textContent('#run-state'), 'completed');
      assert.equal(await page.isVisible('#stop-run'), false);
      await screenshot(page, `dashboard-${theme}`, true);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors, []);
    });
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`draws the reliability diagram and the coverage–accuracy curve, and picks an abstain threshold (${theme})`, async () => {
      await harness.open('dashboard', theme, page);
      await postHost(page, { type: 'dashboard/init', data: structuredClone(record) });
      const c = record.calibration!;
      assert.ok(c, 'the fixture run has a calibration report');
      assert.equal(await page.isVisible('#calibration'), true);
      const summary = (await page.textContent('#calibration-summary'))!;
      assert.ok(summary.includes(`Test ECE ${c.test!.eceBefore.toFixed(3)} → ${c.test!.eceAfter.toFixed(3)}`), summary);
      const charts = await page.$$eval('#calibration figure.chart', (els) => els.map((e) => ({ title: e.querySelector('figcaption')?.textContent, drawn: e.getAttribute('data-drawn') })));
      const filled = (bins: ReliabilityBin[]) => bins.filter((b) => b.count > 0).length;
      assert.equal(charts[0].title, `Reliability diagram (test, 15 confidence bins)`);
      assert.equal(charts[0].drawn, `${filled(c.test!.binsBefore)},${filled(c.test!.binsAfter)},15`);
      assert.equal(charts[1].drawn, String(c.coverage.length));
      const inked = await page.$$eval('#calibration figure.chart canvas', (cs) => (cs as HTMLCanvasElement[]).map((canvas) => {
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      }));
      for (const n of inked) assert.ok(n > 500, `a calibration chart is nearly empty (${n} pixels)`);
      // The bins with their counts, as a table too.
      const counts = await page.$$eval('#reliability-table tbody tr', (rows) => rows.map((r) => Number(r.children[3].textContent)));
      assert.deepEqual(counts, c.test!.binsAfter.map((b) => b.count));
      // Target accuracy 95 %: the threshold the curve gives, then applied.
      await page.fill('#threshold-value', '95');
      const expected = c.coverage.filter((p) => p.accuracy >= 0.95).sort((a, b) => b.coverage - a.coverage)[0];
      assert.ok(expected, 'the fixture reaches 95 % accuracy at some coverage');
      assert.equal(await page.textContent('#threshold-result'), `threshold ${expected.threshold.toFixed(3)}: answers ${(expected.coverage * 100).toFixed(1)}% of validation at ${(expected.accuracy * 100).toFixed(1)}% accuracy`);
      await page.click('#apply-threshold');
      const sent = (await posted(page)).filter((m) => m.type === 'setUncertaintyThreshold').at(-1);
      assert.deepEqual(sent, { type: 'setUncertaintyThreshold', runId: record.run.runId, threshold: expected.threshold, target: { targetAccuracy: 0.95 }, coverage: expected.coverage, accuracy: expected.accuracy });
      await postHost(page, { type: 'dashboard/uncertainty', runId: record.run.runId, threshold: expected.threshold, setting: true });
      assert.match((await page.textContent('#threshold-current'))!, new RegExp(`UNCERTAIN below a top probability of ${expected.threshold.toFixed(3)}; the setting now follows it`));
      // Per class: each predicted class gets its own threshold for the same target, applied as one choice.
      await page.check('#threshold-per-class');
      const perClass = chooseClassThresholds(c.coverageByClass!, { targetAccuracy: 0.95 }, expected.threshold)!;
      assert.ok(perClass.accuracy >= 0.95, 'every answered class keeps the target, so the whole does');
      const names = perClass.thresholds.map((t, i) => `${record.run.labels[i]} ${t.toFixed(2)}`).join(', ');
      assert.equal(await page.textContent('#threshold-result'), `per class (${names}): answers ${(perClass.coverage * 100).toFixed(1)}% of validation at ${(perClass.accuracy * 100).toFixed(1)}% accuracy`);
      await page.click('#apply-threshold');
      const sentPerClass = (await posted(page)).filter((m) => m.type === 'setUncertaintyThreshold').at(-1);
      assert.deepEqual(sentPerClass, { type: 'setUncertaintyThreshold', runId: record.run.runId, threshold: expected.threshold, target: { targetAccuracy: 0.95 }, coverage: perClass.coverage, accuracy: perClass.accuracy, perClass: perClass.thresholds });
      await postHost(page, { type: 'dashboard/uncertainty', runId: record.run.runId, threshold: expected.threshold, perClass: perClass.thresholds, setting: true });
      assert.equal(await page.textContent('#threshold-current'), `This run says UNCERTAIN below a per-class top probability (${names}); hovers use them (the run is the active model).`);
      await page.uncheck('#threshold-per-class');
      // An unreachable target says so and cannot be applied.
      await page.fill('#threshold-value', '101');
      assert.equal(await page.textContent('#threshold-result'), 'no threshold reaches this target on validation');
      assert.equal(await page.getAttribute('#apply-threshold', 'disabled'), '');
      await page.fill('#threshold-value', '95');
      await settle(page);
      await page.locator('#calibration').screenshot({ path: join(artifactsDir, `dashboard-calibration-${theme}.png`) });
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors, []);
    });
  }

  it('hides the calibration section for a run without one', async () => {
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: { ...structuredClone(record), calibration: null } });
    assert.equal(await page.isVisible('#calibration'), false);
  });

  it('renders a run recorded from the real engine (n-gram on emotion)', async () => {
    const runDir = join(__dirname, 'fixtures', 'recorded', 'emotion-ngram');
    const recorded = await readRunRecord(runDir);
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    const progress = events.filter((e) => e.type === 'progress').length;
    const evaluations = events.filter((e) => e.type === 'epoch').length;
    assert.ok(progress > 10 && evaluations >= 2);
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: recorded });
    const drawn = Object.fromEntries(await page.$$eval('figure.chart', (els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('data-drawn')])));
    assert.equal(drawn['Training loss per step'], String(progress));
    assert.equal(drawn['Validation accuracy and macro-F1'], `${evaluations},${evaluations}`);
    const testAccuracy = await page.$eval('#summary-table tr[data-metric="accuracy"] td:nth-child(6)', (e) => e.textContent);
    assert.equal(testAccuracy, `${(recorded.test!.accuracy * 100).toFixed(1)}%`);
    assert.equal(await page.getAttribute('#open-model', 'disabled'), '', 'no exported model in this run');
    await screenshot(page, 'dashboard-recorded-ngram-dark');
    assert.deepEqual(pageErrors, []);
  });

  it('redraws its charts in the new colours when VS Code switches theme', async () => {
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: structuredClone(record) });
    await page.$$eval('.uplot', (els) => els.forEach((e) => { (e as unknown as { old: boolean }).old = true; }));
    await setTheme(page, 'light');
    await settle(page);
    const plots = await page.$$eval('.uplot', (els) => els.map((e) => (e as unknown as { old?: boolean }).old === true));
    assert.deepEqual(plots, [false, false, false, false, false, false], 'the four curves and the two calibration charts are redrawn');
    assert.equal(await page.$eval('figure.chart[aria-label="Training loss per step"]', (e) => e.getAttribute('data-drawn')), String(fixture.steps));
    await screenshot(page, 'dashboard-switched-to-light');
  });

  it('says when early stopping ended a run: "stopped early at epoch 3 of 26", not "3 / 3"', async () => {
    const early = await writeEmotionRun(join(dir, 'early'), 'early-run');
    const runJson = join(early.runDir, 'run.json');
    const run = JSON.parse(readFileSync(runJson, 'utf8'));
    writeFileSync(runJson, JSON.stringify({ ...run, config: { ...run.config, epochs: 26 } }));
    const metrics = join(early.runDir, 'metrics.json');
    writeFileSync(metrics, JSON.stringify({ ...JSON.parse(readFileSync(metrics, 'utf8')), stoppedEarly: true }));
    const data = await readRunRecord(early.runDir);
    const trained = data.epochs.at(-1)!.epoch;
    assert.deepEqual(data.earlyStop, { epoch: trained, epochs: 26, patience: run.config.patience, monitored: 'validation loss' });
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data });
    assert.equal(await page.textContent('#run-end-note'),
      `Stopped early at epoch ${trained} of 26: no improvement in validation loss for ${run.config.patience} epochs. The best epoch's weights are kept.`);
    assert.equal(await page.isVisible('#run-end-note'), true);
    assert.equal(await page.textContent('[data-stat="epoch"]'), `${trained} / 26 (stopped early)`);
    // A run that ran its course says nothing of the kind, and its header shows the configured epochs.
    await postHost(page, { type: 'dashboard/init', data: structuredClone(record) });
    assert.equal(await page.isVisible('#run-end-note'), false);
    assert.equal(record.earlyStop, null);
  });

  it('shows an empty, waiting dashboard for a queued run', async () => {
    const queued = structuredClone(record);
    Object.assign(queued, { steps: [], epochs: [], live: null, baseline: null, final: null, test: null, baselineTest: null, calibration: null });
    queued.run.state = 'queued';
    await harness.open('dashboard', 'light', page);
    await postHost(page, { type: 'dashboard/init', data: queued });
    assert.deepEqual(await page.$$eval('#charts figure.chart', (els) => els.map((e) => e.getAttribute('data-points'))), ['0', '0', '0', '0']);
    assert.equal(await page.isVisible('figure.chart .chart-empty'), true);
    assert.equal(await page.textContent('#per-class tbody'), '');
    assert.equal(await page.isVisible('#stop-run'), true);
    assert.deepEqual(pageErrors, []);
  });

  it('sorts the per-class table by a clicked column', async () => {
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: structuredClone(record) });
    await page.click('#per-class th[data-key="support"]');
    const desc = await page.$$eval('#per-class tbody tr td:nth-child(5)', (tds) => tds.map((t) => Number(t.textContent)));
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
    await page.click('#per-class th[data-key="support"]');
    const asc = await page.$$eval('#per-class tbody tr td:nth-child(5)', (tds) => tds.map((t) => Number(t.textContent)));
    assert.deepEqual(asc, [...desc].reverse());
    assert.equal(await page.getAttribute('#per-class th[data-key="support"]', 'aria-sort'), 'ascending');
  });

  it('shows a class the test file lacks as n/a and states the macro-average convention', async () => {
    const partial = structuredClone(record);
    const absent = partial.test!.perClass[0]!;
    Object.assign(absent, { precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    await harness.open('dashboard', 'light', page);
    await postHost(page, { type: 'dashboard/init', data: partial });
    const row = await page.$$eval('#per-class tbody tr', (trs, label) => trs.map((tr) => [...tr.children].map((td) => td.textContent))
      .find((cells) => cells[0] === label), absent.label);
    assert.deepEqual(row, [absent.label, 'n/a', 'n/a', 'n/a', '0']);
    assert.match((await page.locator('vscode-tab-panel .muted').first().textContent())!, /Macro averages are over the classes present in the truth or the predictions/);
    assert.deepEqual(pageErrors, []);
  });

  it('applies live progress, epoch and state events in place and posts Stop', async () => {
    const running = structuredClone(record);
    running.run.state = 'running';
    running.steps = running.steps.slice(0, 50);
    running.epochs = running.epochs.slice(0, 2);
    running.test = null;
    running.live = { epoch: 2, epochs: 3, step: 50, totalSteps: 120, samplesPerSecond: 190, etaSeconds: 75 };
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: running });
    // A marker on the chart section survives only if updates do not rebuild the page.
    await page.$eval('#charts', (e) => { (e as unknown as { marker: number }).marker = 42; });
    assert.equal(await page.isVisible('#stop-run'), true);
    const runId = running.run.runId;
    for (let step = 51; step <= 55; step++) {
      await postHost(page, { type: 'run/progress', progress: { runId, epoch: 2, epochs: 3, step, totalSteps: 120, loss: 0.5, learningRate: 3e-5, samplesPerSecond: 200, etaSeconds: 70 } });
    }
    await postHost(page, { type: 'run/epoch', report: { runId, epoch: 2, trainLoss: 0.4, validation: record.final!, isBest: true } });
    const chart = (title: string) => page.$eval(`figure.chart[aria-label="${title}"]`, (e) => e.getAttribute('data-drawn'));
    assert.equal(await chart('Training loss per step'), '55');
    // A step the page already has (read from disk and also notified) is not drawn twice.
    await postHost(page, { type: 'run/progress', progress: { runId, epoch: 2, epochs: 3, step: 55, totalSteps: 120, loss: 0.5, learningRate: 3e-5, samplesPerSecond: 200, etaSeconds: 70 } });
    assert.equal(await chart('Training loss per step'), '55');
    assert.equal(await chart('Validation accuracy and macro-F1'), '3,3');
    assert.equal(await page.textContent('[data-stat="step"]'), '55 / 120');
    assert.equal(await page.textContent('[data-stat="samples/s"]'), '200.0');
    assert.equal(await page.$eval('#charts', (e) => (e as unknown as { marker?: number }).marker), 42);
    await screenshot(page, 'dashboard-live-dark');

    await page.click('#stop-run');
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'stopRun'), [{ type: 'stopRun', runId }]);
    await postHost(page, { type: 'run/state', change: { runId, state: 'cancelled', message: 'stopped by the user' } });
    assert.equal(await page.textContent('#run-state'), 'cancelled');
    assert.equal(await page.textContent('#run-message'), 'Run cancelled: stopped by the user');
    assert.equal(await page.isVisible('#stop-run'), false);
    // Events of another run are ignored.
    await postHost(page, { type: 'run/progress', progress: { runId: 'other', epoch: 2, epochs: 3, step: 99, totalSteps: 120, loss: 9, learningRate: 1, samplesPerSecond: 1, etaSeconds: 1 } });
    assert.equal(await chart('Training loss per step'), '55');
    await page.click('#open-report');
    assert.ok((await posted(page)).some((m) => m.type === 'openArtifact' && m.artifact === 'report' && m.runId === runId));
    assert.deepEqual(pageErrors, []);
  });
});
