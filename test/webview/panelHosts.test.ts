// The panel hosts against a fake vscode: panel options and HTML, validation of page messages, data sent on `ready`,
// live events, confusion → browser click-through, jump to the source line, artifacts, and revival by the serializers.
import './useFakeVscodeWebviews';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fake from './fakeVscodeWebviews';
import { registerWebviewPanels, webviewViewTypes, type WebviewPanels } from '../../src/extension/webviews/registerWebviewPanels';
import { writeEmotionRun, emotionData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';
import type { RunFixture } from './fixtures/writeRunFixture';
import type { HostMessage } from '../../webview-ui/shared/messages';

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function lastOfType<T extends HostMessage['type']>(panel: fake.FakeWebviewPanel, type: T): Extract<HostMessage, { type: T }> | undefined {
  return (panel.webview.postedToPage as HostMessage[]).filter((m) => m.type === type).at(-1) as Extract<HostMessage, { type: T }> | undefined;
}

describe('webview panel hosts', needs(emotionData), () => {
  let dir: string;
  let fixture: RunFixture;
  let panels: WebviewPanels;
  const logs: string[] = [];
  const stopped: string[] = [];
  const thresholds: unknown[][] = [];
  const pickedFrom: string[][] = [];
  const subscriptions: Array<{ dispose(): void }> = [];
  const extensionUri = fake.Uri.file('/ext');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-hosts-'));
    fixture = await writeEmotionRun(dir);
    const context = { extensionUri, subscriptions } as unknown as Parameters<typeof registerWebviewPanels>[0];
    panels = registerWebviewPanels(context, {
      stopRun: async (runId) => { stopped.push(runId); },
      setUncertaintyThreshold: async (runDir, threshold, target, perClass) => { thresholds.push(perClass ? [runDir, threshold, target, perClass] : [runDir, threshold, target]); return { setting: true }; },
      pickRunDirs: async (selected) => { pickedFrom.push([...selected]); return [fixture.runDir, fixture.runDir]; },
      log: (m) => logs.push(m),
    });
  });
  after(() => {
    for (const s of subscriptions) s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a serializer per panel and disposes everything with the extension', () => {
    assert.deepEqual([...fake.serializers.keys()].sort(), [...webviewViewTypes].sort());
    assert.equal(subscriptions.length, 5);
  });

  it('opens a dashboard with scripts confined to dist/webview and a nonce CSP, and sends the run on ready', async () => {
    panels.openDashboard(fixture.runDir);
    const panel = fake.createdPanels.at(-1)!;
    assert.equal(panel.viewType, 'classifierWorkbench.dashboard');
    assert.equal(panel.webview.options.enableScripts, true);
    assert.deepEqual((panel.webview.options.localResourceRoots as fake.Uri[]).map((u) => u.fsPath), ['/ext/dist/webview']);
    const html = panel.webview.html;
    assert.ok(html.includes(`src="${fake.cspSource}/ext/dist/webview/dashboard.js"`));
    assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]{24}'/);
    panel.webview.fromPage({ type: 'ready' });
    const init = await waitFor(() => lastOfType(panel, 'dashboard/init'), 'dashboard/init');
    assert.equal(init.data.run.runId, 'emotion-run');
    assert.equal(init.data.steps.length, fixture.steps);
    // Opening it again reveals the same panel.
    panels.openDashboard(fixture.runDir);
    assert.equal(panel.revealed, 1);
  });

  it('rejects malformed and foreign messages, and stops only its own run', async () => {
    const panel = fake.createdPanels.find((p) => p.viewType === 'classifierWorkbench.dashboard')!;
    const before = panel.webview.postedToPage.length;
    for (const bad of [{ type: 'stopRun' }, { type: 'stopRun', runId: 5 }, { type: 'eval', code: 'x' }, 'ready', null]) panel.webview.fromPage(bad);
    panel.webview.fromPage({ type: 'stopRun', runId: 'another-run' });
    panel.webview.fromPage({ type: 'openExample', runId: 'emotion-run', split: 'test', index: 0 });
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(stopped, []);
    assert.equal(logs.filter((l) => l.includes('rejected a malformed message')).length, 5);
    assert.equal(logs.filter((l) => l.includes('ignored')).length, 2);
    assert.equal(panel.webview.postedToPage.length, before);
    panel.webview.fromPage({ type: 'stopRun', runId: 'emotion-run' });
    await waitFor(() => (stopped.length ? true : undefined), 'stopRun');
    assert.deepEqual(stopped, ['emotion-run']);
  });

  it('passes a well-formed threshold choice for its own run to the services and confirms it to the page', async () => {
    const panel = fake.createdPanels.find((p) => p.viewType === 'classifierWorkbench.dashboard')!;
    const choice = { threshold: 0.62, target: { targetAccuracy: 0.95 }, coverage: 0.71, accuracy: 0.953 };
    for (const bad of [{ ...choice, threshold: 1.5 }, { ...choice, target: { targetAccuracy: 0.9, targetCoverage: 0.5 } }, { ...choice, target: 'x' }, { ...choice, extra: 1 }]) {
      panel.webview.fromPage({ type: 'setUncertaintyThreshold', runId: 'emotion-run', ...bad });
    }
    panel.webview.fromPage({ type: 'setUncertaintyThreshold', runId: 'another-run', ...choice });
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(thresholds, []);
    panel.webview.fromPage({ type: 'setUncertaintyThreshold', runId: 'emotion-run', ...choice });
    const confirmed = await waitFor(() => lastOfType(panel, 'dashboard/uncertainty'), 'dashboard/uncertainty');
    assert.deepEqual(thresholds, [[fixture.runDir, 0.62, { target: { targetAccuracy: 0.95 }, coverage: 0.71, accuracy: 0.953 }]]);
    assert.deepEqual(confirmed, { type: 'dashboard/uncertainty', runId: 'emotion-run', threshold: 0.62, setting: true });
    // Per-class thresholds travel with the choice; a list with a value outside [0, 1] or of the wrong type is dropped.
    for (const perClass of [[0.5, 1.2], 'x', [], [0.5, null]]) panel.webview.fromPage({ type: 'setUncertaintyThreshold', runId: 'emotion-run', ...choice, perClass });
    panel.webview.fromPage({ type: 'setUncertaintyThreshold', runId: 'emotion-run', ...choice, perClass: [0.4, 0.9] });
    await waitFor(() => (thresholds.length === 2 ? true : undefined), 'per-class choice');
    assert.deepEqual(thresholds[1], [fixture.runDir, 0.62, { target: { targetAccuracy: 0.95 }, coverage: 0.71, accuracy: 0.953 }, [0.4, 0.9]]);
    const perClassConfirmed = await waitFor(() => (lastOfType(panel, 'dashboard/uncertainty') as { perClass?: number[] } | undefined)?.perClass ? lastOfType(panel, 'dashboard/uncertainty') : undefined, 'dashboard/uncertainty per class');
    assert.deepEqual(perClassConfirmed, { type: 'dashboard/uncertainty', runId: 'emotion-run', threshold: 0.62, perClass: [0.4, 0.9], setting: true });
  });

  it('forwards live events of its run only', () => {
    const panel = fake.createdPanels.find((p) => p.viewType === 'classifierWorkbench.dashboard')!;
    const progress = { runId: 'emotion-run', epoch: 1, epochs: 3, step: 7, totalSteps: 120, loss: 0.9, learningRate: 1e-5, samplesPerSecond: 99, etaSeconds: 60 };
    panels.handleTrainEvent({ type: 'progress', ...progress });
    panels.handleTrainEvent({ type: 'progress', ...progress, runId: 'other' });
    const sent = (panel.webview.postedToPage as HostMessage[]).filter((m) => m.type === 'run/progress');
    assert.deepEqual(sent, [{ type: 'run/progress', progress }]);
  });

  it('opens the browser filtered to a clicked confusion cell and jumps to the example line with its text selected', async () => {
    panels.openConfusionMatrix(fixture.runDir);
    const matrix = fake.createdPanels.at(-1)!;
    matrix.webview.fromPage({ type: 'ready' });
    const init = await waitFor(() => lastOfType(matrix, 'confusion/init'), 'confusion/init');
    assert.deepEqual(init.data.confusion, fixture.test.confusion);
    matrix.webview.fromPage({ type: 'openMisclassified', runId: 'emotion-run', split: 'test', gold: 0, predicted: 1 });
    const browser = await waitFor(() => fake.createdPanels.find((p) => p.viewType === 'classifierWorkbench.examples'), 'examples panel');
    browser.webview.fromPage({ type: 'ready' });
    const examples = await waitFor(() => lastOfType(browser, 'examples/init'), 'examples/init');
    assert.deepEqual(examples.filter, { gold: 0, predicted: 1, correctness: 'incorrect' });
    assert.equal(examples.data.rows.length, fixture.testCount);

    const row = examples.data.rows.find((r) => r.text.includes('feel'))!;
    browser.webview.fromPage({ type: 'openExample', runId: 'emotion-run', split: 'test', index: row.index });
    const shown = await waitFor(() => fake.shownDocuments.at(-1), 'showTextDocument');
    assert.equal(shown.path, join(fixture.datasetDir, 'test.jsonl'));
    const line = readFileSync(shown.path, 'utf8').split('\n')[shown.selection.start.line];
    assert.equal(shown.selection.start.line, row.index);
    assert.equal(line.slice(shown.selection.start.character, shown.selection.end.character), JSON.stringify(row.text).slice(1, -1));
    // An index the host never sent is refused.
    const count = fake.shownDocuments.length;
    browser.webview.fromPage({ type: 'openExample', runId: 'emotion-run', split: 'test', index: 99999 });
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(fake.shownDocuments.length, count);
    // A second click reuses the open browser with a filter message.
    matrix.webview.fromPage({ type: 'openMisclassified', runId: 'emotion-run', split: 'test', gold: 2, predicted: 2 });
    const filter = await waitFor(() => lastOfType(browser, 'examples/filter'), 'examples/filter');
    assert.deepEqual(filter.filter, { gold: 2, predicted: 2, correctness: 'correct' });
    // Switching the matrix to the validation split re-reads that split's predictions.
    matrix.webview.fromPage({ type: 'selectSplit', split: 'validation' });
    const validation = await waitFor(() => { const m = lastOfType(matrix, 'confusion/init'); return m?.data.split === 'validation' ? m : undefined; }, 'validation matrix');
    assert.equal(validation.data.confusion.flat().reduce((a, b) => a + b, 0), fixture.validationCount);
  });

  it('opens report.md in the Markdown preview', async () => {
    const panel = fake.createdPanels.find((p) => p.viewType === 'classifierWorkbench.dashboard')!;
    panel.webview.fromPage({ type: 'openArtifact', runId: 'emotion-run', artifact: 'report' });
    const call = await waitFor(() => fake.executedCommands.find((c) => c.command === 'markdown.showPreview'), 'markdown preview');
    assert.equal((call.args[0] as fake.Uri).fsPath, join(fixture.runDir, 'report.md'));
  });

  it('"Choose runs…" starts from the runs compared; deleting one of them refreshes the comparison, deleting all closes it', async () => {
    const second = await writeEmotionRun(join(dir, 'second'), 'second-run', 0.8, 8);
    await panels.openComparison([fixture.runDir, second.runDir]);
    const panel = fake.createdPanels.filter((p) => p.viewType === 'classifierWorkbench.compareRuns').at(-1)!;
    panel.webview.fromPage({ type: 'ready' });
    await waitFor(() => lastOfType(panel, 'compare/init'), 'compare/init');
    panel.webview.fromPage({ type: 'pickRuns' });
    await waitFor(() => pickedFrom.at(-1), 'pickRunDirs');
    assert.deepEqual(pickedFrom.at(-1), [fixture.runDir, second.runDir], 'the picker starts with the current selection');
    await waitFor(() => (lastOfType(panel, 'compare/init')?.data.runs.length === 2 && lastOfType(panel, 'compare/init')?.data.runs[1].run.runDir === fixture.runDir) || undefined, 'the picked runs');

    await panels.openComparison([fixture.runDir, second.runDir]);
    await waitFor(() => lastOfType(panel, 'compare/init')?.data.runs[1].run.runDir === second.runDir || undefined, 'both runs again');
    await panels.runDeleted(second.runDir);
    assert.deepEqual(lastOfType(panel, 'compare/init')?.data.runs.map((r) => r.run.runDir), [fixture.runDir], 'the deleted run is gone from the open comparison');
    assert.equal(panel.disposed, false);
    await panels.runDeleted(fixture.runDir);
    assert.equal(panel.disposed, true, 'no run left: the comparison closes');
  });

  it('revives panels from saved state and refuses state it cannot trust', async () => {
    const revived = new fake.FakeWebviewPanel('classifierWorkbench.compareRuns', 'Compare', {});
    await fake.serializers.get('classifierWorkbench.compareRuns')!.deserializeWebviewPanel(revived, { runDirs: [fixture.runDir, fixture.runDir] });
    assert.ok(revived.webview.html.includes('compare.js'));
    assert.deepEqual((revived.webview.options.localResourceRoots as fake.Uri[]).map((u) => u.fsPath), ['/ext/dist/webview']);
    revived.webview.fromPage({ type: 'ready' });
    const init = await waitFor(() => lastOfType(revived, 'compare/init'), 'compare/init');
    assert.equal(init.data.runs.length, 2);
    const bad = new fake.FakeWebviewPanel('classifierWorkbench.dashboard', 'Dashboard', {});
    await fake.serializers.get('classifierWorkbench.dashboard')!.deserializeWebviewPanel(bad, { runDirs: 'not a list' });
    assert.equal(bad.disposed, true);
  });
});
