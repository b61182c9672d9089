// Label issues on CSV/TSV files: diagnostics sit on the label cell of the record that starts on the flagged line
// (records spanning lines included), and the relabel fix rewrites exactly that cell, quoted by csv-stringify.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as vscode from 'vscode';
import { LabelIssueDiagnostics } from '../../../../src/extension/diagnostics/labelIssueDiagnostics';
import { LabelIssueCodeActionProvider, relabelEdit } from '../../../../src/extension/diagnostics/labelIssueCodeActions';
import { ReviewStore } from '../../../../src/extension/diagnostics/reviewStore';
import type { LabelIssueReport } from '../../../../src/protocol/labelIssueReport';
import { readCsvRecord, replaceCsvCell, csvCellText } from '../../../../src/extension/tabular/csvRecord';
import { fakeDocument } from '../hover/fakeDocument';
import { toDelimited } from '../../../helpers/tabularDatasets';

/** Applies a fake WorkspaceEdit's replacements (any ranges, also across lines) to `text`. */
function applyEdit(text: string, edit: vscode.WorkspaceEdit): string {
  const lines = text.split('\n');
  const offset = (p: vscode.Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const replacements = [...(edit as unknown as { replacements: { range: vscode.Range; newText: string }[] }).replacements].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const r of replacements) text = text.slice(0, offset(r.range.start)) + r.newText + text.slice(offset(r.range.end));
  return text;
}

const rows = [
  { id: '1', text: 'plain text', label: 'joy' },
  { id: '2', text: 'has, a comma and "quotes"\nand a second line', label: 'love' }, // starts on line 3, spans 2
  { id: '3', text: 'after the multi-line record', label: 'fear, maybe' }, // a label that needs quotes
  { id: '4', text: 'last', label: 'sadness' },
];

async function setup(eol: '\n' | '\r\n', delimiter = ',') {
  const dir = await mkdtemp(join(tmpdir(), 'cw-csv-diag-'));
  const file = join(dir, delimiter === '\t' ? 'train.tsv' : 'train.csv');
  const text = toDelimited(rows, { eol, delimiter });
  await writeFile(file, text);
  const mapping = { format: 'fields' as const, textField: 'text', labelField: 'label', detected: true };
  const report: LabelIssueReport = {
    version: 1, dataset: file, model: 'ngram', folds: 5, filterBy: 'pruneByClass', rankBy: 'selfConfidence', fracNoise: 0.5, examples: 4, outOfFoldAccuracy: 0.9,
    labels: ['anger', 'fear, maybe', 'joy', 'love', 'sadness'], textField: 'text', labelField: 'label', fieldMapping: mapping,
    issues: [
      { rank: 1, file, line: 3, text: rows[1]!.text.replace('\n', eol), givenLabel: 'love', suggestedLabel: 'anger, "really"\nangry', selfConfidence: 0.01, suggestedProbability: 0.94 },
      { rank: 2, file, line: 5, text: rows[2]!.text, givenLabel: 'fear, maybe', suggestedLabel: 'joy', selfConfidence: 0.1, suggestedProbability: 0.9 },
    ],
    duplicates: [], createdAt: '2026-01-01T00:00:00Z', seconds: 1,
  };
  const collection = vscode.languages.createDiagnosticCollection('t');
  const diagnostics = new LabelIssueDiagnostics(collection as unknown as vscode.DiagnosticCollection, async () => text.split(/\r?\n/));
  const reviews = new ReviewStore(join(dir, 'run', 'reviews.json'));
  await reviews.load();
  await diagnostics.show(report, reviews, 'run-1');
  const published = () => collection.get(vscode.Uri.file(file) as never) ?? [];
  return { file, text, diagnostics, published };
}

