// CSV, TSV and Parquet read through the same scan as JSONL: the same dataset gives the same report and the same
// splits in every format; problems carry the line a CSV record starts on (quoted line breaks counted), or the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDataset } from '../../../../src/engine/data/inspectDataset';
import { loadDataset, loadDatasetWithReport } from '../../../../src/engine/data/loadDataset';
import { scanDatasetFile } from '../../../../src/engine/data/scanDatasetFile';
import { ProblemCollector } from '../../../../src/engine/data/problemCollector';
import type { DatasetReport } from '../../../../src/protocol/dataset';
import { readJsonlRows, toDelimited, writeParquet, type Row } from '../../../helpers/tabularDatasets';

const small = join(__dirname, '../../../fixtures/good/small.jsonl');

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-tabular-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Texts that stress quoting: commas, doubled quotes, line breaks (LF and CRLF), tabs, a leading quote. */
function awkwardRows(): Row[] {
  const rows = readJsonlRows(small);
  rows[3]!.text = 'has, a comma and "quotes"';
  rows[7]!.text = 'two\nlines, and a "quote"';
  rows[11]!.text = 'windows\r\nline break';
  rows[15]!.text = '"starts with a quote';
  rows[19]!.text = 'a\ttab inside';
  rows[23] = { ...rows[2]! }; // an exact duplicate of row 3
  rows[27] = { text: rows[5]!.text, label: rows[5]!.label === 'pos' ? 'neg' : 'pos' }; // a conflicting duplicate
  rows[31]!.text = '   '; // empty text
  return rows;
}

/** Everything of a report that does not depend on the file's format (paths, bytes and line numbers do). */
function counts(report: DatasetReport): unknown {
  return {
    examples: report.exampleCount, labels: report.labels, labelCounts: report.labelCounts, fields: report.fields,
    duplicateTexts: report.duplicateTexts, conflictingTexts: report.conflictingTexts,
    problems: report.problemCounts, textLength: report.textLength, tokenLength: report.tokenLength,
  };
}

