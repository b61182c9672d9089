// loadDataset: splits (siblings, grouped stratified 80/10/10), label maps, field formats, fingerprints, refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, loadDatasetWithReport } from '../../../../src/engine/data/loadDataset';
import { stratifiedSplit } from '../../../../src/engine/data/stratifiedSplit';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';
import { labelSetWarnings } from '../../../../src/engine/train/runTraining';

const fixtures = join(__dirname, '../../../fixtures');
const small = join(fixtures, 'good/small.jsonl');

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-load-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('one file is split 80/10/10 per class, deterministically, keeping file and line', async () => {
  const a = await loadDataset(small);
  const b = await loadDataset(small);
  assert.deepEqual(a, b);
  assert.deepEqual(a.labels, ['neg', 'neutral', 'pos']);
  assert.deepEqual([a.train.length, a.validation.length, a.test.length], [96, 12, 12]);
  for (const split of [a.train, a.validation, a.test]) {
    for (const label of a.labels) assert.ok(split.filter((e) => e.label === label).length > 0);
  }
  assert.deepEqual(a.splitSource, { kind: 'stratified', file: small, seed: 42, fractions: [0.8, 0.1, 0.1] });
  const lines = readFileSync(small, 'utf8').split('\n');
  for (const ex of [...a.train, ...a.validation, ...a.test]) {
    assert.equal(ex.file, small);
    assert.deepEqual(JSON.parse(lines[ex.line - 1]), { text: ex.text, label: ex.label });
  }
  const seen = new Set([...a.train, ...a.validation, ...a.test].map((e) => e.line));
  assert.equal(seen.size, 120);
  const other = await loadDataset(small, { seed: 7 });
  assert.notDeepEqual(other.validation.map((e) => e.line), a.validation.map((e) => e.line));
  assert.notEqual(other.fingerprint, a.fingerprint);
});

test('stratifiedSplit keeps identical texts in one split and every class in training', () => {
  const examples = [
    ...Array.from({ length: 30 }, (_, i) => ({ text: `a${i % 10}`, label: 'a' })),
    ...Array.from({ length: 20 }, (_, i) => ({ text: `b${i}`, label: 'b' })),
    { text: 'lonely', label: 'c' },
  ];
  const [train, validation, test] = stratifiedSplit(examples, [0.8, 0.1, 0.1], 42);
  assert.equal(train.length + validation.length + test.length, examples.length);
  const where = new Map<string, number>();
  [train, validation, test].forEach((split, s) => {
    for (const e of split) {
      assert.equal(where.get(e.text) ?? s, s, `"${e.text}" is in two splits`);
      where.set(e.text, s);
    }
  });
  assert.ok(train.some((e) => e.label === 'c'));
  assert.equal(validation.filter((e) => e.label === 'b').length, 2);
});

test('sibling files are used as given; a missing validation split is carved from training', async () => {
  const dir = join(fixtures, 'bad/splitOverlap');
  const { splits, report } = await loadDatasetWithReport(dir);
  assert.equal(splits.splitSource.kind, 'siblings');
  assert.deepEqual(splits.test.map((e) => e.line), [1, 2, 3]);
  assert.equal(splits.test[0].file, join(dir, 'test.jsonl'));
  assert.equal(splits.train.length + splits.validation.length, 6);
  assert.deepEqual(splits.labels, ['neg', 'pos', 'zzz']);
  const kinds = report.problems.map((p) => `${p.kind}@${p.line}`);
  assert.ok(kinds.includes('sharedAcrossSplits@2'));
  assert.ok(kinds.includes('labelNotInTrain@3'));
});

test('siblings are found by name: train/validation/test, val, dev; folder input', withTempDir(async (dir) => {
  for (const name of ['my_train.jsonl', 'my_dev.jsonl', 'my_test.jsonl']) copyFileSync(small, join(dir, name));
  const a = await loadDataset(join(dir, 'my_train.jsonl'));
  assert.deepEqual(a.splitSource, { kind: 'siblings', files: { train: join(dir, 'my_train.jsonl'), validation: join(dir, 'my_dev.jsonl'), test: join(dir, 'my_test.jsonl') } });
  assert.equal(a.train.length, 120);
  copyFileSync(small, join(dir, 'train.jsonl'));
  copyFileSync(small, join(dir, 'val.jsonl'));
  const b = await loadDataset(dir);
  assert.deepEqual(b.splitSource, { kind: 'siblings', files: { train: join(dir, 'train.jsonl'), validation: join(dir, 'val.jsonl') } });
  assert.equal(b.test.length, 0);
}));

test('chat format and integer labels with and without a label-names list', async () => {
  const chat = await loadDataset(join(fixtures, 'good/chat.jsonl'));
  assert.deepEqual(chat.labels, ['a', 'b']);
  const all = [...chat.train, ...chat.validation, ...chat.test].sort((x, y) => x.line - y.line);
  assert.deepEqual(all[0], { text: 'message number 0', label: 'a', file: join(fixtures, 'good/chat.jsonl'), line: 1 });

  const ints = await loadDataset(join(fixtures, 'good/integerLabels.jsonl'));
  assert.deepEqual(ints.labels, ['0', '1', '2']);
  const named = await loadDataset(join(fixtures, 'good/integerLabels.jsonl'), { labelNames: ['zero', 'one', 'two', 'unused'] });
  assert.deepEqual(named.labels, ['zero', 'one', 'two', 'unused']);
  const firstLine = [...named.train, ...named.validation, ...named.test].find((e) => e.line === 2);
  assert.equal(firstLine?.label, 'one');
  assert.equal(firstLine?.text, 'sentence 1');
});

