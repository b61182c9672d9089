// The `label-issues` CLI command on a small generated dataset with one planted wrong label and one conflicting duplicate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelIssuesCommand } from '../../../../src/engine/cli/labelIssuesCommand';
import { findLabelIssuesInDataset } from '../../../../src/engine/labelIssues/findLabelIssuesInDataset';
import type { LabelIssueReport } from '../../../../src/protocol/labelIssueReport';

async function plantedDataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-li-cli-'));
  const lines = ['{"text":"i am happy","label":"joy"}', '{"text":"I am happy!","label":"sadness"}'];
  for (let i = 0; i < 40; i++) lines.push(`{"text":"so glad and happy ${i}","label":"joy"}`, `{"text":"so sad and gloomy ${i}","label":"sadness"}`);
  lines.push('{"text":"so sad and gloomy today","label":"joy"}');
  const file = join(dir, 'data.jsonl');
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

function capture(json: boolean, cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, context: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), json, cwd, signal: new AbortController().signal } };
}

test('prints the ranked table and the conflicting duplicates; --json prints the report', async () => {
  const file = await plantedDataset();
  const human = capture(false, join(file, '..'));
  // 83 lines are too few for the default rule to rule a label out (p(given) < 0.15 for K = 2); the table is what is tested.
  assert.equal(await labelIssuesCommand.run({ positionals: [file], options: { folds: '3', 'filter-by': 'pruneByClass' } }, human.context), 0);
  const text = human.out.join('');
  assert.match(text, /^data\.jsonl: \d+ likely label issues? in 83 lines \(ngram, 3-fold out-of-fold × 3, pruneByClass;/);
  assert.match(text, /\nOut-of-fold model: accuracy 9\d\.\d% vs \d+\.\d% for always "\w+"; log loss \d\.\d{3} vs \d\.\d{3} for the label frequencies\.\n/);
  assert.match(text, /\n {2}1 {2}data\.jsonl:83 +joy +sadness +0\.\d{3} +0\.\d{3} +so sad and gloomy today\n/);
  assert.match(text, /1 text appears with conflicting labels:\n {2}near-duplicate "i am happy" — lines 1:joy, 2:sadness/);
  assert.match(human.err.join(''), /Fold 3\/3 \(pass 3\/3\)/);

  const json = capture(true, '/');
  await labelIssuesCommand.run({ positionals: [file], options: { 'filter-by': 'pruneByClass', 'frac-noise': '1', repeats: '1' } }, json.context);
  const report = JSON.parse(json.out.join('')) as LabelIssueReport;
  assert.equal(report.folds, 5);
  assert.equal(report.repeats, undefined, 'one pass');
  assert.equal(report.filterBy, 'pruneByClass');
  assert.equal(report.fracNoise, 1);
  assert.equal(report.reliability?.verdict, 'reliable');
  assert.equal(report.issues[0].line, 83);
  assert.equal(report.issues[0].suggestedLabel, 'sadness');
  assert.deepEqual([report.textField, report.labelField], ['text', 'label'], 'the editor needs the field names');
});

test('bad options are usage errors; runDir gets label-issues.json', async () => {
  const file = await plantedDataset();
  const c = capture(false, '/');
  await assert.rejects(labelIssuesCommand.run({ positionals: [file], options: { 'filter-by': 'magic' } }, c.context), /--filter-by must be one of/);
  await assert.rejects(labelIssuesCommand.run({ positionals: [file], options: { 'frac-noise': '2' } }, c.context), /--frac-noise must be a number in \(0, 1\]/);
  await assert.rejects(labelIssuesCommand.run({ positionals: [file], options: { folds: '1' } }, c.context), /--folds must be an integer ≥ 2/);
  await assert.rejects(labelIssuesCommand.run({ positionals: [file], options: { repeats: '0' } }, c.context), /--repeats must be an integer ≥ 1/);
  await assert.rejects(labelIssuesCommand.run({ positionals: [file], options: { mode: 'lora' } }, c.context), /--mode must be feature-extraction or full/);
  const runDir = join(file, '..', 'run');
  const report = await findLabelIssuesInDataset({ dataset: file, folds: 3, runDir });
  assert.deepEqual(JSON.parse(await readFile(join(runDir, 'label-issues.json'), 'utf8')), report);
});
