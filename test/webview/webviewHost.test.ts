// Host side of the webviews without VS Code: message validation, the CSP'd HTML shell, reading run folders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePageMessage, parsePanelState } from '../../src/extension/webviews/parsePageMessage';
import { buildConfusionData, buildExamplesData } from '../../src/extension/webviews/panelData';
import { readPredictions, readRunRecord } from '../../src/extension/webviews/runFiles';
import { textRangeInLine } from '../../src/extension/webviews/textRangeInLine';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../src/extension/webviews/webviewHtml';
import { emotionLabels, writeEmotionRun, emotionData } from './fixtures/sharedRuns';
import { needs } from '../helpers/requirements';

describe('parsePageMessage', () => {
  it('accepts each well-formed message as it is', () => {
    const valid = [
      { type: 'ready' }, { type: 'pickRuns' }, { type: 'stopRun', runId: 'r1' },
      { type: 'openArtifact', runId: 'r1', artifact: 'report' }, { type: 'openArtifact', runId: 'r1', artifact: 'model' },
      { type: 'openExample', runId: 'r1', split: 'test', index: 0 },
      { type: 'openMisclassified', runId: 'r1', split: 'validation', gold: 3, predicted: 5 },
      { type: 'openLabelOutcome', runId: 'r1', split: 'test', label: 4, outcome: 'fn' }, { type: 'openLabelOutcome', runId: 'r1', split: 'validation', label: 0, outcome: 'tp' },
      { type: 'selectSplit', split: 'validation' },
    ];
    for (const m of valid) assert.deepEqual(parsePageMessage(m), m);
  });

  it('rejects unknown types, missing or extra fields, wrong types and out-of-range values', () => {
    const invalid: unknown[] = [
      null, undefined, 42, 'ready', [], [{ type: 'ready' }], {}, { type: 'nope' }, { type: 'READY' }, { type: 'ready', extra: 1 },
      { type: 'stopRun' }, { type: 'stopRun', runId: '' }, { type: 'stopRun', runId: 7 }, { type: 'stopRun', runId: 'x'.repeat(513) },
      { type: 'openArtifact', runId: 'r', artifact: '../../etc/passwd' }, { type: 'openArtifact', runId: 'r' },
      { type: 'openExample', runId: 'r', split: 'train', index: 0 }, { type: 'openExample', runId: 'r', split: 'test', index: -1 },
      { type: 'openExample', runId: 'r', split: 'test', index: 1.5 }, { type: 'openExample', runId: 'r', split: 'test', index: '3' },
      { type: 'openExample', runId: 'r', split: 'test', index: 0, file: '/etc/passwd' },
      { type: 'openMisclassified', runId: 'r', split: 'test', gold: 1 }, { type: 'openMisclassified', runId: 'r', split: 'test', gold: 1, predicted: NaN },
      { type: 'openLabelOutcome', runId: 'r', split: 'test', label: 1, outcome: 'tn' }, { type: 'openLabelOutcome', runId: 'r', split: 'test', label: -1, outcome: 'fp' },
      { type: 'openLabelOutcome', runId: 'r', split: 'test', label: 1 }, { type: 'openLabelOutcome', runId: 'r', split: 'test', label: 1, outcome: 'fp', gold: 2 },
      { type: 'selectSplit', split: 'all' }, { type: '__proto__' }, { type: 'toString' },
    ];
    for (const m of invalid) assert.equal(parsePageMessage(m), undefined, JSON.stringify(m));
  });

  it('validates the state handed back to the serializer', () => {
    assert.deepEqual(parsePanelState({ runDirs: ['/a/run'], split: 'test', view: {} }), { runDirs: ['/a/run'], split: 'test' });
    assert.deepEqual(parsePanelState({ runDirs: ['/a', '/b'], split: 'bogus' }), { runDirs: ['/a', '/b'], split: undefined });
    for (const s of [undefined, null, {}, { runDirs: [] }, { runDirs: [1] }, { runDirs: '/a' }, { runDirs: [''] }]) assert.equal(parsePanelState(s), undefined);
  });
});

describe('renderWebviewHtml', () => {
  const html = renderWebviewHtml({ page: 'examples', title: 'A "title" <b>', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/examples.js', styleUri: 'https://x/examples.css', nonce: 'abc123==' });

  it('sets a strict CSP: nothing by default, scripts only by nonce, no inline or eval, no remote sources', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;|&apos;/g, "'");
    assert.ok(csp.includes("default-src 'none'"));
    assert.ok(csp.includes("script-src 'nonce-abc123=='"));
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
    const sources = csp.match(/https?:[^\s;]+/g) ?? [];
    assert.deepEqual([...new Set(sources)], ['https://file+.vscode-resource.vscode-cdn.net']);
  });

  it('loads exactly one script, with the nonce, and escapes the title', () => {
    assert.equal(html.match(/<script/g)!.length, 1);
    assert.ok(html.includes('<script nonce="abc123==" src="https://x/examples.js"></script>'));
    assert.ok(html.includes('<title>A &quot;title&quot; &lt;b&gt;</title>'));
    assert.ok(!/ on\w+=/.test(html), 'no inline handlers');
  });

  it('makes a fresh 16-byte nonce per render', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.ok(contentSecurityPolicy('x', a).includes(`'nonce-${a}'`));
    const r1 = /nonce="([^"]+)"/.exec(renderWebviewHtml({ page: 'dashboard', title: 't', cspSource: 'x', scriptUri: 's', styleUri: 'c' }))![1];
    const r2 = /nonce="([^"]+)"/.exec(renderWebviewHtml({ page: 'dashboard', title: 't', cspSource: 'x', scriptUri: 's', styleUri: 'c' }))![1];
    assert.notEqual(r1, r2);
  });
});