test('explicit fields override detection', withTempDir(async (dir) => {
  const file = join(dir, 'd.jsonl');
  const rows = Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `ignored ${i}`, body: `body ${i}`, label: 'x', tag: i % 2 ? 'odd' : 'even' }));
  writeFileSync(file, rows.join('\n'));
  const d = await loadDataset(file, { textField: 'body', labelField: 'tag' });
  assert.deepEqual(d.labels, ['even', 'odd']);
  assert.ok([...d.train, ...d.validation, ...d.test].every((e) => e.text.startsWith('body ')));
  await assert.rejects(loadDataset(file), (err: unknown) => err instanceof EngineError && /"x"/.test(err.message));
}));

test('untrainable data throws invalidDataset naming the file and line', async () => {
  const cases: [string, number, RegExp][] = [
    ['oneClass.jsonl', 1, /at least two classes/],
    ['empty.jsonl', 1, /empty/],
    ['allInvalid.jsonl', 1, /No line has a usable text/],
  ];
  for (const [name, line, message] of cases) {
    const file = join(fixtures, 'bad', name);
    await assert.rejects(loadDataset(file), (err: unknown) => {
      assert.ok(err instanceof EngineError, name);
      assert.equal(err.code, EngineErrorCodes.invalidDataset);
      assert.equal(err.data.file, file);
      assert.equal(err.data.line, line);
      assert.match(err.message, message);
      return true;
    });
  }
  await assert.rejects(loadDataset(join(fixtures, 'bad/nope.jsonl')), (err: unknown) => err instanceof EngineError && err.data.file === join(fixtures, 'bad/nope.jsonl'));
  await assert.rejects(loadDataset(small, { validationSplit: 0.6, testSplit: 0.5 }), (err: unknown) => err instanceof EngineError && err.code === EngineErrorCodes.invalidOption);
});

test('lines with problems are skipped and reported, not thrown', async () => {
  const { splits, report } = await loadDatasetWithReport(join(fixtures, 'bad/truncatedLine.jsonl'));
  assert.equal(splits.train.length + splits.validation.length + splits.test.length, 4);
  assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['invalidJson@3']);
});

test('the fingerprint follows content, not the path', withTempDir(async (dir) => {
  const copy = join(dir, 'copy.jsonl');
  copyFileSync(small, copy);
  const a = await loadDataset(small);
  assert.equal((await loadDataset(copy)).fingerprint, a.fingerprint);
  writeFileSync(copy, readFileSync(small, 'utf8').replace('#7"', '#7!"'));
  assert.notEqual((await loadDataset(copy)).fingerprint, a.fingerprint);
  assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
}));

test('a small file still gets a validation and a test example when classes allow it', () => {
  const examples = Array.from({ length: 8 }, (_, i) => ({ text: `t${i}`, label: i % 2 ? 'a' : 'b' }));
  const [train, validation, test] = stratifiedSplit(examples, [0.8, 0.1, 0.1], 42);
  assert.deepEqual([train.length, validation.length, test.length], [6, 1, 1]);
  assert.deepEqual(new Set(train.map((e) => e.label)), new Set(['a', 'b']));
  const tiny = stratifiedSplit(examples.slice(0, 4), [0.8, 0.1, 0.1], 42);
  assert.deepEqual(tiny.map((s) => s.length), [4, 0, 0], 'two examples per class are both kept for training');
});

test('train says which labels only evaluation has and which differ only in case; both stay classes', withTempDir(async (dir) => {
  const rows = (label: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `${label} text ${from + i}`, label })).join('\n');
  writeFileSync(join(dir, 'train.jsonl'), `${rows('sadness', 4)}\n${rows('joy', 4)}\n${rows('Sadness', 1, 9)}\n`);
  writeFileSync(join(dir, 'validation.jsonl'), `${rows('joy', 2, 20)}\n${rows('boredom', 1, 20)}\n`);
  const { splits, report } = await loadDatasetWithReport(join(dir, 'train.jsonl'));
  // The class stays in the map so its validation line counts as misclassified (as sklearn's classification_report).
  assert.deepEqual(splits.labels, ['Sadness', 'boredom', 'joy', 'sadness']);
  assert.equal(splits.validation.filter((e) => e.label === 'boredom').length, 1);
  assert.deepEqual(labelSetWarnings(report), [
    `${join(dir, 'validation.jsonl')}:3: Label "boredom" (validation.jsonl line 3) is never seen in training; the model cannot learn it.`,
    `${join(dir, 'train.jsonl')}:9: Labels "sadness" (4 lines, first at line 1) and "Sadness" (1 line, first at line 9) differ only in case or spacing, so they are 2 separate classes.`,
  ]);
}));

test('the skipped-lines log line sends the CLI to `classifier-workbench inspect`, VS Code to "Inspect dataset" and the Problems panel', async () => {
  const { skippedLinesAdvice } = await import('../../../../src/engine/train/runTraining');
  const { message, editorMessage } = skippedLinesAdvice('2 lines were skipped: invalidJson 2', '/w/train.jsonl');
  assert.equal(message, '2 lines were skipped: invalidJson 2; run `classifier-workbench inspect /w/train.jsonl` for every problem with its line');
  assert.equal(editorMessage, '2 lines were skipped: invalidJson 2; "Inspect dataset" on the file lists, in the Problems panel, every problem with its line');
});