for (const eol of ['\n', '\r\n'] as const) {
  test(`CSV (${eol === '\n' ? 'LF' : 'CRLF'}): diagnostics on the label cell of the flagged record; the fix rewrites exactly that cell, quoting quotes, commas and newlines`, async () => {
    const { file, text, diagnostics, published } = await setup(eol);
    const diags = published();
    assert.deepEqual(diags.map((d) => [d.range.start.line, d.range.end.line, d.code]), [[3, 3, 'labelIssue'], [4, 4, 'labelIssue']], 'the multi-line record\'s label is on its second line');
    const document = fakeDocument(text, file, 'csv');
    assert.equal(document.getText(diags[1]!.range), '"fear, maybe"', 'the range is the cell, quotes included');

    const provider = new LabelIssueCodeActionProvider(diagnostics);
    const actions = provider.provideCodeActions(document, diags[0]!.range, { diagnostics: [diags[0]] } as never);
    assert.equal(actions[0]!.title, 'Relabel to `anger, "really"\nangry`');
    const edited = applyEdit(text, actions[0]!.edit!);
    const before = parse(text, { relax_column_count: true }) as string[][];
    const after = parse(edited, { relax_column_count: true }) as string[][];
    assert.deepEqual(after, before.map((r, i) => (i === 2 ? [r[0], r[1], 'anger, "really"\nangry'] : r)), 'only that cell changed, and it reads back exactly');
    assert.ok(edited.includes(`"anger, ""really""\nangry"${eol}3,`), 'quoted by the CSV rules: doubled quotes, the line break inside quotes');
    assert.equal(edited.replace(`"anger, ""really""\nangry"`, 'love'), text, 'every other byte unchanged');

    // The second issue: a quoted label cell becomes a plain one, the multi-line record above it untouched.
    const second = applyEdit(text, relabelEdit(document, 4, 'joy', { format: 'fields', textField: 'text', labelField: 'label', detected: true })!);
    assert.equal(second, text.replace('"fear, maybe"', 'joy'));
    diagnostics.updateDocument(file, second);
    assert.deepEqual(published().map((d) => d.range.start.line), [3], 'the relabelled record is no longer flagged');
  });
}

test('a ;-separated CSV (how spreadsheets in comma-decimal locales write it): diagnostics on its label cell, the fix keeps ;', async () => {
  const { file, text, published } = await setup('\n', ';');
  assert.deepEqual(published().map((d) => d.range.start.line), [3, 4], 'read with the delimiter the engine guessed, not ,');
  const document = fakeDocument(text, file, 'csv');
  const edited = applyEdit(text, relabelEdit(document, 4, 'joy', 'label')!);
  assert.equal(edited, text.replace(';fear, maybe', ';joy'), 'only the label cell changed');
  assert.deepEqual((parse(edited, { delimiter: ';' }) as string[][])[3], ['3', 'after the multi-line record', 'joy']);
});

test('TSV: the label cell is found and a value with a tab is quoted', async () => {
  const { file, text, published } = await setup('\n', '\t');
  const document = fakeDocument(text, file, 'tsv');
  assert.equal(published().length, 2);
  const edited = applyEdit(text, relabelEdit(document, 5, 'a\tb', 'label')!);
  assert.deepEqual((parse(edited, { delimiter: '\t' }) as string[][])[4], ['4', 'last', 'a\tb']);
});

test('replaceCsvCell refuses what would not read back, and cell boundaries come from the parser (second input of each kind)', () => {
  const record = readCsvRecord('"a,b",c,"d ""e"", f"\nnext', ',');
  assert.deepEqual(record?.cells, ['a,b', 'c', 'd "e", f']);
  assert.deepEqual(record?.spans.map((s) => record.raw.slice(s.start, s.end)), ['"a,b"', 'c', '"d ""e"", f"']);
  assert.deepEqual(replaceCsvCell('x,"y\nz",w\n', ',', 1, 'new'), { start: 2, end: 7, text: 'new' });
  assert.equal(replaceCsvCell('x,y\n', ',', 5, 'new'), undefined, 'no such cell');
  assert.equal(replaceCsvCell('"never closed,y\n', ',', 1, 'new'), undefined, 'a record that does not parse');
  assert.equal(csvCellText(' padded', ','), '" padded"', 'edge spaces are kept by quoting');
  assert.equal(csvCellText('plain', ','), 'plain');
});
