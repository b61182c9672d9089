import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseEpochs, readRunsFolders } from '../../../../src/extension/views/runFolderReader';
import { RunsTreeProvider, progressPercent, runDescription, runLabel, type RunElement } from '../../../../src/extension/views/runsTree';
import type { RunProgress } from '../../../../src/protocol/train';

function metrics(accuracy: number, macroF1: number, loss: number) {
  return { split: 'validation', examples: 10, loss, accuracy, macroF1, macroPrecision: 0, macroRecall: 0, weightedPrecision: 0, weightedRecall: 0, weightedF1: 0, ece: 0, perClass: [], confusion: [] };
}

/** A runs folder with a completed run (baseline + 2 epochs), a running one, and a foreign folder. */
function makeRunsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-runs-'));
  const done = join(dir, 'run-a');
  mkdirSync(done);
  writeFileSync(join(done, 'run.json'), JSON.stringify({
    runId: 'run-a', state: 'completed', createdAt: '2026-11-20T10:00:00.000Z', backend: 'wasm',
    test: { accuracy: 0.8, macroF1: 0.77, loss: 0.6 }, dataset: { path: '/data/emotion/train.jsonl', counts: { train: 80, validation: 10, test: 10 } },
    config: { dataset: '/data/emotion/train.jsonl', model: '/models/bert-tiny', mode: 'full', epochs: 2, batchSize: 16, learningRate: 2e-5 },
  }));
  writeFileSync(join(done, 'events.jsonl'), [
    { type: 'progress', runId: 'run-a', epoch: 1, epochs: 2, step: 1, totalSteps: 4, loss: 1.7 },
    { type: 'epoch', runId: 'run-a', epoch: 0, trainLoss: null, validation: metrics(0.27, 0.1, 1.79), isBest: false },
    { type: 'epoch', runId: 'run-a', epoch: 1, trainLoss: 1.2, validation: metrics(0.81, 0.75, 0.6), isBest: true },
    { time: 't', event: { type: 'epoch', runId: 'run-a', epoch: 2, trainLoss: 0.5, validation: metrics(0.79, 0.74, 0.7), isBest: false } },
  ].map((e) => JSON.stringify(e)).join('\n') + '\n{"type":"epoch","torn');
  const live = join(dir, 'run-b');
  mkdirSync(live);
  writeFileSync(join(live, 'run.json'), JSON.stringify({ runId: 'run-b', state: 'running', createdAt: '2026-11-21T10:00:00.000Z', config: { dataset: '/data/x.jsonl', model: 'ngram', mode: 'full' }, backend: null }));
  const noEvents = join(dir, 'run-c');
  mkdirSync(noEvents);
  writeFileSync(join(noEvents, 'run.json'), JSON.stringify({ runId: 'run-c', state: 'interrupted', createdAt: '2026-11-19T10:00:00.000Z', config: { dataset: '/d.jsonl', model: 'ngram' },
    best: { epoch: 1, trainLoss: 1, validationLoss: 1, validationAccuracy: 0.5, validationMacroF1: 0.4 } }));
  mkdirSync(join(dir, 'not-a-run'));
  writeFileSync(join(dir, 'not-a-run', 'run.json'), '{"state":"exploded"}');
  return dir;
}

const progress = (runId: string, step: number): RunProgress => ({ runId, epoch: 1, epochs: 2, step, totalSteps: 10, loss: 0.5, learningRate: 1e-5, samplesPerSecond: 100, etaSeconds: 65 });

