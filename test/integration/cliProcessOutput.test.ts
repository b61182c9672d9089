// The real CLI process (src/engine/cli/main.ts) when its output goes away or it is told to stop: a closed pipe
// (`train … | head -2`) drops the output and the run still completes; SIGTERM and SIGHUP stop like Ctrl+C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readRun } from '../../src/engine/runs/runStore';
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
