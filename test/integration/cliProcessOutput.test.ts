// The real CLI process (src/engine/cli/main.ts) when its output goes away or it is told to stop: a closed pipe
// (`train … | head -2`) drops the output and the run still completes; SIGTERM and SIGHUP stop like Ctrl+C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readRun } from '../../src/engine/runs/runStore';
import { runCliCapture } from '../helpers/runCliCapture';
import { writeTinyDataset } from './trainFixture';

const root = join(__dirname, '..', '..');
const main = join(root, 'src', 'engine', 'cli', 'main.ts');

async function onlyRun(runsDir: string): Promise<string> {
  const [runId] = await readdir(runsDir);
  return join(runsDir, runId!);
}

test('train whose stdout and stderr pipes close at once (`| head`) still completes the run, writes its files and exits 0', async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const runsDir = join(dir, 'runs');
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'train', train, '--model', 'ngram', '--epochs', '3', '--runs-dir', runsDir], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Close the reading ends before the CLI writes anything: every write it makes gets EPIPE.
    child.stdout.destroy();
    child.stderr.destroy();
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    const runDir = await onlyRun(runsDir);
    assert.equal((await readRun(runDir)).state, 'completed');
    assert.ok(existsSync(join(runDir, 'report.md')), 'report.md written');
    assert.deepEqual([code, signal], [0, null]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const [signal, exitCode] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  test(`${signal} during train stops like Ctrl+C: checkpoint kept, run cancelled, the resume hint, exit ${exitCode}`, async () => {
    const { dir, train } = await writeTinyDataset(8);
    try {
      const runsDir = join(dir, 'runs');
      const child = spawn(process.execPath, ['--import', 'tsx', main, 'train', train, '--model', 'ngram', '--epochs', '1000', '--patience', '0', '--runs-dir', runsDir], {
        cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
      for await (const line of createInterface({ input: child.stdout })) {
        if (line.startsWith('epoch 1:')) {
          child.kill(signal);
          break;
        }
      }
      child.stdout.resume();
      assert.deepEqual(await exited, [exitCode, null], stderr);
      const runDir = await onlyRun(runsDir);
      assert.equal((await readRun(runDir)).state, 'cancelled');
      assert.ok(existsSync(join(runDir, 'checkpoints', 'last')), 'checkpoints/last written');
      assert.match(stderr, /Resume with:\n {2}npx classifier-workbench runs resume \S/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('SIGTERM stops predict while it waits for the next stdin line (exit 143)', { timeout: 60_000 }, async () => {
  const { dir, train } = await writeTinyDataset(8);
  try {
    const runsDir = join(dir, 'runs');
    const trained = await runCliCapture(['train', train, '--model', 'ngram', '--epochs', '2', '--runs-dir', runsDir], dir);
    assert.equal(trained.code, 0, trained.stderr);
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'predict', '--model', await onlyRun(runsDir)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    // A full batch (256 lines) is answered at once; then the CLI waits on stdin, which stays open.
    child.stdin.write('my parcel never arrived\n'.repeat(256));
    for await (const _line of createInterface({ input: child.stdout })) break;
    child.kill('SIGTERM');
    assert.deepEqual(await exited, [143, null], stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
