import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRun, listRuns, markInterrupted, readRun, writeRun } from '../../../../src/engine/runs/runStore';
import { existingFolder, replaceDirAtomic, writeFileAtomic } from '../../../../src/engine/atomicWrite';
import type { RunRecord } from '../../../../src/common/runFolder/runRecord';
import type { RunStateName } from '../../../../src/protocol/train';

function record(runId: string, state: RunStateName): RunRecord {
  return {
    runId, state, labels: ['a', 'b'], backend: 'js', dataset: null, model: null, createdAt: '2026-11-23T10:00:00Z', updatedAt: '',
    config: { dataset: '/d/train.jsonl', model: 'ngram', mode: 'full', epochs: 1, batchSize: 1, learningRate: 0.1, weightDecay: 0, warmupRatio: 0, maxLength: 8, gradientAccumulation: 1, maxGradNorm: 0, patience: 0, seed: 1, validationSplit: 0.1, backend: 'auto', workers: 0 },
    progress: { epoch: 0, step: 0, stepsPerEpoch: 1, epochs: 1 },
    best: state === 'completed' ? { epoch: 1, trainLoss: 0.5, validationLoss: 0.4, validationAccuracy: 0.9, validationMacroF1: 0.85 } : null,
    test: null,
  };
}

test('list, read, mark interrupted and delete runs', async () => {
  const runsDir = await mkdtemp(join(tmpdir(), 'runs-'));
  try {
    assert.deepEqual(await listRuns(join(runsDir, 'missing')), []);
    for (const [id, state] of [['2026-11-23T10-00-00-x-ngram', 'completed'], ['2026-11-23T11-00-00-x-ngram', 'running']] as const) {
      await mkdir(join(runsDir, id));
      await writeRun(join(runsDir, id), record(id, state));
    }
    await mkdir(join(runsDir, 'not-a-run'));
    await writeFile(join(runsDir, 'stray.txt'), 'x');
    const runs = await listRuns(runsDir);
    assert.deepEqual(runs.map((r) => r.runId), ['2026-11-23T11-00-00-x-ngram', '2026-11-23T10-00-00-x-ngram'], 'newest first, non-runs skipped');
    assert.equal(runs[1]!.bestAccuracy, 0.9);
    assert.equal(runs[0]!.bestAccuracy, undefined);

    const running = join(runsDir, '2026-11-23T11-00-00-x-ngram');
    await assert.rejects(deleteRun(running), /is running; stop it/);
    await markInterrupted(running, 'engine died');
    const after = await readRun(running);
    assert.equal(after.state, 'interrupted');
    assert.equal(after.message, 'engine died');
    await markInterrupted(join(runsDir, '2026-11-23T10-00-00-x-ngram'), 'x');
    assert.equal((await readRun(join(runsDir, '2026-11-23T10-00-00-x-ngram'))).state, 'completed', 'a finished run is not marked');
    await deleteRun(running);
    assert.equal((await listRuns(runsDir)).length, 1);
    await assert.rejects(readRun(running), /run.json is missing/);
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});

test('a corrupt run.json is reported with its path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'run-'));
  try {
    await writeFile(join(dir, 'run.json'), '{"runId": ');
    await assert.rejects(readRun(dir), (err: Error) => err.message.startsWith(join(dir, 'run.json')) && /not valid JSON/.test(err.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('atomic writes leave no temp files; a folder replace that fails keeps the old folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  try {
    await writeFileAtomic(join(dir, 'sub', 'f.txt'), 'one');
    await writeFileAtomic(join(dir, 'sub', 'f.txt'), 'two');
    assert.equal(await readFile(join(dir, 'sub', 'f.txt'), 'utf8'), 'two');
    assert.deepEqual(await readdir(join(dir, 'sub')), ['f.txt']);

    const target = join(dir, 'ckpt');
    await replaceDirAtomic(target, (t) => writeFile(join(t, 'w'), 'v1'));
    await replaceDirAtomic(target, (t) => writeFile(join(t, 'w'), 'v2'));
    assert.equal(await readFile(join(target, 'w'), 'utf8'), 'v2');
    await assert.rejects(replaceDirAtomic(target, async (t) => { await writeFile(join(t, 'w'), 'half'); throw new Error('disk full'); }), /disk full/);
    assert.equal(await readFile(join(target, 'w'), 'utf8'), 'v2');
    assert.deepEqual((await readdir(dir)).sort(), ['ckpt', 'sub']);

    // A crash between the two renames leaves only `.old`: it is still found.
    const { rename } = await import('node:fs/promises');
    await rename(target, `${target}.old`);
    assert.equal(await existingFolder(target), `${target}.old`);
    assert.equal(await existingFolder(join(dir, 'none')), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
