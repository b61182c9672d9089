import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { trainRun, resumeRun, type RunMetricsFile } from '../../src/engine/train/runTraining';
import { listRuns, markInterrupted, readRun } from '../../src/engine/runs/runStore';
import type { TrainConfigInput } from '../../src/protocol/runs';
import { writeTinyDataset } from './trainFixture';
import { needs, shared, sharedPath } from '../helpers/requirements';

const root = join(__dirname, '..', '..');
const bertTiny = sharedPath('models', 'bert-tiny-random');

/** Trains in a child process and SIGKILLs it when it reaches (epoch, step); resolves with the run folder. */
async function trainAndKill(config: TrainConfigInput, epoch: number, step: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'trainChild.ts'), 'train', JSON.stringify(config)], {
    cwd: root, env: { ...process.env, KILL_AT_EPOCH: String(epoch), KILL_AT_STEP: String(step) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let sawKillPoint = false;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'READY_TO_DIE') {
      sawKillPoint = true;
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  assert.ok(sawKillPoint, 'the child reached the kill point');
  const runsDir = config.runsDir!;
  const [runId] = await readdir(runsDir);
  return join(runsDir, runId!);
}

async function killResumeCompare(config: TrainConfigInput, stepsPerEpoch: number, killStepInEpoch2: number): Promise<string[]> {
  const straight = await trainRun({ ...config, runsDir: join(config.runsDir!, '..', 'straight') });
  const runDir = await trainAndKill(config, 2, stepsPerEpoch + killStepInEpoch2);
  const killed = await readRun(runDir);
  assert.equal(killed.state, 'running', 'a killed process leaves its run marked running');
  assert.equal((await listRuns(config.runsDir!))[0]!.state, 'interrupted', 'listed as interrupted: its process is gone');
  // checkpoints/last is the end of epoch 1: the kill came mid-epoch 2.
  assert.deepEqual(killed.progress, { epoch: 1, step: 0, stepsPerEpoch, epochs: config.epochs });
  const events = (await readFile(join(runDir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; epoch?: number });
  assert.ok(events.some((e) => e.type === 'progress' && e.epoch === 2), 'epoch 2 had started');
  assert.ok(!events.some((e) => e.type === 'epoch' && e.epoch === 2), 'epoch 2 had not finished');
  await markInterrupted(runDir, 'engine process died');
  assert.equal((await readRun(runDir)).state, 'interrupted');

  const logs: string[] = [];
  const resumed = await resumeRun(runDir, { onEvent: (e) => { if (e.type === 'log') logs.push(`[${e.level}] ${e.message}`); } });
  assert.equal(resumed.state, 'completed');
  assert.deepEqual(resumed.test, straight.test, 'final test metrics equal the uninterrupted run');
  const metrics = (dir: string) => readFile(join(dir, 'metrics.json'), 'utf8').then((t) => JSON.parse(t) as RunMetricsFile);
  assert.deepEqual((await metrics(runDir)).epochs, (await metrics(straight.runDir)).epochs, 'every epoch evaluation is equal');
  assert.equal(await readFile(join(runDir, 'predictions', 'test.jsonl'), 'utf8'), await readFile(join(straight.runDir, 'predictions', 'test.jsonl'), 'utf8'));
  return logs;
}

test('an n-gram run SIGKILLed mid-epoch resumes to the same result as an uninterrupted run', async () => {
  const { dir, train } = await writeTinyDataset();
  try {
    await killResumeCompare({ dataset: train, model: 'ngram', epochs: 3, batchSize: 2, learningRate: 0.5, patience: 0, runsDir: join(dir, 'runs', 'killed') }, 30, 11);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a tiny BERT run SIGKILLed mid-epoch resumes to the same result', needs(shared('models/bert-tiny-random')), async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const logs = await killResumeCompare(
      { dataset: train, model: bertTiny, epochs: 3, batchSize: 4, learningRate: 1e-3, maxLength: 16, patience: 0, workers: 1, backend: 'wasm', runsDir: join(dir, 'runs', 'killed') },
      6,
      3,
    );
    // Building the base model logs what it initialises (the new task head); on resume that reads as info with its
    // reason, never as if the trained weights were lost.
    const building = logs.filter((l) => l.includes('before loading this run\'s checkpoint'));
    assert.ok(building.length > 0, `the model-building notes say the checkpoint follows: ${logs.join(' | ')}`);
    for (const line of building) assert.match(line, /^\[info\] /);
    assert.ok(!logs.some((l) => /Newly initialised/.test(l)), logs.join(' | '));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
