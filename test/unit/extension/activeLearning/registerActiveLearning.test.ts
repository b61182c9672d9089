// The "To label" flow against a fake engine: suggest from a text file, label from the view (appended to the
// training file as an edit), skip (remembered and sent as exclusions), the keyboard flow, and Retrain (a new run on
// the grown file, then new suggestions from it); an unlabeled line of the training file is labelled in place.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answerNextMessage, createdTreeViews, EventEmitter, executedCommands, quickPickAnswers, shownMessages } from '../fakeVscode';
import { commandIds } from '../../../../src/extension/commands/commandIds';
import type { WorkbenchServices } from '../../../../src/extension/commands/workbenchServices';
import { registerActiveLearning, retrainConfig } from '../../../../src/extension/activeLearning/registerActiveLearning';
import { toLabelViewId } from '../../../../src/extension/activeLearning/toLabelTree';
import { defaultSettings } from '../../../../src/extension/settings';
import { RunsTreeProvider } from '../../../../src/extension/views/runsTree';
import type { SuggestLabelsParams, SuggestLabelsResult } from '../../../../src/protocol/activeLearning';
import type { TrainConfigInput } from '../../../../src/protocol/runs';
import type { RunProgress, RunStateChange } from '../../../../src/protocol/train';

const labels = ['joy', 'sadness'];

async function setup(unlabeledName: string, unlabeledText: string, trainText: string) {
  const dir = await mkdtemp(join(tmpdir(), 'to-label-'));
  const train = join(dir, 'train.jsonl');
  await writeFile(train, trainText);
  const unlabeled = join(dir, unlabeledName);
  if (unlabeledName !== 'train.jsonl') await writeFile(unlabeled, unlabeledText);
  const runDir = (id: string) => join(dir, 'runs', id);
  for (const id of ['r1', 'r2']) {
    await mkdir(runDir(id), { recursive: true });
    await writeFile(join(runDir(id), 'run.json'), JSON.stringify({ runId: id, state: 'completed', config: { dataset: train, model: 'ngram', mode: 'full', epochs: 50, seed: 42, runsDir: join(dir, 'runs') } }));
  }
  const suggestCalls: SuggestLabelsParams[] = [];
  const started: TrainConfigInput[] = [];
  const engine = {
    suggestLabels: async (params: SuggestLabelsParams): Promise<SuggestLabelsResult> => {
      suggestCalls.push(params);
      const texts = (await readFile(params.unlabeled, 'utf8')).split('\n')
        .map((line, i) => ({ line: i + 1, text: params.unlabeled.endsWith('.jsonl') ? (JSON.parse(line || '{}') as { text?: string; label?: string }) : { text: line } }))
        .filter(({ text }) => text.text && !('label' in text) && !params.excludeTexts?.includes(text.text));
      const suggestions = texts.slice(0, params.n).map(({ line, text }, i) => ({
        line, text: text.text!, uncertainty: 0.9 - i / 10,
        prediction: { label: 'joy', confidence: 0.6, top: [{ label: 'joy', probability: 0.6 }, { label: 'sadness', probability: 0.4 }], probabilities: [0.6, 0.4] },
      }));
      return { file: params.unlabeled, format: 'text', labels, multiLabel: false, measure: 'margin', probabilities: 'raw', poolSize: texts.length, labeledLines: 0, excludedAsLabeled: 0, excludedAsSkipped: params.excludeTexts?.length ?? 0, unreadableLines: 0, unreadable: [], suggestions };
    },
    startRun: async (config: TrainConfigInput) => {
      started.push(config);
      return { runId: 'r2', runDir: runDir('r2'), state: 'completed' as const };
    },
    onProgress: new EventEmitter<RunProgress>().event,
    onRunState: new EventEmitter<RunStateChange>().event,
  };
  const s = {
    engine,
    runsTree: new RunsTreeProvider(async () => []),
    activeModel: { current: { path: runDir('r1'), name: 'r1', runId: 'r1' } },
    settings: () => defaultSettings,
  } as unknown as WorkbenchServices;
  const values = new Map<string, unknown>();
  const context = { subscriptions: [] as { dispose(): unknown }[], workspaceState: { get: <T>(k: string, d: T) => (values.has(k) ? values.get(k) as T : d), update: async (k: string, v: unknown) => void values.set(k, v) } };
  const feature = registerActiveLearning(context, s);
  return { dir, train, unlabeled, runDir, suggestCalls, started, feature, dispose: async () => { context.subscriptions.forEach((d) => d.dispose()); await rm(dir, { recursive: true, force: true }); } };
}