test('reads run folders newest first, skipping foreign folders and torn event lines', async () => {
  const dir = makeRunsDir();
  try {
    const runs = await readRunsFolders([dir, join(dir, 'missing')]);
    assert.deepEqual(runs.map((r) => r.runId), ['run-b', 'run-a', 'run-c']);
    assert.equal(runs[2].bestAccuracy, 0.5, 'run.json best stands in when events.jsonl is missing');
    assert.deepEqual(runs[1].test, { accuracy: 0.8, macroF1: 0.77 });
    assert.deepEqual(runs[1].counts, { train: 80, validation: 10, test: 10 });
    const a = runs[1];
    assert.deepEqual(a.epochs.map((e) => e.epoch), [0, 1, 2]);
    assert.equal(a.bestAccuracy, 0.81, 'the epoch flagged isBest, not the last one');
    assert.equal(a.backend, 'wasm');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a resumed run that re-evaluates an epoch keeps the later line', () => {
  const line = (acc: number) => JSON.stringify({ type: 'epoch', epoch: 1, trainLoss: 1, validation: metrics(acc, acc, 1), isBest: true });
  assert.deepEqual(parseEpochs(`${line(0.5)}\n${line(0.6)}\n`).map((e) => e.accuracy), [0.6]);
});

test('run items show state icon, context value, model and best metric, hyperparameters in the tooltip', async () => {
  const dir = makeRunsDir();
  try {
    const tree = new RunsTreeProvider(() => readRunsFolders([dir]), { openCommand: 'classifierWorkbench.openDashboard' });
    const roots = (await tree.getChildren()) as RunElement[];
    assert.equal(roots.length, 3);
    const done = tree.getTreeItem(roots[1]);
    assert.equal((done.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.equal(done.contextValue, 'run.completed');
    assert.equal(done.description, 'bert-tiny · full · val acc 0.810 · val F1 0.750');
    assert.match(String(done.label), /^emotion\/train · /, 'the dataset folder names the run');
    const tooltip = (done.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /\| Batch size \| 16 \|/);
    assert.match(tooltip, /Test set \(best checkpoint\): accuracy 0\.800, macro F1 0\.770/);
    assert.match(tooltip, /\| Examples \(train \/ validation \/ test\) \| 80 \/ 10 \/ 10 \|/);
    assert.match(tooltip, /\| Learning rate \| 2e\\-5 \|/);
    assert.equal(done.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepEqual(done.command?.arguments, [roots[1]]);
    const running = tree.getTreeItem(roots[0]);
    assert.equal((running.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    assert.equal(running.contextValue, 'run.running');

    const epochs = await tree.getChildren(roots[1]);
    assert.deepEqual(epochs.map((e) => tree.getTreeItem(e).label), ['Baseline', 'Epoch 1', 'Epoch 2']);
    assert.equal((tree.getTreeItem(epochs[1]).iconPath as vscode.ThemeIcon).id, 'star-full');
    assert.equal(tree.getParent(epochs[0]), roots[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('progress repaints only the changed run node, at most once per throttle window', async () => {
  const dir = makeRunsDir();
  try {
    const tree = new RunsTreeProvider(() => readRunsFolders([dir]), { throttleMs: 40 });
    const [live] = (await tree.getChildren()) as RunElement[];
    const fired: unknown[] = [];
    tree.onDidChangeTreeData((element) => fired.push(element));
    tree.applyProgress(progress('run-b', 1));
    for (let step = 2; step <= 6; step++) tree.applyProgress(progress('run-b', step));
    assert.deepEqual(fired, [live], 'first update paints at once, the rest wait');
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(fired, [live, live], 'one trailing repaint for the burst');
    assert.equal(tree.getTreeItem(live).description, 'ngram · 60% · loss 0.500');
    tree.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('epoch and state notifications update the node; a finished run drops its progress', async () => {
  const dir = makeRunsDir();
  try {
    const tree = new RunsTreeProvider(() => readRunsFolders([dir]), { throttleMs: 0 });
    const [live] = (await tree.getChildren()) as RunElement[];
    tree.applyProgress(progress('run-b', 5));
    tree.applyEpoch({ runId: 'run-b', epoch: 1, trainLoss: 0.4, validation: metrics(0.9, 0.88, 0.3) as never, isBest: true });
    assert.equal((await tree.getChildren(live)).length, 1);
    tree.applyState({ runId: 'run-b', state: 'failed', message: 'Out of memory' });
    const item = tree.getTreeItem(live);
    assert.equal(item.contextValue, 'run.failed');
    assert.equal(item.description, 'ngram · failed · val acc 0.900 · val F1 0.880');
    assert.match((item.tooltip as vscode.MarkdownString).value, /Out of memory/);
    assert.equal(tree.progress('run-b'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run the engine reported interrupted stays interrupted when run.json still says running (killed engine)', async () => {
  const dir = makeRunsDir();
  try {
    const tree = new RunsTreeProvider(() => readRunsFolders([dir]), { throttleMs: 0 });
    const [live] = (await tree.getChildren()) as RunElement[];
    tree.applyState({ runId: 'run-b', state: 'interrupted', message: 'The engine was killed (SIGKILL).' });
    await tree.refresh();
    assert.equal(tree.getTreeItem(live).contextValue, 'run.interrupted', 'Resume run stays offered');
    tree.applyState({ runId: 'run-b', state: 'running' });
    await tree.refresh();
    assert.equal(tree.getTreeItem(live).contextValue, 'run.running');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run left running by a process that is gone shows as interrupted; a live, remote or unknown owner keeps running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-runs-'));
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const write = (runId: string, owner?: unknown) => {
    mkdirSync(join(dir, runId));
    writeFileSync(join(dir, runId, 'run.json'), JSON.stringify({ runId, state: 'running', createdAt: `2026-11-21T10:00:0${runId.length % 10}.000Z`, config: { dataset: '/d.jsonl', model: 'ngram' }, owner }));
  };
  try {
    write('killed', { pid: deadPid, host: hostname() });
    write('live', { pid: alive.pid, host: hostname() });
    write('remote', { pid: deadPid, host: `${hostname()}-elsewhere` });
    write('no-owner');
    const runs = new Map((await readRunsFolders([dir])).map((r) => [r.runId, r]));
    assert.equal(runs.get('killed')?.state, 'interrupted');
    assert.equal(runs.get('killed')?.message, `the process that trained it (${deadPid}) has stopped`);
    assert.equal(runs.get('live')?.state, 'running');
    assert.equal(runs.get('remote')?.state, 'running', 'another machine\'s process cannot be checked');
    assert.equal(runs.get('no-owner')?.state, 'running', 'nothing is known without an owner');
    const tree = new RunsTreeProvider(() => readRunsFolders([dir]), { throttleMs: 0 });
    const killed = ((await tree.getChildren()) as RunElement[]).find((e) => tree.getTreeItem(e).contextValue === 'run.interrupted');
    assert.ok(killed, 'the killed run is offered Resume run');
  } finally {
    alive.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a state change for an unknown run re-reads the runs folder once (a new run appears)', async () => {
  let reads = 0;
  const tree = new RunsTreeProvider(async () => {
    reads++;
    return reads === 1 ? [] : [{ runId: 'new', runDir: '/runs/new', state: 'queued', config: {}, epochs: [] }];
  });
  assert.deepEqual(await tree.getChildren(), []);
  tree.applyState({ runId: 'new', state: 'queued' });
  tree.applyState({ runId: 'new', state: 'queued' });
  tree.applyProgress(progress('new', 1));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(reads, 2, 'a burst of notifications shares one read');
  assert.equal(tree.find('new')?.runDir, '/runs/new');
});

test('element identity survives a refresh, so a later progress update fires the node VS Code knows', async () => {
  const dir = makeRunsDir();
  try {
    const tree = new RunsTreeProvider(() => readRunsFolders([dir]));
    const [before] = (await tree.getChildren()) as RunElement[];
    await tree.refresh();
    const [after] = (await tree.getChildren()) as RunElement[];
    assert.equal(after, before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('progress percent and description helpers', () => {
  assert.equal(progressPercent(progress('x', 3)), 30);
  assert.equal(progressPercent({ ...progress('x', 0), totalSteps: 0, epoch: 2, epochs: 4 }), 25);
  assert.equal(runDescription({ runId: 'r', runDir: '/r', state: 'interrupted', model: 'google/bert_uncased_L-2_H-128_A-2', config: {}, epochs: [] }, undefined, true),
    'bert_uncased_L-2_H-128_A-2 · interrupted · active');
});

test('run labels are short: dataset name without extension, and the time (with the date when not today)', () => {
  const created = new Date(2026, 10, 20, 9, 5);
  const record = { runId: 'r', runDir: '/r', state: 'completed' as const, dataset: '/d/emotion/train.jsonl', createdAt: created.toISOString(), config: {}, epochs: [] };
  assert.equal(runLabel(record, new Date(2026, 10, 20, 18, 0)), 'emotion/train · 09:05');
  assert.match(runLabel(record, new Date(2026, 10, 23)), /^emotion\/train · .*20.* 09:05$/);
  assert.equal(runLabel({ ...record, dataset: undefined, createdAt: undefined }), 'r');
});

test('a failed re-read keeps the runs already shown', async () => {
  let fail = false;
  const tree = new RunsTreeProvider(async () => {
    if (fail) throw new Error('EIO');
    return [{ runId: 'a', runDir: '/runs/a', state: 'completed', config: {}, epochs: [] }];
  });
  assert.equal((await tree.getChildren()).length, 1);
  fail = true;
  await tree.refresh();
  assert.equal((await tree.getChildren()).length, 1);
});

test('a run trained elsewhere and dropped into the runs folder is listed, flagged until its data is checked (runs import)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-dropped-'));
  try {
    const base = { state: 'completed', config: { dataset: '/d/train.jsonl', model: 'bert-base-uncased' }, labels: ['a', 'b'], backend: 'pytorch-cuda (4 × NVIDIA H200)' };
    const origin = { kind: 'accelerate', host: 'gpu-host', worldSize: 4, nodes: 1, devices: '4 × NVIDIA H200', backend: 'pytorch-cuda (4 × NVIDIA H200)', versions: {} };
    for (const [name, extra] of [['dropped', { origin }], ['imported', { origin, imported: { from: '/jobs/x', at: '2026-11-30T22:00:00.000Z', fingerprint: 'f' } }]] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'run.json'), JSON.stringify({ runId: name, ...base, ...extra }));
    }
    const records = await readRunsFolders([dir]);
    const byId = Object.fromEntries(records.map((r) => [r.runId, r]));
    assert.match(byId.dropped!.message ?? '', /^trained elsewhere on gpu-host; its data is not yet checked against the data here: "Import run folder…"/);
    assert.equal(byId.imported!.message, undefined);
    assert.equal(byId.dropped!.backend, 'pytorch-cuda (4 × NVIDIA H200)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs on the same data in the same minute are told apart: seconds, then (2), (3) in creation order; other data keeps the minute', () => {
  const at = (runId: string, dataset: string, seconds: number) => ({ runId, runDir: `/r/${runId}`, state: 'completed' as const, dataset, createdAt: new Date(2026, 10, 20, 17, 17, seconds).toISOString(), config: {}, epochs: [] });
  const runs = [at('a', '/d/emotion/train.jsonl', 5), at('b', '/d/emotion/train.jsonl', 40), at('c', '/d/emotion/train.jsonl', 40), at('d', '/d/tickets/train.jsonl', 40)];
  const now = new Date(2026, 10, 20, 18, 0);
  assert.deepEqual(runs.map((r) => runLabel(r, now, runs)), ['emotion/train · 17:17:05', 'emotion/train · 17:17:40', 'emotion/train · 17:17:40 (2)', 'tickets/train · 17:17']);
  assert.equal(new Set(runs.map((r) => runLabel(r, now, runs))).size, runs.length);
});

test('the description names the mode (none for the n-gram model) and says the metrics are validation ones', () => {
  const record = { runId: 'r', runDir: '/r', state: 'completed' as const, model: '/m/bert-tiny', mode: 'lora', config: {}, epochs: [], bestAccuracy: 0.9, bestMacroF1: 0.8 };
  assert.equal(runDescription(record, undefined), 'bert-tiny · LoRA · val acc 0.900 · val F1 0.800');
  assert.equal(runDescription({ ...record, model: 'ngram', mode: 'full' }, undefined), 'ngram · val acc 0.900 · val F1 0.800');
});
