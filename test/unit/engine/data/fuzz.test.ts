// Bounded fuzz test: random byte and line mutations of a valid file never make the reader or the inspector
// throw anything but an EngineError, never hang, and always give a self-consistent report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { loadDatasetWithReport } from '../../../../src/engine/data/loadDataset';
import { mulberry32 } from '../../../../src/engine/seededRandom';
import { EngineError } from '../../../../src/engine/errors';

const iterations = 150;
const source = readFileSync(join(__dirname, '../../../fixtures/good/small.jsonl'));
const nasty = [0x0a, 0x0d, 0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0xff, 0xc3, 0xe2, 0xf0, 0xef, 0xbb, 0xbf, 0x20, 0x09];

function mutate(input: Buffer, random: () => number): Buffer {
  const pick = (n: number): number => Math.floor(random() * n);
  let bytes = Buffer.from(input);
  const rounds = 1 + pick(6);
  for (let r = 0; r < rounds; r++) {
    const at = pick(bytes.length + 1);
    switch (pick(8)) {
      case 0: // flip a byte
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = pick(256);
        break;
      case 1: // insert special bytes
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(4) }, () => nasty[pick(nasty.length)])), bytes.subarray(at)]);
        break;
      case 2: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + pick(40)))]);
        break;
      case 3: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 4: { // duplicate a line, possibly with its label changed
        const lines = bytes.toString('latin1').split('\n');
        const i = pick(lines.length);
        lines.splice(pick(lines.length), 0, random() < 0.5 ? lines[i] : lines[i].replace(/"(pos|neg|neutral)"/, '"neg"'));
        bytes = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
      case 5: { // swap two lines
        const lines = bytes.toString('latin1').split('\n');
        const i = pick(lines.length);
        const j = pick(lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
        bytes = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
      case 6: // a long run of one byte (oversized under the small limit used below)
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(200 + pick(3000), random() < 0.5 ? 0x61 : 0x0a), bytes.subarray(at)]);
        break;
      default: // replace a value with another JSON type
        bytes = Buffer.from(bytes.toString('latin1').replace(/"label": "[a-z]+"/, ['"label": null', '"label": [1]', '"label": 2.5', '"label": {}', '"label": true'][pick(5)]), 'latin1');
    }
  }
  return bytes;
}

test(`fuzz: ${iterations} mutated files never throw out of the reader and give consistent reports`, { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-fuzz-'));
  const random = mulberry32(20240611);
  try {
    for (let i = 0; i < iterations; i++) {
      const file = join(dir, `case${i}.jsonl`);
      const bytes = mutate(source, random);
      writeFileSync(file, bytes);
      const report = await inspectDataset(file, { maxLineBytes: 1024, chunkBytes: 64 + (i % 5) * 100 });
      assert.equal(report.labelCounts.reduce((a, b) => a + b, 0), report.exampleCount, `case ${i}`);
      assert.ok(report.exampleCount <= report.lines, `case ${i}`);
      for (const p of report.problems) {
        assert.ok(p.line >= 1 && p.line <= Math.max(1, report.lines), `case ${i}: ${p.kind} at line ${p.line} of ${report.lines}`);
      }
      const skipped = report.problemCounts.filter((c) => c.severity === 'error' && !['emptyFile', 'noExamples', 'singleClass'].includes(c.kind)).reduce((n, c) => n + c.count, 0);
      const blank = report.problemCounts.find((c) => c.kind === 'blankLine')?.count ?? 0;
      assert.equal(report.exampleCount + skipped + blank, report.lines, `case ${i}: every line is an example, a blank or a skipped error`);
      try {
        const { splits } = await loadDatasetWithReport(file, { maxLineBytes: 1024 });
        assert.equal(splits.train.length + splits.validation.length + splits.test.length, report.exampleCount, `case ${i}`);
      } catch (err) {
        assert.ok(err instanceof EngineError, `case ${i}: ${(err as Error).stack}`);
        assert.equal(report.trainable, false, `case ${i}: loadDataset refused a trainable file: ${(err as Error).message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
