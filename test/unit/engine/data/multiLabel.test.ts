// Multi-label datasets: a list-valued label field, inspect's statistics, integer ids in lists, problem messages,
// the imbalance warning, and loading with iterative stratification (Sechidis et al. 2011).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { loadDataset } from '../../../../src/engine/data/loadDataset';
import { iterativeStratifiedSplit } from '../../../../src/engine/data/iterativeStratifiedSplit';
import { exampleLabels } from '../../../../src/engine/data/example';
import { needs, shared, sharedPath } from '../../../helpers/requirements';

const goemotions = sharedPath('data', 'goemotions');

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-multilabel-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const lines = (rows: unknown[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

test('a list-valued label field makes the dataset multi-label, with per-label counts, labels per line and top pairs', withTempDir(async (dir) => {
  const file = join(dir, 'tags.jsonl');
  writeFileSync(file, lines([
    { text: 'one', labels: ['a', 'b'] },
    { text: 'two', labels: ['a'] },
    { text: 'three', labels: [] },
    { text: 'four', labels: ['b', 'c', 'a'] },
    { text: 'five', labels: ['c'] },
    { text: 'six', labels: ['a', 'b'] },
  ]));
  const report = await inspectDataset(file);
  assert.deepEqual(report.labels, ['a', 'b', 'c']);
  assert.deepEqual(report.labelCounts, [4, 3, 2]);
  assert.equal(report.exampleCount, 6);
  assert.ok(report.multiLabel);
  assert.deepEqual(report.multiLabel.labelsPerLine, [1, 2, 2, 1]);
  assert.equal(report.multiLabel.noLabelLines, 1);
  assert.equal(report.multiLabel.meanLabelsPerLine, 9 / 6);
  assert.deepEqual(report.multiLabel.topPairs[0], { labels: ['a', 'b'], count: 3 });
  assert.deepEqual(report.multiLabel.topPairs.map((p) => p.count).sort(), [1, 1, 3]);
  assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['emptyLabelList@3']);
  assert.equal(report.trainable, true);
}));

test('a single-label file has no multi-label statistics', withTempDir(async (dir) => {
  const file = join(dir, 'single.jsonl');
  writeFileSync(file, lines([{ text: 'x', label: 'a' }, { text: 'y', label: 'b' }, { text: 'z', label: 'a' }, { text: 'w', label: 'b' }]));
  const report = await inspectDataset(file);
  assert.equal(report.multiLabel, undefined);
  assert.equal((await loadDataset(file)).multiLabel, false);
}));

test('integer ids in label lists map through the label names, as single integer labels do', withTempDir(async (dir) => {
  const file = join(dir, 'ids.jsonl');
  writeFileSync(file, lines([{ text: 'p', labels: [0, 2] }, { text: 'q', labels: [1] }, { text: 'r', labels: [2, 1] }, { text: 's', labels: [0] }, { text: 't', labels: [1, 0] }]));
  const names = ['anger', 'joy', 'fear'];
  const report = await inspectDataset(file, { labelNames: names });
  assert.deepEqual(report.labels, names);
  assert.deepEqual(report.labelCounts, [3, 3, 2]);
  const out = await inspectDataset(file, { labelNames: ['anger', 'joy'] });
  const problem = out.problems.find((p) => p.kind === 'labelOutOfRange');
  assert.ok(problem);
  assert.equal(problem.line, 1);
  assert.match(problem.message, /id 2 is out of range/);
  const data = await loadDataset(file, { labelNames: names, validationSplit: 0, testSplit: 0 });
  assert.deepEqual(data.train.map((e) => e.labels), [['anger', 'fear'], ['joy'], ['fear', 'joy'], ['anger'], ['joy', 'anger']]);
}));

test('problem messages say which item of the list is wrong and what was repeated', withTempDir(async (dir) => {
  const file = join(dir, 'bad.jsonl');
  writeFileSync(file, lines([
    { text: 'a', labels: ['x', 'y'] },
    { text: 'b', labels: ['x', { name: 'y' }] },
    { text: 'c', labels: ['y', ' '] },
    { text: 'd', labels: ['x', 'y', 'x', 'y'] },
    { text: 'e', labels: ['y', 'x'] },
  ]));
  const report = await inspectDataset(file);
  const byLine = new Map(report.problems.map((p) => [p.line, p]));
  assert.equal(byLine.get(2)?.kind, 'nonScalarLabel');
  assert.match(byLine.get(2)!.message, /item 2 of its list\) is an object/);
  assert.equal(byLine.get(3)?.kind, 'emptyLabel');
  assert.match(byLine.get(3)!.message, /item 2 of its list/);
  assert.equal(byLine.get(4)?.kind, 'duplicateLabelInList');
  assert.match(byLine.get(4)!.message, /repeats "x", "y"/);
  const data = await loadDataset(file, { validationSplit: 0, testSplit: 0 });
  assert.deepEqual(data.train.find((e) => e.line === 4)?.labels, ['x', 'y'], 'a repeated label counts once');
}));

