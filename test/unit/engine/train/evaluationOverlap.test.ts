// `eval` of a run on its own training or validation lines says the metrics are optimistic; on held-out lines it is silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../src/engine/cli/runCli';
import { commands } from '../../../../src/engine/cli/commands';

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, signal: new AbortController().signal, version: 'test' });
  return { code, stdout, stderr };
}

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => {
  const label = (from + i) % 2 ? 'pos' : 'neg';
  return JSON.stringify({ text: `${label === 'pos' ? 'great lovely' : 'awful bad'} thing number ${from + i}`, label });
}).join('\n') + '\n';

test('eval warns when the lines trained the run or selected its checkpoint, by path and by text', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-overlap-'));
  try {
    await writeFile(join(dir, 'train.jsonl'), rows(0, 40));
    await writeFile(join(dir, 'validation.jsonl'), rows(100, 10));
    await writeFile(join(dir, 'test.jsonl'), rows(200, 10));
    const trained = await cli(['train', 'train.jsonl', '--model', 'ngram', '--epochs', '1', '--runs-dir', 'runs'], dir);
    assert.equal(trained.code, 0, trained.stderr);
    const [runId] = await readdir(join(dir, 'runs'));
    const run = join('runs', runId!);

    const onTrain = await cli(['eval', run, '../' + dir.split('/').pop() + '/train.jsonl'], dir);
    assert.equal(onTrain.code, 0, onTrain.stderr);
    assert.match(onTrain.stderr, new RegExp(`Warning: This is the training file of run ${runId}: 40 of 40 lines \\(100%\\) were used for training, so these metrics are optimistic`));
    const onValidation = await cli(['eval', run, 'validation.jsonl'], dir);
    assert.match(onValidation.stderr, /This is the validation file of run .*: 10 of 10 lines \(100%\) were used for model selection/);
    // A copy is caught by its texts.
    await copyFile(join(dir, 'train.jsonl'), join(dir, 'copy.jsonl'));
    const onCopy = await cli(['eval', run, 'copy.jsonl', '--json'], dir);
    const overlap = (JSON.parse(onCopy.stdout) as { overlap: { train: number; validation: number; textsCompared: boolean; sameFileAs?: string } }).overlap;
    assert.deepEqual([overlap.train, overlap.validation, overlap.textsCompared, overlap.sameFileAs], [40, 0, true, undefined]);
    const onTest = await cli(['eval', run, 'test.jsonl'], dir);
    assert.equal(onTest.code, 0, onTest.stderr);
    assert.doesNotMatch(onTest.stderr, /Warning/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
