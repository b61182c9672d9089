// LineBreakCounter gives CSV records their line numbers from the bytes: every way of cutting the stream into chunks
// must count the same breaks per record as counting each record's text on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineBreakCounter } from '../../../../src/engine/data/lineBreakCounter';

/** Breaks in one record's text, counted on its own: `\r\n`, `\n` and a lone `\r` (also one that ends it) one each. */
function breaksIn(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** Counts per record of `records` (joined into one stream), feeding the counter chunks of `chunkBytes`. */
function countRecords(records: string[], chunkBytes: number): number[] {
  const bytes = Buffer.from(records.join(''), 'latin1');
  const counter = new LineBreakCounter();
  const counts: number[] = [];
  let pushed = 0;
  let end = 0;
  for (const record of records) {
    end += record.length;
    while (pushed < end) {
      counter.push(bytes.subarray(pushed, Math.min(bytes.length, pushed + chunkBytes)));
      pushed = Math.min(bytes.length, pushed + chunkBytes);
    }
    counts.push(counter.countTo(end));
  }
  return counts;
}

test('breaks per record match counting each record on its own, at every chunk size', () => {
  const cases: string[][] = [
    ['a\r\nb\nc\rd'],
    ['\r\n', '\r\n'],
    ['\n\r'],
    ['none'],
    // A record ends on a lone \r and the next starts with \n: one break each, as the records' own texts say.
    ['x,1\r', '\ny,2\r'],
    ['x\r'],
    ['ab\r', '\ncd'],
    // Quoted breaks inside records, CRLF records, a lone CR inside a cell, a last record without a break.
    ['text,label\r\n', '"two\r\nlines",a\r\n', '"cr\rin",b\r\n', 'last,c'],
    ['text,label\n', '"first\nspans\nthree",a\n', ',b\n', '"crlf\r\nin",a\n'],
  ];
  for (const records of cases) {
    const expected = records.map(breaksIn);
    const length = records.join('').length;
    for (let chunkBytes = 1; chunkBytes <= length + 1; chunkBytes++) {
      assert.deepEqual(countRecords(records, chunkBytes), expected, `${JSON.stringify(records)} in chunks of ${chunkBytes}`);
    }
  }
});

test('the last byte counted and the text of the first record are known', () => {
  const counter = new LineBreakCounter();
  counter.push(Buffer.from('\uFEFFtext,la'));
  counter.push(Buffer.from('bel\nhello,a'));
  assert.equal(counter.lastByte, -1);
  // The byte-order mark is 3 bytes: the header ends at byte 14, the stream at 21.
  assert.equal(counter.textTo(14, 800), '\uFEFFtext,label\n');
  assert.equal(counter.textTo(14, 4), '\uFEFFt');
  assert.equal(counter.countTo(14), 1);
  assert.equal(counter.lastByte, 0x0a);
  assert.equal(counter.countTo(21), 0);
  assert.equal(counter.lastByte, 'a'.charCodeAt(0));
  assert.throws(() => counter.countTo(22), /past the 21 bytes pushed/);
});
