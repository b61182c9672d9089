import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeDiagnosticCollection } from '../fakeVscode';
import { explainRefusal, firstProblem, publishDatasetProblems, summariseProblems, toDiagnostic } from '../../../../src/extension/commands/datasetDiagnostics';
import type { DatasetProblem, DatasetReport } from '../../../../src/protocol/dataset';

const histogram = { edges: [0, 1], counts: [0], min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
function report(problems: DatasetProblem[], extra: Partial<DatasetReport> = {}): DatasetReport {
  const counts = new Map<string, { kind: DatasetProblem['kind']; severity: DatasetProblem['severity']; count: number }>();
  for (const p of problems) counts.set(p.kind, { kind: p.kind, severity: p.severity, count: (counts.get(p.kind)?.count ?? 0) + 1 });
  return {
    file: '/w/train.jsonl', bytes: 10, lines: 10, exampleCount: 8, fields: { format: 'fields', textField: 'text', labelField: 'label', detected: true },
    labels: ['a', 'b'], labelCounts: [4, 4], textLength: histogram, tokenLength: histogram, tokenLengthSource: 'wordEstimate',
    duplicateTexts: 0, conflictingTexts: 0, problems, problemCounts: [...counts.values()], problemLimitPerKind: 20,
    siblingFiles: ['/w/validation.jsonl'], trainable: true, elapsedMs: 1, ...extra,
  };
}
const problem = (p: Partial<DatasetProblem>): DatasetProblem => ({
  kind: 'invalidJson', severity: 'error', file: '/w/train.jsonl', line: 3, message: 'Line 3 is not valid JSON.', hint: 'Fix the quoting.', ...p,
});

test('a problem becomes a diagnostic on its 0-based line from its column, with kind as code and hint in the message', () => {
  const d = toDiagnostic(problem({ column: 7 }));
  assert.equal(d.range.start.line, 2);
  assert.equal(d.range.start.character, 6);
  assert.equal(d.range.end.line, 2);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(d.message, 'Line 3 is not valid JSON. Fix the quoting.');
  assert.equal(d.code, 'invalidJson');
  assert.equal(d.source, 'Classifier Workbench');
  const dup = toDiagnostic(problem({ kind: 'conflictingLabels', severity: 'warning', line: 9, related: { file: '/w/train.jsonl', line: 2 } }));
  assert.equal(dup.severity, vscode.DiagnosticSeverity.Warning);
  assert.equal(dup.relatedInformation?.[0].location.range.start.line, 1);
  assert.equal(toDiagnostic(problem({ severity: 'info', kind: 'duplicate' })).severity, vscode.DiagnosticSeverity.Information);
});

test('publishing replaces the diagnostics of the file and its siblings, leaving out blank lines', () => {
  const collection = vscode.languages.createDiagnosticCollection('t') as unknown as FakeDiagnosticCollection;
  collection.set(vscode.Uri.file('/w/validation.jsonl'), [toDiagnostic(problem({ file: '/w/validation.jsonl' })) as never]);
  const published = publishDatasetProblems(collection as unknown as vscode.DiagnosticCollection, report([
    problem({ line: 3 }),
    problem({ kind: 'blankLine', severity: 'info', line: 5 }),
    problem({ kind: 'sharedAcrossSplits', severity: 'warning', file: '/w/test.jsonl', line: 1 }),
  ]));
  assert.equal(published, 2);
  assert.deepEqual(collection.get(vscode.Uri.file('/w/train.jsonl'))?.map((d) => d.range.start.line), [2]);
  assert.equal(collection.get(vscode.Uri.file('/w/validation.jsonl')), undefined, 'fixed sibling problems disappear');
  assert.equal(collection.get(vscode.Uri.file('/w/test.jsonl'))?.length, 1);
});

test('a refusal names the file, the reason and the first line of each error kind', () => {
  const r = report([problem({ line: 12 }), problem({ line: 14 }), problem({ kind: 'missingLabel', line: 20, message: 'No label.', hint: '' })], {
    trainable: false, notTrainableReason: 'All examples have the same label.',
  });
  assert.equal(explainRefusal(r), 'Cannot fine-tune on train.jsonl: All examples have the same label. Problems: 2 × invalid json (first at line 12), 1 × missing label (first at line 20).');
  assert.equal(firstProblem(r)?.line, 12);
  assert.equal(summariseProblems(r), '3 lines with errors will be skipped');
  assert.equal(summariseProblems(report([])), undefined);
});

test('Problems-panel hints name settings or dialogue steps, never a CLI flag; the CLI keeps its flags (one builder for both)', async () => {
  const { DatasetProblemKinds } = await import('../../../../src/protocol/dataset');
  const { makeProblem } = await import('../../../../src/engine/data/datasetProblemCatalog');
  for (const kind of DatasetProblemKinds) {
    const engineProblem = makeProblem(kind, '/w/train.jsonl', 1, 'x');
    const shown = toDiagnostic(engineProblem).message;
    assert.doesNotMatch(shown, /--[a-z]|\bpass its path\b|max_length/, `${kind}: ${shown}`);
  }
  const missing = makeProblem('missingLabel', '/w/train.jsonl', 1, 'No label.');
  assert.match(missing.hint, /--label-field/, 'the CLI wording');
  assert.match(toDiagnostic(missing).message, /"Classifier Workbench › Dataset: Label Field" setting/);
  assert.match(toDiagnostic(makeProblem('classImbalance', '/w/train.jsonl', 1, 'x')).message, /"Class weights" in the Fine-tune dialogue/);
});
