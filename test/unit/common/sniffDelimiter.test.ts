// sniffDelimiter guesses a CSV's delimiter as Python's csv.Sniffer does: the candidate in the header whose count
// per record is steadiest wins; quoted cells (delimiters, line breaks) do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sniffDelimiter } from '../../../src/common/sniffDelimiter';

test('the delimiter whose count is the same in the header and the rows wins over one that only occurs in texts', () => {
  assert.equal(sniffDelimiter('text;label\ngood, text 1;joy\nbad;sad\nok, fine, really;joy\n', ','), ';');
  assert.equal(sniffDelimiter('text,label\n"a; b",x\nc; d; e,y\n', ','), ',');
  assert.equal(sniffDelimiter('text\tlabel\na, b\tx\nc|d\ty\n', ','), '\t');
  assert.equal(sniffDelimiter('id|text|label\n1|a, b|x\n2|c;d|y\n', ','), '|');
});

test('quoted delimiters and line breaks are not counted; a BOM is skipped; an incomplete last record is ignored', () => {
  assert.equal(sniffDelimiter('\uFEFFtext;label\n"two\nlines; and ;;";x\n"a"";b";y\nc;d', ','), ';');
  // Only the complete sample's last record (no final line break) is looked at.
  assert.equal(sniffDelimiter('a;b,c\nx;y', ',', true), ';');
});

test('a header with no candidate (a one-column file) or an empty sample gives the fallback', () => {
  assert.equal(sniffDelimiter('text\nhello; there\n', ','), ',');
  assert.equal(sniffDelimiter('', '\t'), '\t');
  // Ties go to the earlier candidate (",").
  assert.equal(sniffDelimiter('a,b;c\nd,e;f\n', ';'), ',');
});

test('the editor guesses as the engine does: a whole short file\'s last record counts, a prefix\'s does not', async () => {
  const { delimiterOfLines } = await import('../../../src/common/datasetFormat');
  // The header ties , and ; (one each); only the second record, whole when the file ends there, breaks the tie.
  const lines = ['text,x;label', 'hi;joy'];
  assert.equal(sniffDelimiter(lines.join('\n'), ',', true), ';', 'the engine reads the whole small file');
  assert.equal(delimiterOfLines('csv', lines, true), ';');
  assert.equal(delimiterOfLines('csv', lines, false), ',', 'a prefix may end inside its last record, which is dropped');
  assert.equal(delimiterOfLines('tsv', lines, true), '\t');
  const { documentDelimiter } = await import('../../../src/extension/tabular/documentDelimiter');
  const { fakeDocument } = await import('../extension/hover/fakeDocument');
  assert.equal(documentDelimiter(fakeDocument(lines.join('\n'), '/w/tie.csv', 'csv') as never, 'csv'), ';', 'an open document of the whole file');
});
