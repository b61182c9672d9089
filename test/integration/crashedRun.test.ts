// Crashed runs (issue 17, kind 6): a run whose process died — killed before its first checkpoint, or while queued —
// is `interrupted` in every listing, and can always be deleted or restarted from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { prepareRun } from '../../src/engine/train/runTraining';
import { readRun, writeRun } from '../../src/engine/runs/runStore';
import { runStateOnDisk } from '../../src/common/runFolder/runOwner';
import { runCliCapture } from '../helpers/runCliCapture';
import { writeTinyDataset } from './trainFixture';

const root = join(__dirname, '..', '..');

/** Trains in a child process and SIGKILLs it at its first training step (before any checkpoint); returns the run folder. */
async function killBeforeFirstCheckpoint(train: string, runsDir: string): Promise<string> {
  const config = { dataset: train, model: 'ngram', epochs: 2, batchSize: 8, learningRate: 1, runsDir };
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'trainChild.ts'), 'train', JSON.stringify(config)], {
    cwd: root, env: { ...process.env, KILL_AT_EPOCH: '1', KILL_AT_STEP: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'READY_TO_DIE') {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  const [runId] = await readdir(runsDir);
  return join(runsDir, runId!);
}

/** The pid of a process that has exited: an owner that is certainly dead. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a CLI run killed before its first checkpoint is interrupted everywhere and can be deleted (the reproducer)', async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const runsDir = join(dir, 'runs-a');
    const runDir = await killBeforeFirstCheckpoint(train, runsDir);
    assert.equal((await readRun(runDir)).state, 'running', 'the killed process left running behind');
    assert.equal(existsSync(join(runDir, 'checkpoints', 'last')), false, 'no checkpoint yet');
    const listed = await runCliCapture(['--json', 'runs', 'list', runsDir], dir);
    assert.equal((JSON.parse(listed.stdout) as Array<{ state: string }>)[0]!.state, 'interrupted');
    const shown = await runCliCapture(['runs', 'show', runDir], dir);
    assert.equal((JSON.parse(shown.stdout) as { state: string }).state, 'interrupted');
    assert.equal(runStateOnDisk(JSON.parse(shown.stdout) as never)?.state, 'interrupted', 'the Runs tree rule agrees');
    const deleted = await runCliCapture(['runs', 'delete', runDir], dir);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(existsSync(runDir), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a run killed before its first checkpoint can be resumed: it trains again from the start and completes', async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const runDir = await killBeforeFirstCheckpoint(train, join(dir, 'runs-b'));
    const resumed = await runCliCapture(['runs', 'resume', runDir], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr + resumed.stdout, /stopped before its first checkpoint: training it again from the start/);
    const record = await readRun(runDir);
    assert.equal(record.state, 'completed');
    assert.equal(record.owner, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('variant: a queued run whose process died is interrupted, deletable and resumable; one whose process lives is not', async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const runsDir = join(dir, 'runs-c');
    const queued = async () => {
      const { runDir } = await prepareRun({ dataset: train, model: 'ngram', epochs: 1, batchSize: 8, learningRate: 1, runsDir });
      const record = await readRun(runDir);
      assert.equal(record.owner?.pid, process.pid, 'a queued run records its owner');
      return { runDir, record };
    };
    // A live owner (a process that is not this one): still queued, not deletable.
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const a = await queued();
      await writeRun(a.runDir, { ...a.record, owner: { ...a.record.owner!, pid: live.pid! } });
      const refused = await runCliCapture(['runs', 'delete', a.runDir], dir);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /is queued; stop it before deleting it/);
      await rm(a.runDir, { recursive: true });
    } finally {
      live.kill();
    }
    // A dead owner: interrupted; deleted; another one resumed from scratch.
    const b = await queued();
    await writeRun(b.runDir, { ...b.record, owner: { ...b.record.owner!, pid: deadPid() } });
    const listed = JSON.parse((await runCliCapture(['--json', 'runs', 'list', runsDir], dir)).stdout) as Array<{ state: string; message?: string }>;
    assert.equal(listed[0]!.state, 'interrupted');
    assert.match(listed[0]!.message ?? '', /the process that queued it \(\d+\) has stopped/);
    assert.equal((await runCliCapture(['runs', 'delete', b.runDir], dir)).code, 0);
    const c = await queued();
    await writeRun(c.runDir, { ...c.record, owner: { ...c.record.owner!, pid: deadPid() } });
    const resumed = await runCliCapture(['runs', 'resume', c.runDir], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await readRun(c.runDir)).state, 'completed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
