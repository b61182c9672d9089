// inspectDataset options and formats: tokenizer lengths, prompt/completion fields, chat content parts,
// per-kind problem limits, sibling checks on or off, folder input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { loadTokenizer } from '../../../../src/engine/tokenizer/loadTokenizer';
import { needs, shared, sharedPath } from '../../../helpers/requirements';

const fixtures = join(__dirname, '../../../fixtures');
const modelDir = sharedPath('models', 'bert-tiny-random');

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-inspect-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('token lengths come from the tokenizer when one is given', needs(shared('models/bert-tiny-random')), async () => {
  const tokenizer = await loadTokenizer(modelDir);
  const file = join(fixtures, 'good/small.jsonl');
  const withTokenizer = await inspectDataset(file, { tokenizer });
  const estimated = await inspectDataset(file);
  assert.equal(withTokenizer.tokenLengthSource, 'tokenizer');
  assert.equal(estimated.tokenLengthSource, 'wordEstimate');
  const { readFileSync } = await import('node:fs');
  const lengths = readFileSync(file, 'utf8').trim().split('\n').map((l) => tokenizer.encode((JSON.parse(l) as { text: string }).text).length);
  assert.equal(withTokenizer.tokenLength.max, Math.max(...lengths));
  assert.equal(withTokenizer.tokenLength.min, Math.min(...lengths));
  assert.ok(Math.abs(withTokenizer.tokenLength.mean - lengths.reduce((a, b) => a + b, 0) / lengths.length) < 1e-9);
});

test('prompt/completion files are detected; completion labels are trimmed', withTempDir(async (dir) => {
  const file = join(dir, 'pc.jsonl');
  writeFileSync(file, ['{"prompt": "great stuff", "completion": " positive"}', '{"prompt": "awful", "completion": " negative"}', '{"prompt": "fine", "completion": " positive"}'].join('\n'));
  const report = await inspectDataset(file);
  assert.deepEqual(report.fields, { format: 'fields', textField: 'prompt', labelField: 'completion', detected: true });
  assert.deepEqual(report.labels, ['negative', 'positive']);
}));

test('chat content given as text parts is joined; system messages are ignored', withTempDir(async (dir) => {
  const file = join(dir, 'chat.jsonl');
  const line = (text: unknown, label: string): string => JSON.stringify({ messages: [{ role: 'system', content: 'Classify.' }, { role: 'user', content: text }, { role: 'assistant', content: label }] });
  writeFileSync(file, [line([{ type: 'text', text: 'first part' }, { type: 'text', text: 'second' }], 'a'), line('plain', 'b'), line('other', 'a')].join('\n'));
  const report = await inspectDataset(file);
  assert.deepEqual(report.fields, { format: 'chat', detected: true });
  assert.equal(report.exampleCount, 3);
  assert.equal(report.textLength.max, 'first part\nsecond'.length);
}));

test('only the first N problems of a kind are kept, all are counted', withTempDir(async (dir) => {
  const file = join(dir, 'many.jsonl');
  const valid = ['{"text":"a","label":"x"}', '{"text":"b","label":"y"}', '{"text":"c","label":"x"}', '{"text":"d","label":"y"}'];
  writeFileSync(file, [...valid, ...Array.from({ length: 50 }, () => 'oops')].join('\n'));
  const report = await inspectDataset(file, { problemLimitPerKind: 7 });
  assert.equal(report.problems.length, 7);
  assert.deepEqual(report.problems.map((p) => p.line), [5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(report.problemCounts, [{ kind: 'invalidJson', severity: 'error', count: 50 }]);
  assert.equal(report.problemLimitPerKind, 7);
}));

test('a folder is inspected through its train.jsonl; siblings can be left out', withTempDir(async (dir) => {
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/train.jsonl'), '{"text":"a","label":"x"}\n{"text":"b","label":"y"}\n');
  writeFileSync(join(dir, 'data/dev.jsonl'), '{"text":"a","label":"x"}\n');
  const report = await inspectDataset(join(dir, 'data'));
  assert.equal(report.file, join(dir, 'data/train.jsonl'));
  // Problems of the inspected file come first, then those found in its siblings.
  assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['rareClass@1', 'rareClass@2', 'sharedAcrossSplits@1']);
  assert.equal(report.problems[2].file, join(dir, 'data/dev.jsonl'));
  const alone = await inspectDataset(join(dir, 'data'), { checkSiblings: false });
  assert.deepEqual(alone.siblingFiles, []);
  assert.deepEqual(alone.problems.map((p) => p.kind), ['rareClass', 'rareClass']);
}));

test('field names are own properties only: inherited names like toString are not fields, not functions', withTempDir(async (dir) => {
  const file = join(dir, 'd.jsonl');
  writeFileSync(file, '{"text":"a","label":"x"}\n{"text":"b","label":"y"}\n');
  const report = await inspectDataset(file, { textField: 'toString', labelField: 'constructor' });
  assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['mixedSchema@1', 'noExamples@1', 'mixedSchema@2']);
}));

