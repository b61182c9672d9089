// The wiring activate() calls: Find label issues → diagnostics and the view → accept (relabel on disk, reviewed)
// and dismiss; Set active model from a run; engine failures become one message, cancellation none.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import * as fake from '../fakeVscode';
import { judgeModel, registerPredictionFeatures, type PredictionEngine } from '../../../../src/extension/labelIssues/registerPredictionFeatures';
import { LabelIssueItem, labelIssuesViewId } from '../../../../src/extension/labelIssues/labelIssuesTree';
import { labelIssueCommandIds } from '../../../../src/extension/diagnostics/labelIssueCodeActions';
import { defaultSettings } from '../../../../src/extension/settings';
import type { LabelIssueReport } from '../../../../src/protocol/labelIssueReport';
import type { LabelIssuesFindParams, LabelIssuesProgress } from '../../../../src/protocol/labelIssues';

const lines = ['{"text":"so happy today","label":"sadness"}', '{"label":"joy", "text":"caf\\u00e9 so sad"}', '{"text":"fine","label":"joy"}'];

async function setup(findResult?: (params: LabelIssuesFindParams) => Promise<LabelIssueReport>, initialState: Record<string, unknown> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'cw-register-'));
  const file = join(dir, 'train.jsonl');
  await writeFile(file, lines.join('\n') + '\n');
  const report: LabelIssueReport = {
    version: 1, dataset: file, model: 'ngram', folds: 5, filterBy: 'pruneByClass', rankBy: 'selfConfidence', fracNoise: 0.5, examples: 3,
    outOfFoldAccuracy: 0.33, labels: ['joy', 'sadness'], duplicates: [], createdAt: '', seconds: 1,
    issues: [
      { rank: 1, file, line: 1, text: 'so happy today', givenLabel: 'sadness', suggestedLabel: 'joy', selfConfidence: 0.05, suggestedProbability: 0.95 },
      { rank: 2, file, line: 2, text: 'café so sad', givenLabel: 'joy', suggestedLabel: 'sadness', selfConfidence: 0.1, suggestedProbability: 0.9 },
    ],
  };
  const calls: { find: LabelIssuesFindParams[]; setActive: string[] } = { find: [], setActive: [] };
  const progress = new fake.EventEmitter<LabelIssuesProgress>();
  const engine: PredictionEngine = {
    setActiveModel: async (path) => { calls.setActive.push(path); return { path, labels: ['joy', 'sadness'], ...(path.endsWith('r8') ? { uncertaintyThreshold: 0.72 } : {}) }; },
    predict: async () => { throw new Error('not used'); },
    findLabelIssues: async (params) => {
      calls.find.push(params);
      progress.fire({ jobId: params.jobId, fold: 0, folds: 5, fraction: 0.2 });
      progress.fire({ jobId: 'someone-else', fold: 4, folds: 5, fraction: 0.9 });
      return findResult ? findResult(params) : report;
    },
    onLabelIssuesProgress: (listener) => progress.event(listener),
  };
  const values = new Map<string, unknown>(Object.entries(initialState));
  const context = { subscriptions: [] as { dispose(): unknown }[], workspaceState: { get: (k: string) => values.get(k), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [] } };
  const features = registerPredictionFeatures(context as unknown as vscode.ExtensionContext, engine, () => defaultSettings);
  return { dir, file, report, calls, features, context, progress };
}

test('registers the hover, the quick fixes and the Label issues view', async () => {
  const { context } = await setup();
  assert.ok(fake.registeredProviders.some((p) => p.kind === 'hover'));
  assert.ok(fake.registeredProviders.some((p) => p.kind === 'codeActions'));
  assert.ok(fake.createdTreeViews.some((v) => v.id === labelIssuesViewId));
  assert.ok(context.subscriptions.length > 10);
  for (const d of context.subscriptions) d.dispose();
});

