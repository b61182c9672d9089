// Multi-label label issues in the editor: each flagged (line, label) decision is a diagnostic on the label list
// saying which label is likely missing or wrong, and its quick fix adds or removes exactly that label in one edit.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LabelIssueDiagnostics } from '../../../../src/extension/diagnostics/labelIssueDiagnostics';
import { LabelIssueCodeActionProvider, labelIssueCommandIds } from '../../../../src/extension/diagnostics/labelIssueCodeActions';
import { ReviewStore } from '../../../../src/extension/diagnostics/reviewStore';
import { LabelIssuesTreeProvider } from '../../../../src/extension/labelIssues/labelIssuesTree';
import type { LabelIssueReport } from '../../../../src/protocol/labelIssueReport';
import { applyFakeEdit, fakeDocument } from '../hover/fakeDocument';

const lines = [
  '{"text": "so happy, what a gift", "labels": ["gratitude"]}',
  '{"text": "the food was cold", "labels": ["anger", "joy"], "id": 2}',
];

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'cw-ml-diag-'));
  const file = join(dir, 'train.jsonl');
  const text = lines.join('\n') + '\n';
  await writeFile(file, text);
  const report: LabelIssueReport = {
    version: 1, dataset: file, model: 'ngram', folds: 5, filterBy: 'pruneByNoiseRate', rankBy: 'selfConfidence', fracNoise: 1, examples: 2,
    outOfFoldAccuracy: 0.5, labels: ['anger', 'gratitude', 'joy'], multiLabel: true, textField: 'text', labelField: 'labels',
    fieldMapping: { format: 'fields', textField: 'text', labelField: 'labels', detected: true },
    issues: [
      { rank: 1, file, line: 2, text: 'the food was cold', givenLabel: 'anger, joy', suggestedLabel: 'anger', selfConfidence: 0.03, suggestedProbability: 0.97,
        labelChange: { action: 'remove', label: 'joy', givenLabels: ['anger', 'joy'], labelProbability: 0.03 } },
      { rank: 2, file, line: 1, text: 'so happy, what a gift', givenLabel: 'gratitude', suggestedLabel: 'gratitude, joy', selfConfidence: 0.3, suggestedProbability: 0.7,
        labelChange: { action: 'add', label: 'joy', givenLabels: ['gratitude'], labelProbability: 0.7 } },
    ],
    duplicates: [], createdAt: '2026-01-01T00:00:00Z', seconds: 1,
  };
  const collection = vscode.languages.createDiagnosticCollection('ml');
  const diagnostics = new LabelIssueDiagnostics(collection as unknown as vscode.DiagnosticCollection, async (f) => (await readFile(f, 'utf8')).split('\n'));
  await diagnostics.show(report, new ReviewStore(join(dir, 'run', 'reviews.json')), 'run-ml');
  const published = () => collection.get(vscode.Uri.file(file) as never) ?? [];
  return { file, text, diagnostics, published };
}

test('each likely missing or wrong label is a diagnostic on the label list, in words', async () => {
  const { file, published, diagnostics } = await setup();
  const diags = published();
  assert.deepEqual(diags.map((d) => [d.range.start.line, d.message, d.severity]), [
    [1, '`joy` is likely wrong in [`anger`, `joy`] (out-of-fold p(joy) = 0.03)', vscode.DiagnosticSeverity.Warning],
    [0, '`joy` is likely missing from [`gratitude`] (out-of-fold p(joy) = 0.70)', vscode.DiagnosticSeverity.Information],
  ]);
  assert.equal(lines[1].slice(diags[0].range.start.character, diags[0].range.end.character), '["anger", "joy"]');
  assert.deepEqual(diagnostics.notesAt(file, 1), ['$(search) **Likely label issue #2** of 2: `joy` is likely missing from [`gratitude`] (out-of-fold p(joy) = 0.70)']);
});

test('the quick fix adds the missing label in one edit of only the list; the diagnostic then goes', async () => {
  const { file, text, diagnostics, published } = await setup();
  const document = fakeDocument(text, file, 'jsonl');
  const provider = new LabelIssueCodeActionProvider(diagnostics);
  const missing = published()[1];
  const actions = provider.provideCodeActions(document, missing.range, { diagnostics: [missing] } as never);
  assert.deepEqual(actions.map((a) => a.title), ['Add label `joy`', 'Mark as reviewed (the label is right)', 'Open in the misclassified browser']);
  assert.equal(actions[0].isPreferred, true);
  const replacements = (actions[0].edit as unknown as { replacements: unknown[] }).replacements;
  assert.equal(replacements.length, 1, 'one undoable edit');
  const edited = applyFakeEdit(text, actions[0].edit!);
  assert.equal(edited.split('\n')[0], '{"text": "so happy, what a gift", "labels": ["gratitude", "joy"]}');
  assert.equal(edited.split('\n')[1], lines[1], 'the other line is untouched');
  assert.deepEqual(actions[0].command!.command, labelIssueCommandIds.recordRelabel);
  assert.deepEqual(actions[0].command!.arguments![1], 'gratitude, joy');
  diagnostics.updateDocument(file, edited);
  assert.deepEqual(published().map((d) => d.range.start.line), [1], 'the fixed line is no longer flagged');
});

test('the quick fix removes the wrong label and keeps the rest of the line byte for byte', async () => {
  const { file, text, diagnostics, published } = await setup();
  const provider = new LabelIssueCodeActionProvider(diagnostics);
  const wrong = published()[0];
  const [fix] = provider.provideCodeActions(fakeDocument(text, file, 'jsonl'), wrong.range, { diagnostics: [wrong] } as never);
  assert.equal(fix.title, 'Remove label `joy`');
  const edited = applyFakeEdit(text, fix.edit!);
  assert.equal(edited.split('\n')[1], '{"text": "the food was cold", "labels": ["anger"], "id": 2}');
  // The line changed under the diagnostic (someone already removed the label): no fix is offered any more.
  const changed = text.replace('["anger", "joy"]', '["anger"]');
  const stale = provider.provideCodeActions(fakeDocument(changed, file, 'jsonl'), wrong.range, { diagnostics: [wrong] } as never);
  assert.deepEqual(stale.map((a) => a.title), ['Mark as reviewed (the label is right)', 'Open in the misclassified browser']);
});

test('the Label issues view names the label to add or remove', async () => {
  const { diagnostics } = await setup();
  assert.deepEqual(new LabelIssuesTreeProvider(diagnostics).getChildren().map((i) => [i.label, i.description]), [
    ['#1 remove joy (anger, joy)', 'p=0.97 · train.jsonl:2'],
    ['#2 add joy (gratitude)', 'p=0.70 · train.jsonl:1'],
  ]);
});
