// The bad-input corpus (test/fixtures/bad/): each malformation must be reported with its exact problem kind,
// line (and column where meaningful), and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectDataset, type InspectOptions } from '../../../../src/engine/data/inspectDataset';

const bad = join(__dirname, '../../../fixtures/bad');

interface Case {
  file: string;
  /** Every problem as kind@line or kind@line:column, in report order. */
  expect: string[];
  trainable?: boolean;
  options?: InspectOptions;
}

const cases: Case[] = [
  { file: 'truncatedLine.jsonl', expect: ['invalidJson@3:29'] },
  { file: 'truncatedAtEof.jsonl', expect: ['invalidJson@5:31'] },
  { file: 'trailingComma.jsonl', expect: ['invalidJson@2:34'] },
  { file: 'unquotedKeys.jsonl', expect: ['invalidJson@2:2'] },
  { file: 'singleQuotes.jsonl', expect: ['invalidJson@2:2'] },
  { file: 'twoObjectsOneLine.jsonl', expect: ['invalidJson@5:60'] },
  { file: 'rawControlChar.jsonl', expect: ['invalidJson@2:12'] },
  { file: 'arrayLine.jsonl', expect: ['notAnObject@4:1'] },
  { file: 'stringLine.jsonl', expect: ['notAnObject@2:1'] },
  { file: 'nullLine.jsonl', expect: ['notAnObject@3:1'] },
  { file: 'nullText.jsonl', expect: ['nonStringText@2:2'] },
  { file: 'numericText.jsonl', expect: ['nonStringText@3:2'] },
  { file: 'objectText.jsonl', expect: ['nonStringText@2:2'] },
  { file: 'missingText.jsonl', expect: ['missingText@2'] },
  { file: 'whitespaceText.jsonl', expect: ['emptyText@2:2'] },
  { file: 'invalidUtf8.jsonl', expect: ['invalidUtf8@2:15'] },
  { file: 'latin1.jsonl', expect: ['invalidUtf8@3:14'] },
  { file: 'utf16.jsonl', expect: ['invalidUtf8@1:1', 'noExamples@1'], trainable: false },
  { file: 'bom.jsonl', expect: ['missingLabel@3'] },
  { file: 'crlf.jsonl', expect: ['emptyText@4:2'] },
  { file: 'blankLines.jsonl', expect: ['blankLine@3', 'blankLine@5'] },
  { file: 'mixedSchemas.jsonl', expect: ['mixedSchema@5:2'] },
  { file: 'missingLabel.jsonl', expect: ['missingLabel@2'] },
  { file: 'nullLabel.jsonl', expect: ['missingLabel@3:24'] },
  { file: 'emptyLabel.jsonl', expect: ['emptyLabel@2:25'] },
  { file: 'arrayLabel.jsonl', expect: ['mixedLabelShapes@2:24'] },
  { file: 'objectLabel.jsonl', expect: ['nonScalarLabel@4:26'] },
  { file: 'floatLabel.jsonl', expect: ['invalidLabel@2:28'] },
  { file: 'negativeLabel.jsonl', expect: ['invalidLabel@3:23'] },
  { file: 'labelIdOutOfRange.jsonl', expect: ['labelOutOfRange@3:18'], options: { labelNames: ['zero', 'one'] } },
  { file: 'labelNameNotInList.jsonl', expect: ['labelOutOfRange@2:29'], options: { labelNames: ['pos', 'neg'] } },
  { file: 'mixedLabelTypes.jsonl', expect: ['mixedLabelTypes@3'] },
  { file: 'chatNoAssistant.jsonl', expect: ['chatNoAssistantMessage@3:2'] },
  { file: 'chatNoUser.jsonl', expect: ['chatNoUserMessage@2:2'] },
  { file: 'chatMessagesNotArray.jsonl', expect: ['chatBadMessages@2:2'] },
  { file: 'chatUnknownRole.jsonl', expect: ['chatBadMessages@3:2'] },
  { file: 'chatImageContent.jsonl', expect: ['nonStringText@2:2'] },
  { file: 'oversizedLine.jsonl', expect: ['oversizedLine@2'], options: { maxLineBytes: 200 } },
  { file: 'rareClass.jsonl', expect: ['rareClass@5'] },
  { file: 'duplicate.jsonl', expect: ['duplicate@4'] },
  { file: 'conflictingLabels.jsonl', expect: ['conflictingLabels@3'] },
  { file: 'oneClass.jsonl', expect: ['singleClass@1'], trainable: false },
  { file: 'empty.jsonl', expect: ['emptyFile@1'], trainable: false },
  { file: 'multiLabelEmptyVsMissing.jsonl', expect: ['emptyLabelList@3:36', 'missingLabel@4'] },
  { file: 'multiLabelRepeatedLabel.jsonl', expect: ['duplicateLabelInList@2:35'] },
  { file: 'multiLabelMixedShapes.jsonl', expect: ['mixedLabelShapes@4:24'] },
  { file: 'multiLabelBadItems.jsonl', expect: ['nonScalarLabel@2:20', 'missingLabel@3:25', 'invalidLabel@6:27'] },
  { file: 'allInvalid.jsonl', expect: ['invalidJson@1', 'noExamples@1', 'invalidJson@2:2', 'notAnObject@3:1'], trainable: false },
];

