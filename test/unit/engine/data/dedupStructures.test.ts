// The compact structures behind bounded-memory inspection: text hashes, the hash table, length statistics,
// the token estimate and the label order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashText, textHash } from '../../../../src/engine/data/hashText';
import { TextHashTable } from '../../../../src/engine/data/textHashTable';
import { LengthStats } from '../../../../src/engine/data/lengthStats';
import { estimateTokenCount } from '../../../../src/engine/data/estimateTokenCount';
import { sortLabels } from '../../../../src/engine/data/sortLabels';

test('hashes of 200k distinct texts are distinct; equal texts hash equal', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200_000; i++) {
    hashText(`text number ${i}`);
    seen.add(`${textHash.hi}:${textHash.lo}`);
  }
  assert.equal(seen.size, 200_000);
  hashText('same');
  const a = [textHash.hi, textHash.lo];
  hashText('same');
  assert.deepEqual([textHash.hi, textHash.lo], a);
  hashText('samf');
  assert.notDeepEqual([textHash.hi, textHash.lo], a);
});

test('TextHashTable finds what it stored through growth, and only that', () => {
  const table = new TextHashTable(10);
  for (let i = 0; i < 50_000; i++) {
    hashText(`t${i}`);
    const visit = table.visit(textHash.hi, textHash.lo, i + 1, i % 7);
    assert.equal(visit.seen, false);
  }
  assert.equal(table.size, 50_000);
  for (let i = 0; i < 50_000; i += 997) {
    hashText(`t${i}`);
    const slot = table.find(textHash.hi, textHash.lo);
    assert.ok(slot >= 0);
    assert.equal(table.lineAt(slot), i + 1);
    assert.equal(table.labelAt(slot), i % 7);
    assert.equal(table.visit(textHash.hi, textHash.lo, 999_999, 0).seen, true);
    assert.equal(table.lineAt(slot), i + 1, 'a second visit keeps the first line');
  }
  hashText('never stored');
  assert.equal(table.find(textHash.hi, textHash.lo), -1);
  table.setFlags(0, 2);
  assert.equal(table.flags(0), 2);
});

test('LengthStats: exact percentiles, histogram sums to the count', () => {
  const stats = new LengthStats();
  for (let i = 1; i <= 100; i++) stats.add(i);
  stats.add(100_000);
  const h = stats.toHistogram();
  assert.equal(h.min, 1);
  assert.equal(h.max, 100_000);
  assert.equal(h.p50, 51);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 101);
  assert.equal(h.edges.length, h.counts.length + 1);
  assert.ok(h.edges.at(-1)! > 100_000);
  assert.deepEqual(new LengthStats().toHistogram().counts, [0]);
});

test('token estimate counts words, punctuation and CJK characters, plus [CLS] and [SEP]', () => {
  assert.equal(estimateTokenCount('i feel great'), 5);
  assert.equal(estimateTokenCount("don't stop!"), 7);
  assert.equal(estimateTokenCount('日本語'), 5);
  assert.equal(estimateTokenCount('café 😀'), 4);
  assert.equal(estimateTokenCount(''), 2);
});

test('labels sort by code point, numerically when all are integers, or in label-names order', () => {
  assert.deepEqual(sortLabels(['b', 'B', 'a']), ['B', 'a', 'b']);
  assert.deepEqual(sortLabels(['10', '9', '1', '9']), ['1', '9', '10']);
  assert.deepEqual(sortLabels(['x'], ['z', 'y']), ['z', 'y']);
});

test('the duplicate check has a memory cap: past it, new texts go unchecked and the report says from which line', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { inspectDataset } = await import('../../../../src/engine/data/inspectDataset');
  const dir = mkdtempSync(join(tmpdir(), 'cw-cap-'));
  try {
    const rows = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ text: `text ${i}`, label: i % 2 ? 'a' : 'b' }));
    rows.push(rows[0], rows[999]);
    writeFileSync(join(dir, 'd.jsonl'), rows.join('\n'));
    const report = await inspectDataset(join(dir, 'd.jsonl'), { maxDedupSlots: 1024 });
    // 1024 slots at load 0.7 hold 716 texts: line 717 is the first one left unchecked.
    assert.deepEqual(report.problems.map((p) => `${p.kind}@${p.line}`), ['duplicateCheckLimited@717', 'duplicate@1001']);
    assert.equal(report.exampleCount, 1002);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('user values in messages are quoted, flattened and shortened', async () => {
  const { quoteForMessage } = await import('../../../../src/engine/data/quoteForMessage');
  assert.equal(quoteForMessage('joy'), '"joy"');
  assert.equal(quoteForMessage('a\nb "c"'), '"a b \\"c\\""');
  assert.equal(quoteForMessage('x'.repeat(100), 10), `"${'x'.repeat(9)}…"`);
});
