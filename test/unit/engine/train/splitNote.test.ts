// A stratified split that cannot follow its fractions (many classes too small to hold out) says so, and run.json
// records the counts it really has and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../src/engine/cli/runCli';
import { commands } from '../../../../src/engine/cli/commands';
import { loadDatasetWithReport } from '../../../../src/engine/data/loadDataset';

/** `big` classes of 20 lines, then `tiny` classes of 2 lines. */
function lines(big: number, tiny: number): string {
  const out: string[] = [];
  for (let c = 0; c < big; c++) for (let i = 0; i < 20; i++) out.push(JSON.stringify({ text: `big ${c} word${c} sample ${i}`, label: `big${c}` }));
  for (let c = 0; c < tiny; c++) for (let i = 0; i < 2; i++) out.push(JSON.stringify({ text: `tiny ${c} term${c} sample ${i}`, label: `tiny${c}` }));
  return `${out.join('\n')}\n`;
}

test('a split of many two-line classes says why it is not 80/10/10, in the log and in run.json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-splitnote-'));
  try {
    await writeFile(join(dir, 'data.jsonl'), lines(5, 50));
    let stdout = '';
    let stderr = '';
    const code = await runCli(['train', 'data.jsonl', '--model', 'ngram', '--epochs', '1', '--runs-dir', 'runs'], commands, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: dir, signal: new AbortController().signal, version: 'test' });
    assert.equal(code, 0, stderr);
    const [runId] = await readdir(join(dir, 'runs'));
    const dataset = (JSON.parse(await readFile(join(dir, 'runs', runId!, 'run.json'), 'utf8')) as { dataset: { counts: Record<string, number>; splitSource: { fractions: number[] }; splitNote?: string } }).dataset;
    // 5 × 20 lines give 2 + 2 each to validation and test; the 50 two-line classes give none.
    assert.deepEqual(dataset.counts, { train: 180, validation: 10, test: 10 });
    assert.deepEqual(dataset.splitSource.fractions, [0.8, 0.1, 0.1]);
    const note = 'split 180/10/10 instead of 160/20/20 (80%/10%/10%): the split is stratified by label (each class split in the asked shares, rounded), and 50 of 55 classes have fewer than 5 examples, so their 10% rounds to none and their lines stay in training.';
    assert.equal(dataset.splitNote, note);
    assert.ok(`${stdout}${stderr}`.includes(note), 'the run prints the line');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a split that follows its fractions has no note', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-splitnote-'));
  try {
    await writeFile(join(dir, 'data.jsonl'), lines(10, 0));
    const { splits } = await loadDatasetWithReport(join(dir, 'data.jsonl'));
    assert.deepEqual([splits.train.length, splits.validation.length, splits.test.length], [160, 20, 20]);
    assert.equal(splits.splitNote, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