test('a folder without train.jsonl is an EngineError that says what to give instead', withTempDir(async (dir) => {
  const { EngineError } = await import('../../../../src/engine/errors');
  await assert.rejects(inspectDataset(dir), (err: unknown) => err instanceof EngineError && err.data.file === dir && /folder without a train\.jsonl/.test(err.message));
}));

test('once a text has conflicting labels, every later copy is reported as a conflict, with a fitting message', withTempDir(async (dir) => {
  const file = join(dir, 'c.jsonl');
  const row = (text: string, label: string): string => JSON.stringify({ text, label });
  writeFileSync(file, [row('same', 'pos'), row('b', 'neg'), row('same', 'neg'), row('same', 'pos'), row('c', 'pos'), row('d', 'neg')].join('\n'));
  const report = await inspectDataset(file);
  assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['conflictingLabels@3', 'conflictingLabels@4']);
  assert.equal(report.problems[0].message, 'Same text as line 1 (labelled "pos"), here labelled "neg".');
  assert.equal(report.problems[1].message, 'Same text and label as line 1, but other lines give this text a different label.');
  assert.equal(report.conflictingTexts, 1);
  assert.equal(report.duplicateTexts, 1);
}));

test('inspecting a training file reports its siblings\' bad lines and their labels training never has', withTempDir(async (dir) => {
  const rows = (label: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `${label} text ${from + i}`, label })).join('\n');
  writeFileSync(join(dir, 'train.jsonl'), `${rows('joy', 3)}\n${rows('anger', 3)}\n`);
  writeFileSync(join(dir, 'validation.jsonl'), `${rows('joy', 1, 10)}\n${rows('boredom', 2, 10)}\n`);
  writeFileSync(join(dir, 'test.jsonl'), `${rows('anger', 1, 20)}\n{"text":"broken\n${rows('Joy', 1, 20)}\n`);
  const report = await inspectDataset(join(dir, 'train.jsonl'));
  const at = (kind: string) => report.problems.filter((p) => p.kind === kind).map((p) => `${p.file.slice(dir.length + 1)}:${p.line}`);
  // The line `train` skips is listed by the inspect its hint names.
  assert.deepEqual(at('invalidJson'), ['test.jsonl:2']);
  assert.deepEqual(at('labelNotInTrain'), ['validation.jsonl:2', 'test.jsonl:3']);
  const [boredom, joy] = report.problems.filter((p) => p.kind === 'labelNotInTrain');
  assert.match(boredom!.message, /^Label "boredom" \(validation\.jsonl lines 2, 3\) is never seen in training; the model cannot learn it\.$/);
  assert.match(joy!.message, /Training has "joy", which differs only in case/);
  assert.equal(boredom!.severity, 'warning');
  // The training file's own label map is unchanged: evaluation-only labels are not training classes.
  assert.deepEqual(report.labels, ['anger', 'joy']);
}));

test('labels differing only in case or spacing are one warning naming every spelling with counts and first lines', withTempDir(async (dir) => {
  const lines = ['sadness', 'sadness', 'joy', 'Sadness ', 'joy', 'very  sad', 'Very sad', 'very sad'].map((label, i) => JSON.stringify({ text: `t${i}`, label }));
  writeFileSync(join(dir, 'data.jsonl'), `${lines.join('\n')}\n`);
  const report = await inspectDataset(join(dir, 'data.jsonl'));
  const variants = report.problems.filter((p) => p.kind === 'labelVariants');
  assert.deepEqual(variants.map((p) => [p.line, p.related?.line, p.message]), [
    [4, 1, 'Labels "sadness" (2 lines, first at line 1) and "Sadness" (1 line, first at line 4) differ only in case or spacing, so they are 2 separate classes.'],
    [8, 6, 'Labels "very  sad" (1 line, first at line 6), "Very sad" (1 line, first at line 7) and "very sad" (1 line, first at line 8) differ only in case or spacing, so they are 3 separate classes.'],
  ]);
  // Warned about, never merged.
  assert.ok(report.labels.includes('Sadness') && report.labels.includes('sadness'));
}));
