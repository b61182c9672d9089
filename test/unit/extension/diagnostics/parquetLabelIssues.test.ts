// Label issues on a Parquet file: listed in the Label issues view but never published as diagnostics (the file
// is binary), closed by a review decision, and exported with their decisions as a corrections CSV.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as vscode from 'vscode';
import { LabelIssueDiagnostics } from '../../../../src/extension/diagnostics/labelIssueDiagnostics';
import { ReviewStore } from '../../../../src/extension/diagnostics/reviewStore';
import { correctionColumns, correctionsCsv, defaultCorrectionsPath, writeCorrections } from '../../../../src/extension/tabular/labelCorrections';
import type { LabelIssueReport } from '../../../../src/protocol/labelIssueReport';

test('Parquet issues are listed, not published; an accepted one closes and is exported with its corrected label', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-pq-issues-'));
  const file = join(dir, 'train.parquet');
  const report: LabelIssueReport = {
    version: 1, dataset: file, model: 'ngram', folds: 5, filterBy: 'pruneByClass', rankBy: 'selfConfidence', fracNoise: 0.5, examples: 100, outOfFoldAccuracy: 0.9,
    labels: ['anger', 'joy'],
    issues: [
      { rank: 1, file, line: 7, text: 'so "angry", really\nangry', givenLabel: 'joy', suggestedLabel: 'anger', selfConfidence: 0.02, suggestedProbability: 0.97 },
      { rank: 2, file, line: 42, text: 'happy', givenLabel: 'anger', suggestedLabel: 'joy', selfConfidence: 0.1, suggestedProbability: 0.85 },
    ],
    duplicates: [], createdAt: '2026-01-01T00:00:00Z', seconds: 1,
  };
  const collection = vscode.languages.createDiagnosticCollection('t');
  const diagnostics = new LabelIssueDiagnostics(collection as unknown as vscode.DiagnosticCollection, async () => []);
  const reviews = new ReviewStore(join(dir, 'run', 'reviews.json'));
  await reviews.load();
  await diagnostics.show(report, reviews, 'run-1');
  assert.deepEqual(diagnostics.openItems().map((f) => f.subject.line), [7, 42]);
  assert.deepEqual(collection.get(vscode.Uri.file(file) as never) ?? [], [], 'no diagnostics in a binary file');

  await reviews.record(diagnostics.openItems()[0]!.subject, 'accepted', 'anger');
  diagnostics.refresh();
  assert.deepEqual(diagnostics.openItems().map((f) => f.subject.line), [42]);

  const out = defaultCorrectionsPath(file);
  assert.equal(out, join(dir, 'train.label-corrections.csv'));
  await writeCorrections(out, correctionsCsv(report, reviews));
  const rows = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...correctionColumns]);
  assert.deepEqual(rows.map((r) => [r.line, r.text, r.given_label, r.decision, r.corrected_label]), [
    ['7', 'so "angry", really\nangry', 'joy', 'accepted', 'anger'],
    ['42', 'happy', 'anger', 'open', ''],
  ]);
});