describe('run folder reading', () => {
  it('reads a recorded run: curves from events, baseline/final/test from metrics.json, predictions with label ids', needs(emotionData), async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-host-'));
    try {
      const f = await writeEmotionRun(dir);
      // A crash can tear the last line of events.jsonl: it must not hide the rest.
      appendFileSync(join(f.runDir, 'events.jsonl'), '{"type":"progress","runId":"emotion-run","ste');
      const r = await readRunRecord(f.runDir);
      assert.equal(r.run.runId, 'emotion-run');
      assert.deepEqual(r.run.labels, emotionLabels);
      assert.equal(r.steps.length, f.steps);
      assert.deepEqual(r.epochs.map((e) => e.epoch), [0, 1, 2, 3]);
      assert.equal(r.baseline!.split, 'validation');
      assert.deepEqual(r.test, f.test);
      assert.ok(r.run.hasReport && r.run.hasModel);
      assert.equal(r.live, null);
      const { records, skipped } = await readPredictions(f.runDir, 'test', r.run.labels);
      assert.equal(skipped, 0);
      assert.equal(records.length, f.testCount);
      assert.equal(records[0].line, 1);
      const confusion = await buildConfusionData(f.runDir, 'test');
      assert.deepEqual(confusion.confusion, f.test.confusion);
      const examples = await buildExamplesData(f.runDir, 'validation');
      assert.equal(examples.data.rows.length, f.validationCount);
      assert.deepEqual(examples.data.splits, ['validation', 'test']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts numeric label ids, skips unknown labels, and reads a running run with only events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-host-'));
    try {
      mkdirSync(join(dir, 'predictions'));
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ id: 'live', state: 'running', config: { model: 'ngram', dataset: '/d/train.jsonl', epochs: 2 }, labels: ['a', 'b'] }));
      const progress = (step: number, loss: number) => JSON.stringify({ type: 'progress', runId: 'live', epoch: 1, epochs: 2, step, totalSteps: 10, loss, learningRate: 1e-3, samplesPerSecond: 50, etaSeconds: 12 });
      // Steps 2 and 3 logged again after a resume from step 1: one point per step, the latest value.
      writeFileSync(join(dir, 'events.jsonl'), [progress(1, 0.9), progress(2, 0.8), progress(3, 0.75), progress(2, 0.79), progress(3, 0.7)].join('\n') + '\n');
      writeFileSync(join(dir, 'predictions', 'test.jsonl'), [
        { text: 'x', gold: 0, predicted: 1, probabilities: [0.3, 0.7] }, { text: 'y', gold: 'b', predicted: 'b', confidence: 0.9, loss: 0.1 },
        { text: 'z', gold: 'c', predicted: 'a' }, 'not json',
      ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
      const r = await readRunRecord(dir);
      assert.equal(r.run.state, 'running');
      assert.deepEqual(r.live, { epoch: 1, epochs: 2, step: 3, totalSteps: 10, samplesPerSecond: 50, etaSeconds: 12 });
      assert.equal(r.final, null);
      assert.deepEqual(r.steps.map((x) => [x.step, x.loss]), [[1, 0.9], [2, 0.79], [3, 0.7]]);
      assert.deepEqual(r.run.hyperparameters, [['epochs', '2']]);
      const { records, skipped } = await readPredictions(dir, 'test', ['a', 'b']);
      assert.equal(skipped, 2);
      assert.deepEqual(records.map((x) => [x.gold, x.predicted]), [[0, 1], [1, 1]]);
      assert.equal(records[0].confidence, 0.7);
      assert.ok(Math.abs(records[0].loss + Math.log(0.3)) < 1e-12);
      await assert.rejects(readRunRecord(join(dir, 'predictions')), /run\.json is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a run left running by a process that is gone shows as interrupted on the dashboard, like the Runs tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-dead-run-'));
    try {
      const { spawnSync } = await import('node:child_process');
      const { hostname } = await import('node:os');
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
      const progress = JSON.stringify({ type: 'progress', runId: 'killed', epoch: 1, epochs: 2, step: 1, totalSteps: 10, loss: 0.9, learningRate: 1e-3, samplesPerSecond: 50, etaSeconds: 12 });
      writeFileSync(join(dir, 'events.jsonl'), `${progress}\n`);
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ id: 'killed', state: 'running', owner: { pid: deadPid, host: hostname() }, config: { model: 'ngram', dataset: '/d/train.jsonl' }, labels: ['a', 'b'] }));
      const dead = await readRunRecord(dir);
      assert.equal(dead.run.state, 'interrupted');
      assert.equal(dead.run.message, `the process that trained it (${deadPid}) has stopped`);
      assert.equal(dead.live, null, 'no live progress for a run nobody trains');
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ id: 'killed', state: 'running', owner: { pid: process.ppid, host: hostname() }, config: { model: 'ngram', dataset: '/d/train.jsonl' }, labels: ['a', 'b'] }));
      const alive = await readRunRecord(dir);
      assert.equal(alive.run.state, 'running', 'a live owner keeps the run running');
      assert.notEqual(alive.live, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the JSON-escaped text in its line for the editor selection', () => {
    const text = 'say "hi" \\ <b>';
    const line = JSON.stringify({ text, label: 'joy' });
    const range = textRangeInLine(line, text)!;
    assert.equal(line.slice(range.start, range.end), JSON.stringify(text).slice(1, -1));
    assert.equal(textRangeInLine('{"text":"other"}', 'missing'), null);
  });
});
