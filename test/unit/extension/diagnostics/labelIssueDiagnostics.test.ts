// Label-issue diagnostics, quick fixes and reviews on a real temp JSONL file.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, readdir } from 'node:fs/promises';
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
  '{"text":"i feel so happy","label":"joy"}',
  '{ "label" : "love",  "text":"caf\\u00e9 \\ud83d\\ude00 i am furious", "id": 7 }',
  '{"text":"dup text","label":"fear"}',
  '{"text":"Dup text!","label":"anger"}',
  '{"text":"mild","label":"sadness"}',
];

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'cw-diag-'));
  const file = join(dir, 'train.jsonl');
  await writeFile(file, lines.join('\n') + '\n');
  const report: LabelIssueReport = {
    version: 1, dataset: file, model: 'ngram', folds: 5, filterBy: 'pruneByClass', rankBy: 'selfConfidence', fracNoise: 0.5, examples: 5, outOfFoldAccuracy: 0.6,
    labels: ['anger', 'fear', 'joy', 'love', 'sadness'],
    issues: [
      { rank: 1, file, line: 2, text: 'café 😀 i am furious', givenLabel: 'love', suggestedLabel: 'anger', selfConfidence: 0.01, suggestedProbability: 0.94 },
      { rank: 2, file, line: 5, text: 'mild', givenLabel: 'sadness', suggestedLabel: 'joy', selfConfidence: 0.2, suggestedProbability: 0.55 },
    ],
    duplicates: [{ kind: 'near', normalizedText: 'dup text', labels: ['anger', 'fear'], members: [
      { file, line: 3, label: 'fear', text: 'dup text' }, { file, line: 4, label: 'anger', text: 'Dup text!' },
    ] }],
    createdAt: '2026-01-01T00:00:00Z', seconds: 1,
  };
  const collection = vscode.languages.createDiagnosticCollection('t');
  const diagnostics = new LabelIssueDiagnostics(collection as unknown as vscode.DiagnosticCollection, async (f) => (await readFile(f, 'utf8')).split('\n'));
  const reviews = new ReviewStore(join(dir, 'run', 'reviews.json'));
  await reviews.load();
  await diagnostics.show(report, reviews, 'run-1');
  const published = () => collection.get(vscode.Uri.file(file) as never) ?? [];
  return { dir, file, report, diagnostics, reviews, published };
}

test('flagged lines get diagnostics on the label value with the model verdict', async () => {
  const { published } = await setup();
  const diags = published();
  assert.deepEqual(diags.map((d) => [d.range.start.line, d.message, d.severity, d.code]), [
    [1, 'labelled `love`, model says `anger` (p=0.94)', vscode.DiagnosticSeverity.Warning, 'labelIssue'],
    [4, 'labelled `sadness`, model says `joy` (p=0.55)', vscode.DiagnosticSeverity.Information, 'labelIssue'],
    [2, 'near-duplicate text labelled differently at line 4 (`anger`)', vscode.DiagnosticSeverity.Warning, 'conflictingDuplicate'],
    [3, 'near-duplicate text labelled differently at line 3 (`fear`)', vscode.DiagnosticSeverity.Warning, 'conflictingDuplicate'],
  ]);
  assert.equal(lines[1].slice(diags[0].range.start.character, diags[0].range.end.character), '"love"');
});

test('hover notes explain why a line is flagged', async () => {
  const { file, diagnostics } = await setup();
  assert.deepEqual(diagnostics.notesAt(file, 2), ['$(search) **Likely label issue #1** of 2: out-of-fold p(`love`) = 0.010, p(`anger`) = 0.940']);
  assert.deepEqual(diagnostics.notesAt(file, 3), ['$(copy) **Conflicting duplicate:** the same text is labelled `anger` elsewhere']);
  assert.deepEqual(diagnostics.notesAt(file, 1), []);
});

test('relabel quick fix changes only the label value, byte for byte; the diagnostic then disappears', async () => {
  const { file, diagnostics, published } = await setup();
  const text = lines.join('\n') + '\n';
  const document = fakeDocument(text, file, 'jsonl');
  const provider = new LabelIssueCodeActionProvider(diagnostics);
  const target = published()[0];
  const actions = provider.provideCodeActions(document, target.range, { diagnostics: [target] } as never);
  assert.deepEqual(actions.map((a) => a.title), ['Relabel to `anger`', 'Mark as reviewed (the label is right)', 'Open in the misclassified browser']);
  assert.equal(actions[0].isPreferred, true);
  const edited = applyFakeEdit(text, actions[0].edit!);
  assert.equal(edited.split('\n')[1], '{ "label" : "anger",  "text":"caf\\u00e9 \\ud83d\\ude00 i am furious", "id": 7 }');
  assert.equal(Buffer.compare(Buffer.from(edited.replace('"anger"', '"love"')), Buffer.from(text)), 0, 'every other byte unchanged');
  assert.deepEqual(actions[0].command!.command, labelIssueCommandIds.recordRelabel);
  assert.deepEqual(actions[2].command!.arguments, [{ runId: 'run-1', file, line: 2 }]);
  diagnostics.updateDocument(file, edited);
  assert.deepEqual(published().map((d) => d.range.start.line), [4, 2, 3], 'the relabelled line is no longer flagged');
});

