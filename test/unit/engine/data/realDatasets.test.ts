// Counts on the real datasets in ../shared/data (present on every developer machine and in CI).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { loadDataset } from '../../../../src/engine/data/loadDataset';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const data = sharedPath('data');
const test = testsNeeding(shared('data/emotion'), shared('data/banking77'));

test('emotion train: 16000 examples, 6 labels with the published counts, 30 conflicting texts', async () => {
  const report = await inspectDataset(join(data, 'emotion/train.jsonl'));
  assert.equal(report.exampleCount, 16000);
  assert.deepEqual(report.labels, ['anger', 'fear', 'joy', 'love', 'sadness', 'surprise']);
  assert.deepEqual(report.labelCounts, [2159, 1937, 5362, 1304, 4666, 572]);
  assert.equal(report.conflictingTexts, 30);
  assert.equal(report.trainable, true);
  assert.deepEqual(report.fields, { format: 'fields', textField: 'text', labelField: 'label', detected: true });
  // The siblings' own problems are listed too (validation and test each repeat a text with another label).
  const conflicts = report.problems.filter((p) => p.kind === 'conflictingLabels');
  assert.equal(conflicts.filter((p) => p.file === report.file).length, 30);
  assert.equal(report.problemCounts.find((c) => c.kind === 'conflictingLabels')?.count, conflicts.length);
  assert.ok(conflicts.length > 30);
  assert.equal(report.problemCounts.filter((c) => c.severity === 'error').length, 0);
  assert.deepEqual(report.siblingExampleCounts, { [join(data, 'emotion/validation.jsonl')]: 2000, [join(data, 'emotion/test.jsonl')]: 2000 });
});

test('emotion as a folder loads its three sibling files', async () => {
  const splits = await loadDataset(join(data, 'emotion'));
  assert.deepEqual([splits.train.length, splits.validation.length, splits.test.length], [16000, 2000, 2000]);
  assert.equal(splits.labels.length, 6);
});

test('banking77 train: 10003 examples, 77 labels; validation carved from train, test from its file', async () => {
  const report = await inspectDataset(join(data, 'banking77/train.jsonl'));
  assert.equal(report.exampleCount, 10003);
  assert.equal(report.labels.length, 77);
  assert.ok(report.labelCounts.every((c) => c >= 2));
  const splits = await loadDataset(join(data, 'banking77/train.jsonl'));
  assert.equal(splits.train.length + splits.validation.length, 10003);
  assert.equal(splits.test.length, 3080);
  assert.equal(new Set(splits.validation.map((e) => e.label)).size, 77);
});
