// export and predict of a run without a checkpoint say why by its state (a failed run: that it failed, and its
// message, not "wait for its first epoch"); exporting a run that did not finish warns that the model is its last
// checkpoint, not a finished model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRun } from '../../../../src/engine/runs/runStore';
import { exportRun } from '../../../../src/engine/runs/exportRun';
import { loadPredictor } from '../../../../src/engine/predict/loadPredictor';
import { createNgramClassifier } from '../../../../src/engine/models/ngram/ngramClassifier';
import { EngineError } from '../../../../src/engine/errors';
import { checkpointModelDir, runPaths, type RunRecord } from '../../../../src/common/runFolder/runRecord';
import type { RunStateName } from '../../../../src/protocol/train';
import { currentOwner } from '../../../../src/common/runFolder/runOwner';

function record(runId: string, state: RunStateName, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    runId, state, labels: ['joy', 'sadness'], backend: 'js', dataset: null, model: null, createdAt: '2026-11-23T10:00:00Z', updatedAt: '',
    config: { dataset: '/d/train.jsonl', model: 'ngram', mode: 'full', epochs: 4, batchSize: 4, learningRate: 0.1, weightDecay: 0, warmupRatio: 0, maxLength: 8, gradientAccumulation: 1, maxGradNorm: 0, patience: 0, seed: 1, validationSplit: 0.1, backend: 'auto', workers: 0 },
    progress: { epoch: 2, step: 0, stepsPerEpoch: 1, epochs: 4 },
    best: null, test: null, ...extra,
  };
}

async function withRunsDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-ckpt-state-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a failed run with no checkpoint: export and predict say it failed, with its message (VS Code: its editor wording)', () => withRunsDir(async (dir) => {
  const runDir = join(dir, '2026-11-23T10-00-00-failed-ngram');
  await mkdir(runDir);
  await writeRun(runDir, record('r-failed', 'failed', { message: 'the dataset has one label; pass --label-field.', editorMessage: 'the dataset has one label; pick the label field.' }));
  for (const [what, call] of [['export', () => exportRun(runDir, join(dir, 'out'))], ['predict with', () => loadPredictor(runDir)]] as const) {
    await assert.rejects(call(), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.match(e.message, new RegExp(`run r-failed failed before it saved a checkpoint, so there is nothing to ${what}: the dataset has one label; pass --label-field\\. Fix that`));
      assert.doesNotMatch(e.message, /first epoch|wait/);
      assert.match(e.data.editorDetail ?? '', /pick the label field/);
      return true;
    });
  }
}));

test('a cancelled run with no checkpoint says to train it again; a running one says to wait', () => withRunsDir(async (dir) => {
  const cancelled = join(dir, 'c');
  await mkdir(cancelled);
  await writeRun(cancelled, record('r-c', 'cancelled'));
  await assert.rejects(exportRun(cancelled, join(dir, 'out')), /was cancelled before it saved a checkpoint, so there is nothing to export: train it again/);
  const running = join(dir, 'r');
  await mkdir(running);
  // Owned by a live process other than this one (this one's own runs count as left behind by an earlier engine).
  await writeRun(running, record('r-r', 'running', { owner: { ...currentOwner(), pid: process.ppid } }));
  await assert.rejects(loadPredictor(running), /no checkpoint to predict with yet \(it is running\).*so wait/);
}));

test('exporting an interrupted run warns that it is the last checkpoint of unfinished training; a completed run does not', () => withRunsDir(async (dir) => {
  const runDir = join(dir, 'i');
  await mkdir(runDir);
  const base = record('r-i', 'interrupted', { message: 'the engine stopped' });
  const clf = await createNgramClassifier(base.config, base.labels);
  const texts = ['happy day', 'sad news', 'lovely happy', 'awful sad'];
  await clf.beginTraining(texts.map((text, i) => ({ text, label: i % 2 ? 'sadness' : 'joy', file: 'x', line: i + 1 })), { epochs: 1, seed: 1 });
  await clf.saveCheckpoint(checkpointModelDir(runPaths(runDir).lastCheckpoint));
  await writeRun(runDir, base);
  const result = await exportRun(runDir, join(dir, 'out'));
  assert.match(result.warning ?? '', /run r-i did not finish \(interrupted, 2 of 4 epochs done\): this is the last checkpoint it saved, from unfinished training/);
  await writeRun(runDir, { ...base, state: 'completed', progress: { ...base.progress, epoch: 4 } });
  assert.equal((await exportRun(runDir, join(dir, 'out'))).warning, undefined);
}));
