// A run trained elsewhere (an exported job's train.py, driven by a fake Trainer: transformers cannot be installed
// here) and brought back with `runs import` opens in the dashboard, the confusion matrix and the example browser
// exactly as a local run does, with the device it trained on in the header.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { readRunRecord } from '../../src/extension/webviews/runFiles';
import { buildConfusionData, buildExamplesData } from '../../src/extension/webviews/panelData';
import type { RunMetricsFile } from '../../src/common/runFolder/runRecord';
import { needs } from '../helpers/requirements';
import { pythonInterpreter, writeResultWithTrainPy } from '../helpers/remoteJobResult';
import { writeTinyDataset } from '../integration/trainFixture';
import { artifactsDir, cspViolations, postHost, screenshot, newTestPage, WebviewHarness } from './webviewHarness';

const cliPath = join(__dirname, '..', '..', 'bin', 'classifier-workbench.js');

function cli(...args: string[]): string {
  const out = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
  assert.equal(out.status, 0, `classifier-workbench ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

describe('a run imported from a GPU host', needs(pythonInterpreter), () => {
  let harness: WebviewHarness;
  let dir: string;
  let runDir: string;
  let metrics: RunMetricsFile;
  let progressEvents: number;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    const data = await writeTinyDataset(20);
    dir = data.dir;
    const job = join(dir, 'job');
    // Through the built CLI, as a user does (and so this DOM-typed test project does not compile the engine).
    cli('export-job', data.train, '--model', 'scratch', '--epochs', '3', '--gpus', '2', '--out', job);
    const result = writeResultWithTrainPy(job, join(dir, 'result'), 3);
    runDir = (JSON.parse(cli('runs', 'import', result.runDir, '--json')) as { runDir: string }).runDir;
    metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    progressEvents = readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"progress"')).length;
    harness = await WebviewHarness.launch();
    page = await newTestPage(harness, pageErrors);
  });
  after(async () => {
    await harness?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the dashboard draws its steps and epochs, shows its test metrics and the GPU it trained on', async () => {
    const record = await readRunRecord(runDir);
    await harness.open('dashboard', 'dark', page);
    await postHost(page, { type: 'dashboard/init', data: record });
    const drawn = Object.fromEntries(await page.$$eval('figure.chart', (els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('data-drawn')])));
    assert.equal(drawn['Training loss per step'], String(progressEvents));
    assert.equal(drawn['Validation accuracy and macro-F1'], '4,4', 'baseline and three epochs');
    const testAccuracy = await page.$eval('#summary-table tr[data-metric="accuracy"] td:nth-child(6)', (e) => e.textContent);
    assert.equal(testAccuracy, `${(metrics.test!.accuracy * 100).toFixed(1)}%`);
    assert.equal(await page.textContent('[data-stat="backend"]'), 'pytorch-cuda (2 × Test GPU)');
    assert.equal(await page.textContent('#run-state'), 'completed');
    assert.equal(await page.$$eval('#per-class tbody tr', (r) => r.length), 3);
    await screenshot(page, 'dashboard-imported-run-dark');
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(pageErrors, []);
  });

  it('the confusion matrix counts its test predictions, as train.py recorded them in metrics.json', async () => {
    const data = await buildConfusionData(runDir, 'test');
    assert.deepEqual(data.confusion, metrics.test!.confusion);
    await harness.open('confusion', 'light', page);
    await postHost(page, { type: 'confusion/init', data });
    const cells = await page.$$eval('#matrix .cell', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
    assert.equal(cells.length, 9);
    assert.equal(cells.reduce((a, n) => a + n, 0), metrics.test!.examples);
    await screenshot(page, 'confusion-imported-run-light');
    assert.deepEqual(pageErrors, []);
  });

  it('the example browser lists its misclassified examples with their source lines', async () => {
    const { data, records } = await buildExamplesData(runDir, 'test');
    const wrong = data.rows.filter((r) => r.gold !== r.predicted);
    assert.ok(wrong.length > 0, 'the fake model makes some mistakes');
    assert.ok(records.every((r) => r.file === join(dir, 'test.jsonl') && typeof r.line === 'number'));
    await harness.open('examples', 'dark', page);
    await postHost(page, { type: 'examples/init', data, filter: null });
    assert.equal(await page.textContent('#result-count'), `${wrong.length} of ${data.rows.length}`);
    await screenshot(page, 'examples-imported-run-dark');
    assert.deepEqual(pageErrors, []);
  });
});