test('find, accept and dismiss: the line is relabelled byte-exactly and decisions land in reviews.json', async () => {
  const { dir, file, calls, features, context } = await setup();
  fake.progressReports.length = 0;
  await vscode.commands.executeCommand('classifierWorkbench.findLabelIssues', vscode.Uri.file(file));
  assert.equal(calls.find.length, 1);
  assert.equal(calls.find[0].dataset, file);
  assert.equal(calls.find[0].model, 'ngram', 'the default model when no transformer is configured');
  assert.equal(calls.find[0].runDir, undefined);
  assert.deepEqual(fake.progressReports, [{ increment: 20, message: 'fold 1 of 5' }], 'only this job’s progress, as increments');
  assert.match(fake.shownMessages.at(-1)!.message, /train\.jsonl: 2 likely label issues .* out-of-fold accuracy 33\.0%/);
  const items = features.diagnostics.openItems();
  assert.equal(items.length, 2);
  const view = fake.createdTreeViews.at(-1)!.view;
  assert.equal(view.message, 'train.jsonl: 2 to review of 2 flagged lines and 0 conflicting duplicates (ngram; out-of-fold accuracy 33.0%).');

  await vscode.commands.executeCommand(labelIssueCommandIds.acceptLabelIssue, new LabelIssueItem(items[1]));
  const after = (await readFile(file, 'utf8')).split('\n');
  assert.equal(after[1], '{"label":"sadness", "text":"caf\\u00e9 so sad"}');
  assert.equal(after[0], lines[0]);
  assert.deepEqual(features.diagnostics.openItems().map((f) => f.subject.line), [1], 'the relabelled line is no longer flagged');
  // Undo (the old label back): the issue is open again although it was accepted once.
  features.diagnostics.updateDocument(file, lines.join('\n') + '\n');
  assert.deepEqual(features.diagnostics.openItems().map((f) => f.subject.line), [1, 2]);
  features.diagnostics.updateDocument(file, await readFile(file, 'utf8'));
  await vscode.commands.executeCommand(labelIssueCommandIds.dismissLabelIssue, new LabelIssueItem(items[0]));
  assert.equal(features.diagnostics.openItems().length, 0);
  assert.match(view.message!, /^train\.jsonl: 0 to review of 2 flagged/);
  const reviews = JSON.parse(await readFile(join(dir, '.classifier-workbench', 'label-issues', 'train.jsonl.reviews.json'), 'utf8'));
  assert.deepEqual(reviews.reviews.map((r: { line: number; decision: string; newLabel?: string }) => [r.line, r.decision, r.newLabel]), [[2, 'accepted', 'sadness'], [1, 'dismissed', undefined]]);
  for (const d of context.subscriptions) d.dispose();
});