test('the same text with another label set is a conflict; with the same set in another order, a duplicate', withTempDir(async (dir) => {
  const file = join(dir, 'dups.jsonl');
  writeFileSync(file, lines([
    { text: 'same', labels: ['a', 'b'] },
    { text: 'other', labels: ['b'] },
    { text: 'same', labels: ['b', 'a'] },
    { text: 'same', labels: ['a'] },
    { text: 'more', labels: ['a'] },
  ]));
  const report = await inspectDataset(file);
  assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['duplicate@3', 'conflictingLabels@4']);
  assert.match(report.problems[1].message, /labelled \["a","b"\]\), here labelled \["a"\]/);
}));

test('strong imbalance is warned about at the smallest class, with the ratio and the class-weights advice', withTempDir(async (dir) => {
  const file = join(dir, 'skewed.jsonl');
  const rows = [...Array.from({ length: 12 }, (_, i) => ({ text: `common ${i}`, label: 'big' })), { text: 'rare 1', label: 'small' }, { text: 'rare 2', label: 'small' }];
  writeFileSync(file, lines(rows));
  const report = await inspectDataset(file);
  const warning = report.problems.find((p) => p.kind === 'classImbalance');
  assert.ok(warning);
  assert.equal(warning.line, 13);
  assert.match(warning.message, /"big" has 12 examples, 6\.0× the 2 of "small"/);
  assert.match(warning.hint, /--class-weights balanced/);
  assert.deepEqual(report.imbalance, { majority: 'big', majorityCount: 12, minority: 'small', minorityCount: 2, ratio: 6 });
  writeFileSync(file, lines([...rows.slice(0, 8), ...rows.slice(12), { text: 'rare 3', label: 'small' }]));
  const balanced = await inspectDataset(file);
  assert.equal(balanced.problems.some((p) => p.kind === 'classImbalance'), false, 'ratio 8/3 is not warned about');
}));

test('GoEmotions loads as multi-label; the carved validation split keeps each label near its 10 % share', needs(shared('data/goemotions')), async () => {
  const data = await loadDataset(join(goemotions, 'train.jsonl'));
  assert.equal(data.multiLabel, true);
  assert.equal(data.labels.length, 28);
  assert.equal(data.train.length + data.validation.length, 5426);
  assert.equal(data.test.length, 5427);
  const count = (split: readonly { labels?: string[]; label: string }[], label: string) => split.filter((e) => exampleLabels(e).includes(label)).length;
  for (const label of data.labels) {
    const train = count(data.train, label);
    const validation = count(data.validation, label);
    assert.ok(train > 0, `${label} is in training`);
    const share = validation / (train + validation);
    // Iterative stratification meets the rounded wanted count for every label here; a random 10 % cut of
    // grief's 13 examples would miss it by more than 1 about a third of the time.
    assert.ok(Math.abs(validation - 0.1 * (train + validation)) <= 1.5, `${label}: ${validation} of ${train + validation} (${share.toFixed(3)})`);
  }
});

test('iterative stratification: deterministic by seed, identical texts kept together, every label in training', () => {
  const examples = [
    ...Array.from({ length: 40 }, (_, i) => ({ text: `t${i}`, labels: i % 3 === 0 ? ['a', 'b'] : ['a'] })),
    { text: 'dup', labels: ['c'] },
    { text: 'dup', labels: ['c'] },
    { text: 'lonely', labels: ['d'] },
    ...Array.from({ length: 10 }, (_, i) => ({ text: `none${i}`, labels: [] as string[] })),
  ];
  const first = iterativeStratifiedSplit(examples, [0.8, 0.1, 0.1], 7);
  const again = iterativeStratifiedSplit(examples, [0.8, 0.1, 0.1], 7);
  assert.deepEqual(first, again);
  assert.equal(first.flat().length, examples.length);
  const splitOf = (text: string) => first.findIndex((s) => s.some((e) => e.text === text));
  assert.equal(first[splitOf('dup')]!.filter((e) => e.text === 'dup').length, 2, 'both copies in one split');
  assert.equal(splitOf('lonely'), 0, 'a one-example label stays in training');
  for (const [j, share] of [[1, 0.1], [2, 0.1]] as const) {
    const withA = first[j].filter((e) => e.labels.includes('a')).length;
    assert.ok(Math.abs(withA - 40 * share) <= 1, `split ${j} has ${withA} of 40 "a" examples`);
    const none = first[j].filter((e) => e.labels.length === 0).length;
    assert.ok(none >= 0 && none <= 2, `split ${j} has ${none} unlabelled examples`);
  }
  const other = iterativeStratifiedSplit(examples, [0.8, 0.1, 0.1], 8);
  assert.notDeepEqual(other[1].map((e) => e.text), first[1].map((e) => e.text), 'another seed, another split');
});