test('duplicate fixes offer the other label; mark as reviewed persists atomically and hides the line', async () => {
  const { dir, file, diagnostics, reviews, published, report } = await setup();
  const provider = new LabelIssueCodeActionProvider(diagnostics);
  const dup = published()[2];
  const actions = provider.provideCodeActions(fakeDocument(lines.join('\n'), file, 'jsonl'), dup.range, { diagnostics: [dup] } as never);
  assert.deepEqual(actions.map((a) => a.title), ['Relabel to `anger`', 'Mark as reviewed (the label is right)']);
  const review = actions[1].command!.arguments![0] as { file: string; line: number; text: string; givenLabel: string };
  await reviews.record(review, 'dismissed');
  diagnostics.refresh();
  assert.deepEqual(published().map((d) => d.range.start.line), [1, 4, 3]);
  assert.deepEqual(await readdir(join(dir, 'run')), ['reviews.json'], 'no temp file left behind');
  // A new session reads the decision back.
  const again = new ReviewStore(join(dir, 'run', 'reviews.json'));
  await again.load();
  assert.equal(again.isReviewed(review), true);
  assert.equal(again.all[0].decision, 'dismissed');
  const fresh = new LabelIssueDiagnostics(vscode.languages.createDiagnosticCollection('u') as unknown as vscode.DiagnosticCollection, async (f) => (await readFile(f, 'utf8')).split('\n'));
  await fresh.show(report, again);
  assert.equal(fresh.openItems().length, 3);
});

test('a corrupt reviews file is an error, never silently replaced', async () => {
  const { dir } = await setup();
  const path = join(dir, 'bad.json');
  await writeFile(path, '{"nope": 1}');
  await assert.rejects(new ReviewStore(path).load(), /not a reviews file/);
});

test('the Label issues view lists open items ranked, duplicates last', async () => {
  const { diagnostics } = await setup();
  const tree = new LabelIssuesTreeProvider(diagnostics);
  const items = tree.getChildren();
  assert.deepEqual(items.map((i) => [i.label, i.description, i.contextValue]), [
    ['#1 love → anger', 'p=0.94 · train.jsonl:2', 'labelIssue.fixable'],
    ['#2 sadness → joy', 'p=0.55 · train.jsonl:5', 'labelIssue.fixable'],
    ['duplicate: fear vs anger', 'train.jsonl:3', 'labelIssue.fixable'],
    ['duplicate: anger vs fear', 'train.jsonl:4', 'labelIssue.fixable'],
  ]);
  assert.equal(items[0].command!.command, labelIssueCommandIds.openLabelIssue);
});

test('datasets with their own field names: the diagnostic sits on that field and the fix changes only it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-diag-fields-'));
  const file = join(dir, 'reviews.jsonl');
  const text = '{"label":"meta","review":"awful product","sentiment":"pos"}\n';
  await writeFile(file, text);
  const report: LabelIssueReport = {
    version: 1, dataset: file, model: 'ngram', folds: 5, filterBy: 'pruneByClass', rankBy: 'selfConfidence', fracNoise: 0.5, examples: 1,
    outOfFoldAccuracy: 0.9, labels: ['neg', 'pos'], textField: 'review', labelField: 'sentiment', duplicates: [], createdAt: '', seconds: 1,
    issues: [{ rank: 1, file, line: 1, text: 'awful product', givenLabel: 'pos', suggestedLabel: 'neg', selfConfidence: 0.02, suggestedProbability: 0.98 }],
  };
  const collection = vscode.languages.createDiagnosticCollection('f');
  const diagnostics = new LabelIssueDiagnostics(collection as unknown as vscode.DiagnosticCollection, async (f) => (await readFile(f, 'utf8')).split('\n'));
  await diagnostics.show(report, new ReviewStore(join(dir, 'reviews.json')));
  const [diag] = collection.get(vscode.Uri.file(file) as never)!;
  assert.equal(text.slice(diag.range.start.character, diag.range.end.character), '"pos"');
  const actions = new LabelIssueCodeActionProvider(diagnostics).provideCodeActions(fakeDocument(text, file, 'jsonl'), diag.range, { diagnostics: [diag] } as never);
  assert.equal(applyFakeEdit(text, actions[0].edit!), '{"label":"meta","review":"awful product","sentiment":"neg"}\n');
});