test('the judge is the active run\'s pretrained base encoder when the default is the n-gram model; its embedding phase is shown', async () => {
  const judged = await setup(async (params) => {
    judged.progress.fire({ jobId: params.jobId, fold: 0, folds: 5, phase: 'encode', fraction: 0.5 });
    return { ...judged.report, model: params.model!, judge: { kind: 'encoder', model: params.model!, summary: `${params.model}'s pooled embeddings with a linear softmax head trained per fold` } };
  });
  const runDir = join(judged.dir, 'runs', 'r7');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(runDir, { recursive: true });
  // Trained on another file: the judge comes from the run, the reviews stay beside the judged file.
  await writeFile(join(runDir, 'run.json'), JSON.stringify({ runId: 'r7', state: 'completed', config: { dataset: join(judged.dir, 'other.jsonl'), model: '/models/bert-base-uncased', mode: 'full' } }));
  await vscode.commands.executeCommand('classifierWorkbench.setActiveModel', { kind: 'run', runId: 'r7', runDir });
  fake.progressReports.length = 0;
  const engine = judged.calls;
  await vscode.commands.executeCommand('classifierWorkbench.findLabelIssues', vscode.Uri.file(judged.file));
  assert.equal(engine.find.at(-1)!.model, '/models/bert-base-uncased', 'the run\'s base encoder, not its fine-tuned weights');
  assert.equal(engine.find.at(-1)!.runDir, undefined);
  assert.deepEqual(fake.progressReports.at(-1), { increment: 30, message: 'embedding the lines with /models/bert-base-uncased (once for all folds)' });
  assert.match(fake.shownMessages.at(-1)!.message, /Judged by \/models\/bert-base-uncased's pooled embeddings with a linear softmax head trained per fold\.$/);
  assert.match(fake.createdTreeViews.at(-1)!.view.message!, /\(\/models\/bert-base-uncased's pooled embeddings .*; out-of-fold accuracy 33\.0%\)\.$/);
  for (const d of judged.context.subscriptions) d.dispose();

  assert.equal(judgeModel('ngram', undefined), 'ngram');
  assert.equal(judgeModel('ngram', 'ngram'), 'ngram');
  assert.equal(judgeModel('ngram', 'scratch'), 'ngram', 'a scratch encoder knows no language');
  assert.equal(judgeModel('/models/roberta', '/models/bert'), '/models/roberta', 'a configured default wins');
});

test('set active model from a run remembers it; engine errors show one message, cancellation none', async () => {
  const failing = async (): Promise<LabelIssueReport> => { throw Object.assign(new Error('train.jsonl:3: label missing'), { code: -32001 }); };
  const { file, calls, features, context } = await setup(failing);
  await vscode.commands.executeCommand('classifierWorkbench.setActiveModel', { kind: 'run', runId: 'r1', runDir: '/runs/r1' });
  assert.deepEqual(calls.setActive, ['/runs/r1']);
  assert.deepEqual(features.activeModel.current, { path: '/runs/r1', name: 'r1', runId: 'r1' });
  const before = fake.shownMessages.length;
  await vscode.commands.executeCommand('classifierWorkbench.findLabelIssues', vscode.Uri.file(file));
  assert.deepEqual(fake.shownMessages.slice(before).map((m) => [m.level, m.message]), [['error', 'Classifier Workbench: train.jsonl:3: label missing']]);
  for (const d of context.subscriptions) d.dispose();

  const cancelled = await setup(async () => { throw Object.assign(new Error('cancelled'), { code: -32800 }); });
  const count = fake.shownMessages.length;
  await vscode.commands.executeCommand('classifierWorkbench.findLabelIssues', vscode.Uri.file(cancelled.file));
  assert.equal(fake.shownMessages.length, count);
  for (const d of cancelled.context.subscriptions) d.dispose();
});

test('making a run with an abstain threshold active makes it the uncertaintyThreshold setting', async () => {
  const { context } = await setup();
  fake.configUpdates.length = 0;
  await vscode.commands.executeCommand('classifierWorkbench.setActiveModel', { kind: 'run', runId: 'r1', runDir: '/runs/r1' });
  assert.deepEqual(fake.configUpdates, [], 'a run without its own threshold leaves the setting');
  await vscode.commands.executeCommand('classifierWorkbench.setActiveModel', { kind: 'run', runId: 'r8', runDir: '/runs/r8' });
  assert.deepEqual(fake.configUpdates, [{ key: 'classifierWorkbench.uncertaintyThreshold', value: 0.72, target: vscode.ConfigurationTarget.Workspace }]);
  delete fake.configValues['classifierWorkbench.uncertaintyThreshold'];
  for (const d of context.subscriptions) d.dispose();
});

test('after a reload the active run\'s last report and reviews are shown again', async () => {
  const first = await setup();
  const runDir = join(first.dir, 'run');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(runDir);
  await writeFile(join(runDir, 'label-issues.json'), JSON.stringify(first.report));
  const reviewed = first.report.issues[0];
  await writeFile(join(runDir, 'reviews.json'), JSON.stringify({ version: 1, reviews: [{ file: reviewed.file, line: reviewed.line, text: reviewed.text, givenLabel: reviewed.givenLabel, decision: 'dismissed', at: '' }] }));
  for (const d of first.context.subscriptions) d.dispose();
  const reloaded = await setup(undefined, { 'classifierWorkbench.activeModel': { path: runDir, name: 'r9', runId: 'r9' } });
  // The report and its reviews are read back asynchronously after activation: wait for both (bounded), then assert.
  for (let i = 0; i < 500 && !(reloaded.features.diagnostics.currentReport && reloaded.features.diagnostics.openItems().length > 0); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(reloaded.features.diagnostics.currentReport?.dataset, first.file);
  assert.deepEqual(reloaded.features.diagnostics.openItems().map((f) => f.subject.line), [2], 'the dismissed line stays hidden');
  assert.equal(reloaded.features.diagnostics.runId, 'r9');
  for (const d of reloaded.context.subscriptions) d.dispose();
});

test('next/previous label issue open the list in order and wrap; the context key says when there is one', async () => {
  const { file, context } = await setup();
  const hasIssues = () => fake.executedCommands.filter((c) => c.command === 'setContext' && c.args[0] === 'classifierWorkbench.hasLabelIssues').at(-1)?.args[1];
  assert.equal(hasIssues(), false);
  await vscode.commands.executeCommand('classifierWorkbench.nextLabelIssue');
  assert.match(fake.shownMessages.at(-1)!.message, /^No label issue left to review/);
  await vscode.commands.executeCommand('classifierWorkbench.findLabelIssues', vscode.Uri.file(file));
  assert.equal(hasIssues(), true);
  const opened = () => { const d = fake.shownDocuments.at(-1)!; return [d.document.uri.fsPath, (d.options as { selection: vscode.Range }).selection.start.line]; };
  await vscode.commands.executeCommand('classifierWorkbench.nextLabelIssue');
  assert.deepEqual(opened(), [file, 0], 'issue #1 on line 1');
  await vscode.commands.executeCommand('classifierWorkbench.nextLabelIssue');
  assert.deepEqual(opened(), [file, 1], 'issue #2 on line 2');
  await vscode.commands.executeCommand('classifierWorkbench.nextLabelIssue');
  assert.deepEqual(opened(), [file, 0], 'wraps to the first');
  await vscode.commands.executeCommand('classifierWorkbench.previousLabelIssue');
  assert.deepEqual(opened(), [file, 1], 'previous from the first wraps to the last');
  for (const d of context.subscriptions) d.dispose();
});
