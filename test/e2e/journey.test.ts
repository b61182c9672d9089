// The user's journey in a real VS Code: code-server serves the workbench, chromium drives it, the packaged .vsix is
// installed as a user would. Scenarios run in order in one window (each builds on the run the previous one trained);
// every step saves a screenshot under test/e2e/artifacts/ and timings are printed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSession, type Session } from './harness/session';

const log = (line: string) => console.log(`e2e: ${line}`);
let session: Session;

/** A scenario that leaves a screenshot of the window when it fails. */
function scenario(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      if (session) log(`failure screenshot ${await session.workbench.screenshot('failure').catch(() => 'none')}`);
      throw error;
    }
  });
}

describe('journey in code-server (trusted workspace)', { timeout: 12 * 60_000 }, () => {
  before(async () => {
    session = await startSession({ trust: true, prefix: 'journey' });
    log(`workbench loaded ${(session.workbenchLoadedMs / 1000).toFixed(1)} s after code-server started`);
  });
  after(async () => {
    await session?.close();
  });

  scenario('the Classifier Workbench views show the workspace datasets', async () => {
    const wb = session.workbench;
    await wb.showWorkbenchViews();
    // The Datasets tree is filled by the extension: its rows prove it activated.
    const train = wb.viewPane('Datasets').locator('.monaco-list-row', { hasText: 'train.jsonl' });
    await train.waitFor({ timeout: 60_000 });
    log(`extension activated (Datasets tree filled) ${((Date.now() - session.server.startedAt) / 1000).toFixed(1)} s after code-server started`);
    // The summary is counted by the extension from the file: 300 lines, six emotions.
    await train.filter({ hasText: /300 examples · 6 labels/ }).waitFor();
    log(`screenshot ${await wb.screenshot('views')}`);
  });

  scenario('right-click a JSONL → Fine-tune classifier → defaults: the run progresses and completes', async () => {
    const wb = session.workbench;
    const row = await wb.explorerItem('emotion/train.jsonl');
    await wb.contextMenu(row, 'Fine-tune classifier');
    const defaults = wb.quickInput().locator('.monaco-list-row', { hasText: 'Start with defaults' });
    await defaults.waitFor({ timeout: 60_000 });
    assert.match(await defaults.innerText(), /bert-tiny-random/);
    log(`screenshot ${await wb.screenshot('fine-tune-pick')}`);
    const started = Date.now();
    await defaults.click();

    const run = wb.viewPane('Runs').locator('.monaco-list-row[aria-level="1"]', { hasText: 'train' }).first();
    await run.filter({ hasText: /\d+% · loss \d/ }).waitFor({ timeout: 120_000 });
    log(`first progress in the Runs tree ${((Date.now() - started) / 1000).toFixed(1)} s after "Start with defaults"`);
    const status = wb.page.locator('.part.statusbar .statusbar-item', { hasText: /Epoch \d+\/2 · step \d+\/\d+/ });
    await status.waitFor();
    log(`status bar: ${(await status.innerText()).trim()}`);
    await wb.setPaneExpanded('Datasets', false);
    await wb.widenSideBar(520);
    log(`screenshot ${await wb.screenshot('run-progress')}`);

    await run.filter({ hasText: /acc \d\.\d{3}/ }).waitFor({ timeout: 5 * 60_000 });
    log(`run completed ${((Date.now() - started) / 1000).toFixed(1)} s after "Start with defaults"`);
    // The completion notification offers the run as the active model (hovers use it later).
    await wb.notifications().getByRole('button', { name: 'Use as active model' }).click();
    await run.filter({ hasText: /active/ }).waitFor();
    assert.equal(await status.count(), 0, 'the status bar progress is gone once the run ended');
    await run.locator('.monaco-tl-twistie').click();
    const epochs = wb.viewPane('Runs').locator('.monaco-list-row[aria-level="2"]');
    await epochs.filter({ hasText: /Epoch 2/ }).waitFor();
    assert.match(await epochs.filter({ hasText: 'Baseline' }).innerText(), /acc \d\.\d{3} · F1 \d\.\d{3} · val loss/);
    log(`screenshot ${await wb.screenshot('run-completed')}`);
  });

  scenario('dashboard, confusion matrix and misclassified browser; a row opens the JSONL at its line', async () => {
    const wb = session.workbench;
    const run = wb.viewPane('Runs').locator('.monaco-list-row[aria-level="1"]', { hasText: 'train' }).first();
    await run.click();
    const dashboard = wb.webview();
    await dashboard.locator('#run-title').waitFor();
    await dashboard.locator('#per-class table tbody tr').first().waitFor();
    assert.equal(await dashboard.locator('#per-class table tbody tr').count(), 6, 'one per-class row per emotion label');
    log(`screenshot ${await wb.screenshot('dashboard')}`);

    await wb.contextMenu(run, 'Open confusion matrix');
    const confusion = wb.webview();
    await confusion.locator('#matrix [role="gridcell"]').first().waitFor();
    log(`screenshot ${await wb.screenshot('confusion-matrix')}`);

    await wb.contextMenu(run, 'Browse misclassified examples');
    const examples = wb.webview();
    const first = examples.locator('#examples-list .vrow[data-position="0"]');
    await first.waitFor();
    log(`screenshot ${await wb.screenshot('misclassified')}`);
    // The # column is the example's line in the split's file (one example per line here).
    const line = Number(await first.locator('.vcell').first().innerText());
    const text = (await first.locator('.vcell').nth(1).innerText()).replace(/…$/, '');
    const split = /Examples \((\w+)\)/.exec(await examples.locator('h1').first().innerText())?.[1] ?? 'none';
    assert.ok(line > 0, 'the first misclassified row has a line number');
    await first.click();
    const tab = wb.page.locator('.tabs-container .tab.active');
    await tab.filter({ hasText: `${split}.jsonl` }).waitFor();
    assert.equal((await wb.cursorPosition()).line, line, 'the JSONL opens at the example\'s line');
    const fileLine = readFileSync(join(session.workspace.root, 'emotion', `${split}.jsonl`), 'utf8').split('\n')[line - 1];
    assert.ok(fileLine.includes(text.slice(0, 20)), `line ${line} of ${split}.jsonl holds the row's text: ${fileLine}`);
    log(`screenshot ${await wb.screenshot('misclassified-opened')}`);
  });

  scenario('hover a JSONL line and a selection in a .txt file: the active model prediction', async () => {
    const wb = session.workbench;
    await wb.openFile('emotion/train.jsonl');
    const line = wb.editorLine('i didnt feel humiliated');
    await line.waitFor();
    const jsonlHover = await wb.hoverText(line.locator('span').nth(3), /Prediction:/);
    // The JSONL line's own label is shown beside the prediction, with the six-label bar chart.
    assert.match(jsonlHover, /Given label:\s*sadness/);
    assert.match(jsonlHover, /(anger|fear|joy|love|sadness|surprise)\s+[█▏▎▍▌▋▊▉·]+\s+\d+\.\d%/);
    log(`screenshot ${await wb.screenshot('hover-jsonl')}`);

    await wb.openFile('notes.txt');
    const note = wb.editorLine('i feel so sad and lonely');
    await note.waitFor();
    await note.click();
    await wb.page.keyboard.press('Home');
    await wb.page.keyboard.press('Shift+End');
    const selectionHover = await wb.hoverText(note.locator('span').first(), /Prediction:/);
    assert.doesNotMatch(selectionHover, /Given label/, 'a plain-text selection has no given label');
    assert.match(selectionHover, /confidence \d+\.\d%/);
    log(`screenshot ${await wb.screenshot('hover-selection')}`);
    await wb.page.keyboard.press('Escape');
  });
});