for (const c of cases) {
  test(`bad corpus: ${c.file} → ${c.expect.join(', ')}`, async () => {
    const report = await inspectDataset(join(bad, c.file), c.options);
    const got = report.problems.map((p) => `${p.kind}@${p.line}${p.column === undefined ? '' : `:${p.column}`}`);
    assert.deepEqual(got, c.expect);
    assert.equal(report.trainable, c.trainable ?? true, report.notTrainableReason);
    for (const p of report.problems) {
      assert.equal(p.file, join(bad, c.file));
      assert.ok(p.message.length > 0 && p.hint.length > 0, `${p.kind} has a message and a hint`);
    }
    // Every counted problem is one of those listed (the files are far below the per-kind limit).
    assert.equal(report.problemCounts.reduce((n, k) => n + k.count, 0), report.problems.length);
  });
}

test('bad corpus has at least 25 distinct malformations, each with a fixture', async () => {
  const { readdirSync } = await import('node:fs');
  const files = new Set(readdirSync(bad));
  for (const c of cases) assert.ok(files.has(c.file), c.file);
  assert.ok(cases.length >= 25);
});

test('BOM and CRLF are stripped: texts and line numbers are those of the file', async () => {
  const { scanDatasetFile } = await import('../../../../src/engine/data/scanDatasetFile');
  const { ProblemCollector } = await import('../../../../src/engine/data/problemCollector');
  for (const file of ['bom.jsonl', 'crlf.jsonl']) {
    const seen: [string, string, number][] = [];
    await scanDatasetFile(join(bad, file), {}, new ProblemCollector(10), (text, label, line) => seen.push([text, label, line]));
    assert.deepEqual(seen[0], ['the film was wonderful', 'pos', 1], file);
    assert.deepEqual(seen.at(-1), ['dull and far too long', 'neg', 5], file);
  }
});

test('texts shared between a training file and its sibling test file are reported in the sibling, with the training line', async () => {
  const report = await inspectDataset(join(bad, 'splitOverlap/train.jsonl'));
  const shared = report.problems.filter((p) => p.kind === 'sharedAcrossSplits');
  assert.equal(shared.length, 1);
  assert.equal(shared[0].file, join(bad, 'splitOverlap/test.jsonl'));
  assert.equal(shared[0].line, 2);
  assert.deepEqual(shared[0].related, { file: join(bad, 'splitOverlap/train.jsonl'), line: 5 });
  assert.deepEqual(report.siblingFiles, [join(bad, 'splitOverlap/test.jsonl')]);
});

test('a 10 MB line is reported as oversized and skipped; the lines around it still count', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cw-oversized-'));
  try {
    const file = join(dir, 'big.jsonl');
    const huge = JSON.stringify({ text: 'x'.repeat(10 * 1024 * 1024), label: 'pos' });
    const lines = ['{"text": "a", "label": "pos"}', huge, '{"text": "b", "label": "neg"}', '{"text": "c", "label": "pos"}', '{"text": "d", "label": "neg"}'];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = await inspectDataset(file);
    assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['oversizedLine@2']);
    assert.match(report.problems[0].message, /10\.0 MiB/);
    assert.equal(report.exampleCount, 4);
    assert.equal(report.lines, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('more distinct labels than a classifier can have: reported once, lines skipped, not trainable', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cw-labels-'));
  try {
    const file = join(dir, 'ids.jsonl');
    writeFileSync(file, Array.from({ length: 65_540 }, (_, i) => `{"text":"t${i}","label":"id-${i}"}`).join('\n'));
    const report = await inspectDataset(file);
    assert.deepEqual(report.problemCounts.map((c) => `${c.kind}:${c.count}`), ['tooManyLabels:5']);
    assert.equal(report.problems[0].line, 65_536);
    assert.equal(report.labels.length, 65_535);
    assert.equal(report.trainable, false);
    assert.match(report.notTrainableReason ?? '', /label field "label" does not look like class labels/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pretty-printed JSON array is recognised as "not JSON Lines", with a conversion hint', async () => {
  const report = await inspectDataset(join(bad, 'prettyJsonArray.jsonl'));
  assert.equal(report.trainable, false);
  assert.deepEqual(report.problems.slice(0, 2).map((p) => `${p.kind}@${p.line}`), ['invalidJson@1', 'noExamples@1']);
  assert.equal(report.problemCounts.find((c) => c.kind === 'invalidJson')?.count, 14);
  assert.match(report.notTrainableReason ?? '', /one JSON array spread over many lines, not JSON Lines/);
  assert.match(report.notTrainableReason ?? '', /jq -c/);
});