function writeAll(dir: string, rows: Row[], name = 'data'): Record<'jsonl' | 'csv' | 'tsv' | 'parquet' | 'crlf', string> {
  const files = {
    jsonl: join(dir, `${name}.jsonl`), csv: join(dir, `${name}.csv`), tsv: join(dir, `${name}.tsv`),
    parquet: join(dir, `${name}.parquet`), crlf: join(dir, `${name}-crlf.csv`),
  };
  writeFileSync(files.jsonl, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(files.csv, toDelimited(rows));
  writeFileSync(files.tsv, toDelimited(rows, { delimiter: '\t' }));
  writeFileSync(files.crlf, toDelimited(rows, { eol: '\r\n' }));
  writeParquet(files.parquet, rows, { rowGroupSize: 7 });
  return files;
}

test('the same dataset as JSONL, CSV (LF and CRLF), TSV and Parquet gives the same inspect counts and the same splits', withTempDir(async (dir) => {
  const files = writeAll(dir, awkwardRows());
  const reference = await inspectDataset(files.jsonl);
  assert.equal(reference.exampleCount, 119, 'one row has an empty text');
  assert.equal(reference.duplicateTexts, 2);
  assert.ok(reference.problemCounts.some((c) => c.kind === 'emptyText' && c.count === 1));
  const referenceSplits = await loadDataset(files.jsonl);
  for (const format of ['csv', 'crlf', 'tsv', 'parquet'] as const) {
    const report = await inspectDataset(files[format]);
    assert.deepEqual(counts(report), counts(reference), format);
    const splits = await loadDataset(files[format]);
    assert.equal(splits.fingerprint, referenceSplits.fingerprint, `${format}: same texts, labels and order in every split`);
    assert.deepEqual(splits.labels, referenceSplits.labels);
  }
}));

test('Parquet read in slices of a row group gives the same report, at every slice size, with and without an offset index', withTempDir(async (dir) => {
  const rows = awkwardRows();
  const jsonl = join(dir, 'data.jsonl');
  writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const reference = await inspectDataset(jsonl);
  const lines = (report: DatasetReport): string[] => report.problems.map((p) => `${p.kind}@${p.line}`);
  const listRows: Row[] = rows.map((r, i) => ({ text: r.text, labels: i % 3 === 0 ? [r.label, 'extra'] : [r.label] }));
  const listJsonl = join(dir, 'lists.jsonl');
  writeFileSync(listJsonl, listRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const listReference = await inspectDataset(listJsonl);
  for (const offsetIndex of [true, false]) {
    // Pages of ~300 bytes: the text column has many, so slices are cut at pages (offset index) or every so many rows.
    const file = join(dir, `paged-${offsetIndex}.parquet`);
    writeParquet(file, rows, { rowGroupSize: 50, pageSize: 300, offsetIndex });
    const listFile = join(dir, `lists-${offsetIndex}.parquet`);
    writeParquet(listFile, listRows, { rowGroupSize: 50, pageSize: 300, offsetIndex });
    for (const chunkBytes of [1, 200, 1000, undefined]) {
      const what = `offset index ${offsetIndex}, slices of ${chunkBytes ?? 'default'} bytes`;
      const report = await inspectDataset(file, { chunkBytes });
      assert.deepEqual(counts(report), counts(reference), what);
      assert.deepEqual(lines(report), lines(reference), `${what}: problems at the same rows as the JSONL lines`);
      const listReport = await inspectDataset(listFile, { chunkBytes });
      assert.deepEqual(counts(listReport), counts(listReference), `${what}, label lists`);
    }
  }
}));

test('a CSV record starts on the line the editor shows: quoted line breaks (LF, CRLF, CR) count, at every chunk size', withTempDir(async (dir) => {
  const rows: Row[] = [
    { text: 'first\nspans\nthree lines', label: 'a' },
    { text: '', label: 'b' }, // emptyText: its record starts on line 5
    { text: 'crlf\r\ninside', label: 'a' },
    { text: 'ok', label: '' }, // emptyLabel: line 8
    { text: 'cr\rinside', label: 'b' },
    { text: 'last', label: 'b' },
  ];
  for (const eol of ['\n', '\r\n']) {
    const file = join(dir, `lines-${eol.length}.csv`);
    writeFileSync(file, toDelimited(rows, { eol }));
    for (const chunkBytes of [1, 5, 64, 1 << 20]) {
      const problems = new ProblemCollector(10);
      const seen: number[] = [];
      const scan = await scanDatasetFile(file, { chunkBytes }, problems, (_text, _label, line) => seen.push(line));
      assert.deepEqual(problems.problems().map((p) => `${p.kind}@${p.line}`), ['emptyText@5', 'emptyLabel@8'], `eol ${JSON.stringify(eol)}, chunk ${chunkBytes}`);
      assert.deepEqual(seen, [2, 6, 9, 11]);
      assert.equal(scan.lines, 11);
    }
  }
}));

test('a quote that is never closed is reported at the line its record starts on; the records before it are read', withTempDir(async (dir) => {
  const file = join(dir, 'open.csv');
  writeFileSync(file, 'text,label\n"multi\nline",a\nfine,b\n"never closed,a\nmore,b\nmore,a\n');
  const inspected = await inspectDataset(file);
  assert.equal(inspected.exampleCount, 2);
  const problem = inspected.problems.find((p) => p.kind === 'malformedRecord');
  assert.equal(problem?.line, 5);
  assert.match(problem!.message, /never closed/);
  const { report } = await loadDatasetWithReport(file, { validationSplit: 0 });
  assert.deepEqual(report.problems.filter((p) => p.kind === 'malformedRecord').map((p) => p.line), [5], 'training reads the same records');

  // A second input of the same kind: an unclosed quote in a big file stops at the record-size limit instead of
  // reading the rest into memory, and says so at the record's first line.
  const big = join(dir, 'big-open.csv');
  writeFileSync(big, `text,label\nok,a\n"opens here,b\n${'x,a\n'.repeat(5000)}`);
  const report2 = await inspectDataset(big, { maxLineBytes: 4096 });
  const p2 = report2.problems.find((p) => p.kind === 'malformedRecord');
  assert.equal(p2?.line, 3);
  assert.match(p2!.message, /over 4\.0 KiB/);
}));

test('rows with more or fewer cells than the header, and blank lines, are reported at their line and skipped', withTempDir(async (dir) => {
  const file = join(dir, 'shape.csv');
  writeFileSync(file, 'text,label\none,a\ntwo,b,extra\n\nthree\n"four, quoted",b\n');
  const report = await inspectDataset(file);
  assert.deepEqual(report.problems.filter((p) => p.kind !== 'rareClass').map((p) => `${p.kind}@${p.line}`), ['rowShape@3', 'blankLine@4', 'rowShape@5']);
  assert.match(report.problems.find((p) => p.kind === 'rowShape')!.message, /3 cells but the header has 2 columns/);
  assert.equal(report.exampleCount, 2);
}));

test('header names are detected like JSONL field names, explicit fields win, and only those columns are read', withTempDir(async (dir) => {
  const file = join(dir, 'cols.csv');
  writeFileSync(file, 'id,sentence,category,notes\n1,hello there,greet,x\n2,bye now,farewell,y\n3,hi,greet,z\n');
  const detected = await inspectDataset(file);
  assert.deepEqual(detected.fields, { format: 'fields', textField: 'sentence', labelField: 'category', detected: true });
  const explicit = await inspectDataset(file, { textField: 'notes', labelField: 'id' });
  assert.deepEqual(explicit.labels, ['1', '2', '3']);
  const pq = join(dir, 'cols.parquet');
  writeParquet(pq, [{ id: 1, sentence: 'hello there', category: 'greet', notes: 'x' }, { id: 2, sentence: 'bye now', category: 'farewell', notes: 'y' }]);
  assert.deepEqual((await inspectDataset(pq)).fields, detected.fields);
}));

test('integer labels with names, and multi-label as JSON lists or delimited strings, read alike in every format', withTempDir(async (dir) => {
  const intRows: Row[] = [{ text: 'a one', label: 0 }, { text: 'b two', label: 1 }, { text: 'c three', label: 2 }, { text: 'd four', label: 1 }];
  const ints = writeAll(dir, intRows, 'ints');
  const names = ['zero', 'one', 'two'];
  const reference = await inspectDataset(ints.jsonl, { labelNames: names });
  assert.deepEqual(reference.labels, names);
  for (const f of [ints.csv, ints.tsv, ints.parquet]) assert.deepEqual(counts(await inspectDataset(f, { labelNames: names })), counts(reference), f);

  const listRows: Row[] = [{ text: 'x1', labels: ['anger', 'joy'] }, { text: 'x2', labels: [] }, { text: 'x3', labels: ['joy'] }, { text: 'x4', labels: ['anger'] }];
  const lists = writeAll(dir, listRows, 'lists');
  const listReference = await inspectDataset(lists.jsonl);
  assert.ok(listReference.multiLabel);
  for (const f of [lists.csv, lists.tsv, lists.parquet]) assert.deepEqual(counts(await inspectDataset(f)), counts(listReference), f);

  const delimited = join(dir, 'delimited.csv');
  writeFileSync(delimited, 'text,labels\nx1,anger|joy\nx2,\nx3,joy\nx4, anger \n');
  const fromDelimited = await inspectDataset(delimited, { labelDelimiter: '|' });
  assert.deepEqual(counts(fromDelimited), counts(listReference));
  // The same option on JSONL strings, and integer ids inside a delimited string go through the label names.
  const jsonl = join(dir, 'delimited.jsonl');
  writeFileSync(jsonl, ['{"text":"x1","labels":"anger|joy"}', '{"text":"x2","labels":""}', '{"text":"x3","labels":"joy"}', '{"text":"x4","labels":"anger"}'].join('\n'));
  assert.deepEqual(counts(await inspectDataset(jsonl, { labelDelimiter: '|' })), counts(listReference));
  const ids = join(dir, 'ids.csv');
  writeFileSync(ids, 'text,labels\nx1,0;1\nx2,1\nx3,0\n');
  assert.deepEqual((await inspectDataset(ids, { labelDelimiter: ';', labelNames: ['anger', 'joy'] })).labelCounts, [2, 2]);
}));

test('sibling split files of the same format are found: train.csv + validation.csv + test.csv, and a folder with train.parquet', withTempDir(async (dir) => {
  const rows = readJsonlRows(small);
  writeFileSync(join(dir, 'train.csv'), toDelimited(rows.slice(0, 90)));
  writeFileSync(join(dir, 'validation.csv'), toDelimited(rows.slice(90, 105)));
  writeFileSync(join(dir, 'test.csv'), toDelimited(rows.slice(105)));
  const splits = await loadDataset(join(dir, 'train.csv'));
  assert.deepEqual([splits.train.length, splits.validation.length, splits.test.length], [90, 15, 15]);
  assert.ok(splits.test.every((e) => e.file === join(dir, 'test.csv') && e.line >= 2));

  const pq = join(dir, 'pq');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(pq);
  writeParquet(join(pq, 'train.parquet'), rows.slice(0, 100));
  writeParquet(join(pq, 'test.parquet'), rows.slice(100));
  const fromFolder = await loadDataset(pq);
  assert.equal(fromFolder.test.length, 20);
  assert.deepEqual(fromFolder.test.map((e) => e.line), Array.from({ length: 20 }, (_, i) => i + 1), 'Parquet examples carry their 1-based row');
}));

test('a file that is not Parquet, and a Parquet text column that is not text, are problems, not crashes', withTempDir(async (dir) => {
  const fake = join(dir, 'fake.parquet');
  writeFileSync(fake, 'text,label\nhello,a\n');
  const report = await inspectDataset(fake);
  assert.deepEqual(report.problems.map((p) => p.kind), ['malformedRecord', 'emptyFile']);
  assert.match(report.problems[0]!.message, /Not a readable Parquet file/);
  const numeric = join(dir, 'numeric.parquet');
  writeParquet(numeric, [{ text: 5, label: 'a' }, { text: 6, label: 'b' }]);
  const r2 = await inspectDataset(numeric);
  assert.deepEqual(r2.problems.filter((p) => p.kind === 'nonStringText').map((p) => p.line), [1, 2]);
}));

test('a .csv separated by ";", tab or "|" is read by the delimiter its header and first lines use, as csv.Sniffer guesses it', withTempDir(async (dir) => {
  for (const [name, d] of [['semicolon', ';'], ['tab', '\t'], ['pipe', '|']] as const) {
    const file = join(dir, `${name}.csv`);
    // Commas inside the texts must not win: they are not in the header and their count varies from row to row.
    const body = Array.from({ length: 10 }, (_, i) => `good, text ${i + 1}${i % 3 === 0 ? ', more' : ''}${d}${i % 2 === 0 ? 'joy' : 'sad'}\n`).join('');
    writeFileSync(file, `text${d}label\n${body}`);
    const report = await inspectDataset(file);
    assert.equal(report.exampleCount, 10, name);
    assert.deepEqual(report.labels, ['joy', 'sad'], name);
    assert.deepEqual(report.problems.filter((p) => p.kind === 'rowShape'), [], name);
    const splits = await loadDataset(file);
    const all = [...splits.train, ...splits.validation, ...splits.test];
    assert.equal(all.find((e) => e.line === 2)?.text, 'good, text 1, more', name);
  }
  // A comma CSV whose texts hold ";" stays comma-separated.
  const commas = join(dir, 'commas.csv');
  writeFileSync(commas, `text,label\n${Array.from({ length: 6 }, (_, i) => `"a; b; ${i}",${i % 2 ? 'x' : 'y'}\n`).join('')}`);
  const report = await inspectDataset(commas);
  assert.equal(report.exampleCount, 6);
  assert.deepEqual(report.labels, ['x', 'y']);
}));

test('a .tsv whose header is one column holding ";" says the cells seem ";"-separated and how to read the file', withTempDir(async (dir) => {
  const file = join(dir, 'semi.tsv');
  writeFileSync(file, 'text;label\ngood;joy\nbad;sad\n');
  const report = await inspectDataset(file);
  const problem = report.problems.find((p) => p.kind === 'rowShape');
  assert.equal(problem?.line, 1);
  assert.match(problem!.message, /one column that holds ";".*rename it to \.csv/);
}));

test('an unclosed quote: the summary counts every physical line of the file, the problem is at the line the quote opens', withTempDir(async (dir) => {
  const file = join(dir, 'open.csv');
  const lines = ['text,label', ...Array.from({ length: 20 }, (_, i) => `good text ${i},${i % 2 ? 'joy' : 'sad'}`), '"unclosed start,joy', ...Array.from({ length: 5 }, (_, i) => `more ${i},sad`)];
  writeFileSync(file, `${lines.join('\n')}\n`);
  for (const chunkBytes of [7, 1 << 20]) {
    const problems = new ProblemCollector(10);
    const scan = await scanDatasetFile(file, { chunkBytes }, problems, () => {});
    assert.equal(scan.lines, 27, `chunk ${chunkBytes}`);
    assert.deepEqual(problems.problems().filter((p) => p.kind === 'malformedRecord').map((p) => p.line), [22]);
  }
  // Stopped by the record-size limit instead of the end of the file: the rest is still counted, not parsed.
  const big = join(dir, 'big-open.csv');
  writeFileSync(big, `text,label\nok,a\n"opens here,b\n${'x,a\n'.repeat(5000)}`);
  const scan = await scanDatasetFile(big, { maxLineBytes: 4096, chunkBytes: 1024 }, new ProblemCollector(10), () => {});
  assert.equal(scan.lines, 5003);
}));