test('suggest → label from the view → skip → keyboard flow → retrain → new suggestions from the new run', async () => {
  const t = await setup('pool.txt', 'i am so glad\nwhat a loss\nnot sure how i feel\nmaybe\n', '{"text": "great day", "label": "joy"}\n');
  try {
    await vscode.commands.executeCommand(commandIds.suggestLabels, vscode.Uri.file(t.unlabeled));
    assert.equal(t.suggestCalls.length, 1);
    assert.deepEqual({ ...t.suggestCalls[0], excludeTexts: t.suggestCalls[0]!.excludeTexts }, { unlabeled: t.unlabeled, model: t.runDir('r1'), n: 20, excludeTexts: [] });
    const items = t.feature.tree.getChildren();
    assert.deepEqual(items.map((i) => i.label), ['i am so glad', 'what a loss', 'not sure how i feel', 'maybe']);
    assert.equal(items[0]!.description, 'joy 60% · sadness 40% · line 1');
    const view = createdTreeViews.find((v) => v.id === toLabelViewId)!.view;
    assert.match(view.message!, /pool\.txt: 4 of 4 left \(run r1, margin, raw model probabilities\)/);

    // Label the second line from the view: one edit appends it to the training file.
    quickPickAnswers.push('label:sadness');
    await vscode.commands.executeCommand(commandIds.labelSuggestion, items[1]);
    assert.equal(await readFile(t.train, 'utf8'), '{"text": "great day", "label": "joy"}\n{"text":"what a loss","label":"sadness"}\n');
    assert.deepEqual(t.feature.tree.getChildren().map((i) => i.label), ['i am so glad', 'not sure how i feel', 'maybe']);
    assert.match(view.message!, /3 of 4 left .* 1 labelled: Retrain/);

    // Skip one: remembered for this file.
    await vscode.commands.executeCommand(commandIds.skipSuggestion, t.feature.tree.getChildren()[2]);
    assert.deepEqual(t.feature.skipped.texts(t.unlabeled), ['maybe']);

    // Keyboard flow: the two left, in turn (the first via "Skip", the second labelled), then the offer to retrain.
    quickPickAnswers.push('skip', 'label:joy');
    answerNextMessage('Retrain');
    await vscode.commands.executeCommand(commandIds.labelSuggestions);
    assert.deepEqual(t.feature.skipped.texts(t.unlabeled), ['maybe', 'i am so glad']);
    assert.ok((await readFile(t.train, 'utf8')).endsWith('{"text":"not sure how i feel","label":"joy"}\n'));
    assert.ok(shownMessages.some((m) => /2 line\(s\) labelled into train\.jsonl/.test(m.message)));

    // Retrain started a run on the grown file with the run's model and options (epochs left to the engine) ...
    assert.equal(t.started.length, 1);
    assert.deepEqual(t.started[0], { dataset: t.train, model: 'ngram', mode: 'full', seed: 42, runsDir: join(t.dir, 'runs') });
    // ... made it the active model and asked it for new suggestions, without the skipped lines.
    assert.ok(executedCommands.some((c) => c.command === commandIds.setActiveModel && (c.args[0] as { runId: string }).runId === 'r2'));
    assert.equal(t.suggestCalls.length, 2);
    assert.equal(t.suggestCalls[1]!.model, t.runDir('r2'));
    assert.deepEqual(t.suggestCalls[1]!.excludeTexts, ['maybe', 'i am so glad']);
    assert.match(view.message!, /run r2/);
  } finally {
    await t.dispose();
  }
});

test('unlabeled lines of the training file itself are labelled in place, not appended', async () => {
  const train = '{"text": "great day", "label": "joy"}\n{"id": 2, "text": "lost my keys"}\n';
  const t = await setup('train.jsonl', '', train);
  try {
    await vscode.commands.executeCommand(commandIds.suggestLabels, vscode.Uri.file(t.train));
    const [item] = t.feature.tree.getChildren();
    assert.equal(item!.label, 'lost my keys');
    quickPickAnswers.push('label:sadness');
    await vscode.commands.executeCommand(commandIds.labelSuggestion, item);
    assert.equal(await readFile(t.train, 'utf8'), '{"text": "great day", "label": "joy"}\n{"id":2,"text":"lost my keys","label":"sadness"}\n');
  } finally {
    await t.dispose();
  }
});

test('Escape in the label pick changes nothing; retrain keeps the run\'s options but not its epochs', async () => {
  const t = await setup('pool.txt', 'one\ntwo\n', '{"text": "a", "label": "joy"}\n');
  try {
    await vscode.commands.executeCommand(commandIds.suggestLabels, vscode.Uri.file(t.unlabeled));
    quickPickAnswers.push(undefined);
    await vscode.commands.executeCommand(commandIds.labelSuggestion, t.feature.tree.getChildren()[0]);
    assert.equal(await readFile(t.train, 'utf8'), '{"text": "a", "label": "joy"}\n');
    assert.equal(t.feature.tree.getChildren().length, 2);
  } finally {
    await t.dispose();
  }
  assert.deepEqual(retrainConfig('/d/train.jsonl', { dataset: '/old.jsonl', model: 'bert-base', mode: 'lora', epochs: 3, learningRate: 1e-4, labelField: 'intent', workers: 2 }),
    { dataset: '/d/train.jsonl', model: 'bert-base', mode: 'lora', learningRate: 1e-4, labelField: 'intent' });
});
